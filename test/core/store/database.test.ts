import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, DatabaseTooNewError, databaseFile, migrate, openDatabase, schemaVersion } from '../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../src-main/core/store/migrations';
import { openCallsQuery } from '../../../src-main/core/store/call-attempts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('database', () => {
  it('migrates a new file to the latest schema with WAL, full sync and foreign keys', () => {
    const db = openDatabase(databaseFile(dataDir()));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    closeDatabase(db);
  });

  it('applies each migration on an empty in-memory database and reopening is a no-op', () => {
    for (let upTo = 1; upTo <= MIGRATIONS.length; upTo += 1) {
      const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, upTo) });
      expect(schemaVersion(db)).toBe(upTo);
      migrate(db, MIGRATIONS.slice(0, upTo));
      expect(schemaVersion(db)).toBe(upTo);
      db.close();
    }
  });

  it('migration 2 moves the call times out of Twilio\'s raw parameters into their own columns', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, 1) });
    const insert = db.prepare(
      `INSERT INTO status_events (call_sid, source, sequence_number, call_status, received_at, params) VALUES (?, 'poll', NULL, 'completed', '2026-11-25T10:00:00Z', ?)`,
    );
    insert.run('CA1', JSON.stringify({ CallStatus: 'completed', __startedAt: '2026-11-25T09:59:00Z', __endedAt: '2026-11-25T10:00:00Z' }));
    insert.run('CA2', JSON.stringify({ CallStatus: 'completed' }));
    migrate(db, MIGRATIONS.slice(0, 2));
    const rows = db.prepare('SELECT call_sid, params, started_at, ended_at FROM status_events ORDER BY call_sid').all();
    expect(rows).toEqual([
      { call_sid: 'CA1', params: JSON.stringify({ CallStatus: 'completed' }), started_at: '2026-11-25T09:59:00Z', ended_at: '2026-11-25T10:00:00Z' },
      { call_sid: 'CA2', params: JSON.stringify({ CallStatus: 'completed' }), started_at: null, ended_at: null },
    ]);
    db.close();
  });

  it('refuses a data file written by a newer app and leaves it untouched', () => {
    const file = databaseFile(dataDir());
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls back every pending migration when one fails', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, 1) });
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'ok', sql: 'CREATE TABLE t1 (x INTEGER) STRICT;' }, { version: 3, name: 'bad', sql: 'CREATE TABLE oops (' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't1'").get()).toBeUndefined();
    db.close();
  });

  it('rejects a migration list that is out of order', () => {
    const db = openDatabase(':memory:', { migrations: [] });
    expect(() => migrate(db, [{ version: 2, name: 'skipped one', sql: '' }])).toThrow(/out of order/);
    db.close();
  });

  it.each([
    ['every open call', undefined, undefined],
    ['open calls dialled before a time', '2030-01-01T00:00:00Z', undefined],
    ['open calls of real batches', undefined, false],
    ['open practice calls dialled before a time', '2030-01-01T00:00:00Z', true],
  ] as const)('finds %s through the partial index', (_what, dialedBefore, simulated) => {
    const db = openDatabase(':memory:');
    const { sql, params } = openCallsQuery(dialedBefore, simulated);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/call_attempts USING INDEX call_attempts_open/);
    db.close();
  });
});
