import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackServer, type CallbackServerOptions } from '../../../src-main/core/callbacks/callback-server';
import type { RecordedStatus } from '../../../src-main/core/callbacks/status-commit';
import { getCallAttempt } from '../../../src-main/core/store/call-attempts';
import { listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { listCallEvents } from '../../../src-main/core/store/status-events';
import { AUTH_TOKEN, NOW, openTestStore, placeCalls, request, STATUS_URL, statusParams, type TestStore } from './callback-fixtures';

// Group commit on the real listener over real sockets: callbacks arriving together share one transaction
// (events + inspector rows), each is answered only after it, a failed flush answers exactly its requests 500,
// and the UI hook fires once per flush.

let store: TestStore;
let server: CallbackServer | null = null;

beforeEach(() => {
  store = openTestStore();
});
afterEach(async () => {
  await server?.stop();
  server = null;
  store.close();
});

async function start(overrides: Partial<CallbackServerOptions> = {}) {
  const flushes: RecordedStatus[][] = [];
  server = new CallbackServer({
    db: store.db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [STATUS_URL],
    voice: { reminderTwiml: () => null, gatherTwiml: () => '<Response/>' },
    onStatusesRecorded: (recorded) => flushes.push([...recorded]),
    clock: () => NOW,
    ...overrides,
  });
  const { port } = await server.start();
  return { port, flushes };
}

describe('group commit of status callbacks', () => {
  it('commits callbacks that arrive together in one flush, events and inspector rows, and answers each after it', async () => {
    const calls = placeCalls(store.db, 10);
    // A generous deadline makes "together" deterministic on a loaded machine; the batch limit ends the wait.
    const { port, flushes } = await start({ groupCommit: { maxBatch: 10, maxDelayMs: 5_000 } });
    const other = new Database(store.file, { readonly: true });
    const seenAtAnswer: number[] = [];
    const started = Date.now();
    const responses = await Promise.all(
      calls.map((call) =>
        request(port, '/status', statusParams(call.callSid!, 'ringing', 1), {
          signUrl: STATUS_URL,
          onResponse: () => seenAtAnswer.push((other.prepare('SELECT COUNT(*) AS n FROM status_events').get() as { n: number }).n),
        }),
      ),
    );
    other.close();
    expect(Date.now() - started).toBeLessThan(4_000); // the 10th callback flushed the batch, not the deadline
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(204));
    expect(seenAtAnswer).toEqual(Array(10).fill(10)); // every answer came after the one commit of all ten
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.map((r) => r.event.callSid).sort()).toEqual(calls.map((c) => c.callSid).sort());
    const rows = listCallbackRequests(store.db, { limit: 100 });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.responseStatus === 204 && r.signatureVerdict === 'valid')).toBe(true);
    for (const call of calls) expect(getCallAttempt(store.db, call.id)!.status).toBe('ringing');
  });

  it('keeps the ordering rules inside one flush: a lower SequenceNumber after a final status changes nothing', async () => {
    const [call] = placeCalls(store.db, 1);
    const { port } = await start({ groupCommit: { maxBatch: 3, maxDelayMs: 5_000 } });
    const sid = call!.callSid!;
    const responses = await Promise.all([
      request(port, '/status', statusParams(sid, 'completed', 3, { CallDuration: '20' }), { signUrl: STATUS_URL }),
      request(port, '/status', statusParams(sid, 'ringing', 1), { signUrl: STATUS_URL }),
      request(port, '/status', statusParams(sid, 'in-progress', 2), { signUrl: STATUS_URL }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([204, 204, 204]);
    expect(getCallAttempt(store.db, call!.id)).toMatchObject({ status: 'completed', isFinal: true, answered: true, lastSequenceNumber: 3 });
    expect(listCallEvents(store.db, sid)).toHaveLength(3);
  });

  it('answers 500 to exactly the callbacks of a flush that could not be committed, and stores them when Twilio retries', async () => {
    const calls = placeCalls(store.db, 4);
    store.db.pragma('busy_timeout = 20');
    const { port, flushes } = await start({ groupCommit: { maxBatch: 2, maxDelayMs: 5_000 } });
    // Another process holds the write lock: this flush cannot write and must not be acknowledged.
    const locker = new Database(store.file);
    locker.exec('BEGIN IMMEDIATE');
    const failed = await Promise.all(calls.slice(0, 2).map((c) => request(port, '/status', statusParams(c.callSid!, 'ringing', 1), { signUrl: STATUS_URL })));
    locker.exec('ROLLBACK');
    locker.close();
    expect(failed.map((r) => r.status)).toEqual([500, 500]);
    expect(flushes).toEqual([]);
    expect(listCallEvents(store.db, calls[0]!.callSid!)).toEqual([]);

    const ok = await Promise.all(calls.map((c) => request(port, '/status', statusParams(c.callSid!, 'ringing', 1), { signUrl: STATUS_URL })));
    expect(ok.map((r) => r.status)).toEqual([204, 204, 204, 204]);
    expect(calls.map((c) => listCallEvents(store.db, c.callSid!).length)).toEqual([1, 1, 1, 1]);
    const statuses = listCallbackRequests(store.db, { limit: 100 }).map((r) => r.responseStatus);
    // (The refused requests' own inspector rows were written while the lock was still held, so they may be missing.)
    expect(statuses.filter((s) => s === 204)).toHaveLength(4);
  });

  it('commits with the next event-loop turn by default, so a lone callback is not held back', async () => {
    const [call] = placeCalls(store.db, 1);
    const { port, flushes } = await start();
    const res = await request(port, '/status', statusParams(call!.callSid!, 'ringing', 1), { signUrl: STATUS_URL });
    expect(res.status).toBe(204);
    expect(flushes).toHaveLength(1);
  });
});
