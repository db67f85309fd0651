import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/store/database';
import { GroupCommitClosedError, GroupCommitQueue, type GroupCommitOptions } from '../../../src-main/core/store/group-commit';

// The group-commit queue on a real SQLite file: when it flushes (size, deadline), that a promise settles only
// after the commit, that one bad write fails alone and a failed COMMIT fails exactly its flush.

let dir: string;
let db: Db;

beforeEach(() => {
  vi.useFakeTimers();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-group-commit-'));
  db = openDatabase(path.join(dir, 'test.sqlite'), { migrations: [] });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE) STRICT');
});
afterEach(() => {
  vi.useRealTimers();
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

function queue(overrides: Partial<GroupCommitOptions<string, number>> = {}) {
  return new GroupCommitQueue<string, number>({
    db,
    apply: (d, v) => Number(d.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid),
    ...overrides,
  });
}

/** Rows visible to ANOTHER connection: what a crash right now would leave on disk. */
function durableRows(): string[] {
  const other = new Database(path.join(dir, 'test.sqlite'), { readonly: true });
  try {
    return other.prepare<[], { v: string }>('SELECT v FROM t ORDER BY id').all().map((r) => r.v);
  } finally {
    other.close();
  }
}

describe('GroupCommitQueue', () => {
  it('holds writes until the next turn of the event loop, then commits them together before any promise settles', async () => {
    const q = queue();
    const settled: string[] = [];
    const writes = ['a', 'b', 'c'].map((v) => q.submit(v).then((id) => settled.push(`${v}:${id}`)));
    expect(q.pending).toBe(3);
    expect(durableRows()).toEqual([]); // nothing is acknowledged, nothing is written yet
    await vi.advanceTimersToNextTimerAsync();
    await Promise.all(writes);
    expect(settled).toEqual(['a:1', 'b:2', 'c:3']);
    expect(durableRows()).toEqual(['a', 'b', 'c']);
    expect(q.stats()).toMatchObject({ flushes: 1, writes: 3, largestFlush: 3 });
  });

  it('flushes at once when maxBatch writes are queued, without waiting for the deadline', async () => {
    const q = queue({ maxBatch: 2, maxDelayMs: 1_000 });
    const first = q.submit('a');
    expect(durableRows()).toEqual([]);
    const second = q.submit('b');
    expect(durableRows()).toEqual(['a', 'b']); // the second submit filled the batch
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0); // the deadline timer was cancelled
  });

  it('flushes when the deadline passes after the first queued write', async () => {
    const q = queue({ maxBatch: 100, maxDelayMs: 2 });
    const write = q.submit('a');
    await vi.advanceTimersByTimeAsync(1);
    expect(durableRows()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(durableRows()).toEqual(['a']);
    await expect(write).resolves.toBe(1);
  });

  it('rolls back a failing write alone: its caller gets the error, the others of the flush are committed', async () => {
    db.exec("INSERT INTO t (v) VALUES ('taken')");
    const q = queue();
    const ok1 = q.submit('x');
    const bad = q.submit('taken'); // UNIQUE violation
    bad.catch(() => undefined);
    const ok2 = q.submit('y');
    await vi.advanceTimersToNextTimerAsync();
    await expect(ok1).resolves.toBe(2);
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await expect(ok2).resolves.toBe(3);
    expect(durableRows()).toEqual(['taken', 'x', 'y']);
  });

  it('fails exactly the writes of a flush whose commit fails, and later flushes still work', async () => {
    // A deferred foreign key is checked at COMMIT: the whole transaction is refused, as a full disk would be.
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    const q = new GroupCommitQueue<number, void>({
      db,
      apply: (d, p) => void d.prepare('INSERT INTO child (p) VALUES (?)').run(p),
      maxBatch: 2,
    });
    db.exec('INSERT INTO parent (id) VALUES (1)');
    const doomed = [q.submit(1), q.submit(99)]; // 99 has no parent: the commit of this flush fails
    for (const d of doomed) d.catch(() => undefined);
    await expect(doomed[0]).rejects.toThrow(/FOREIGN KEY/);
    await expect(doomed[1]).rejects.toThrow(/FOREIGN KEY/);
    const next = q.submit(1);
    await vi.advanceTimersToNextTimerAsync();
    await expect(next).resolves.toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 1 });
    expect(q.stats()).toMatchObject({ failedFlushes: 1, flushes: 1, writes: 1 });
  });

  it('commits each flush as one transaction: no row of a flush is visible outside before its last write ran', async () => {
    const seenOutside: number[] = [];
    const q = new GroupCommitQueue<string, void>({
      db,
      apply: (d, v) => {
        seenOutside.push(durableRows().length);
        d.prepare('INSERT INTO t (v) VALUES (?)').run(v);
      },
      maxBatch: 10,
    });
    const all = Array.from({ length: 25 }, (_, i) => q.submit(`v${i}`));
    await vi.advanceTimersToNextTimerAsync();
    await Promise.all(all);
    expect(durableRows()).toHaveLength(25);
    expect(seenOutside).toEqual([...Array(10).fill(0), ...Array(10).fill(10), ...Array(5).fill(20)]);
    expect(q.stats()).toMatchObject({ flushes: 3, writes: 25, largestFlush: 10 });
  });

  it('never holds more than maxBatch writes, and refuses everything after close() (which commits what is queued)', async () => {
    const q = queue({ maxBatch: 3, maxDelayMs: 50 });
    const first = [q.submit('a'), q.submit('b')];
    expect(q.pending).toBe(2);
    const third = q.submit('c');
    expect(q.pending).toBe(0);
    const late = q.submit('d');
    q.close();
    expect(durableRows()).toEqual(['a', 'b', 'c', 'd']);
    await expect(Promise.all([...first, third, late])).resolves.toEqual([1, 2, 3, 4]);
    await expect(q.submit('e')).rejects.toBeInstanceOf(GroupCommitClosedError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports each committed flush once, with the writes that succeeded, and survives a throwing listener', async () => {
    db.exec("INSERT INTO t (v) VALUES ('taken')");
    const flushes: string[][] = [];
    const notifyErrors: unknown[] = [];
    const q = queue({
      onCommitted: (committed) => {
        flushes.push(committed.map((c) => `${c.item}:${c.result}`));
        throw new Error('listener broke');
      },
      onNotifyError: (error) => notifyErrors.push(error),
    });
    const writes = [q.submit('a'), q.submit('taken'), q.submit('b')];
    writes[1]!.catch(() => undefined);
    await vi.advanceTimersToNextTimerAsync();
    await expect(writes[0]).resolves.toBe(2);
    await expect(writes[2]).resolves.toBe(3);
    await expect(writes[1]).rejects.toThrow();
    expect(flushes).toEqual([['a:2', 'b:3']]);
    expect(notifyErrors).toHaveLength(1);
  });
});
