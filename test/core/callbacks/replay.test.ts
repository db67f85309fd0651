import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackServer } from '../../../src-main/core/callbacks/callback-server';
import { replayCallbackRequest, ReplayRefusedError } from '../../../src-main/core/callbacks/replay';
import { getCallAttempt } from '../../../src-main/core/store/call-attempts';
import { listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { listCallEvents } from '../../../src-main/core/store/status-events';
import { AUTH_TOKEN, eventually, NOW, openTestStore, placeCalls, request, STATUS_URL, statusParams, type TestStore } from './callback-fixtures';

let store: TestStore;
let server: CallbackServer;
let port: number;

beforeEach(async () => {
  store = openTestStore();
  server = new CallbackServer({
    db: store.db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [STATUS_URL],
    voice: { reminderTwiml: () => null, gatherTwiml: () => '<Response/>' },
    clock: () => NOW,
  });
  ({ port } = await server.start());
});
afterEach(async () => {
  await server.stop();
  store.close();
});

async function storedRequests(count: number) {
  return eventually(() => {
    const rows = listCallbackRequests(store.db, { limit: 100 });
    return rows.length === count ? rows : null;
  });
}

describe('replayCallbackRequest', () => {
  it('re-applies a callback the database failed to store, and a second replay changes nothing', async () => {
    const [attempt] = placeCalls(store.db, 1);
    store.db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON status_events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const params = statusParams(attempt!.callSid!, 'completed', 3, { CallDuration: '61' });
    expect((await request(port, '/status', params, { signUrl: STATUS_URL })).status).toBe(500);
    const [failed] = await storedRequests(1);
    expect(failed).toMatchObject({ signatureVerdict: 'valid', responseStatus: 500 });
    store.db.exec('DROP TRIGGER refuse_events');

    const first = replayCallbackRequest(store.db, failed!.id);
    expect(first).toMatchObject({ stored: true, applied: true, attempt: { status: 'completed', durationSeconds: 61, isFinal: true } });
    const after = getCallAttempt(store.db, attempt!.id);
    const second = replayCallbackRequest(store.db, failed!.id);
    expect(second).toMatchObject({ stored: false, applied: false });
    expect(getCallAttempt(store.db, attempt!.id)).toEqual(after);
    expect(listCallEvents(store.db, attempt!.callSid!)).toHaveLength(1);
    expect(listCallEvents(store.db, attempt!.callSid!)[0]!.receivedAt).toBe(failed!.receivedAt);
  });

  it('replaying a delivered callback is a no-op', async () => {
    const [attempt] = placeCalls(store.db, 1);
    expect((await request(port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), { signUrl: STATUS_URL })).status).toBe(204);
    const [delivered] = await storedRequests(1);
    expect(replayCallbackRequest(store.db, delivered!.id)).toMatchObject({ stored: false, applied: false, attempt: { status: 'ringing' } });
  });

  it('refuses requests whose signature was not valid, other paths, self-tests, malformed bodies and unknown ids', async () => {
    const [attempt] = placeCalls(store.db, 1);
    await request(port, '/status', statusParams(attempt!.callSid!, 'completed', 3), { signUrl: STATUS_URL, token: 'wrong' });
    await request(port, '/status', statusParams(attempt!.callSid!, 'completed', 3));
    await request(port, '/twiml?attempt=1', { CallSid: attempt!.callSid! }, { signUrl: attempt!.twimlUrl! });
    await request(port, '/status', { SelfTest: 'n' }, { signUrl: STATUS_URL });
    await request(port, '/status', statusParams(attempt!.callSid!, 'teleported', 3), { signUrl: STATUS_URL });
    const [invalid, missing, twiml, selfTest, malformed] = await storedRequests(5);
    expect(() => replayCallbackRequest(store.db, invalid!.id)).toThrow(/signature was invalid when it arrived/);
    expect(() => replayCallbackRequest(store.db, missing!.id)).toThrow(/signature was missing/);
    expect(() => replayCallbackRequest(store.db, twiml!.id)).toThrow(/only POST \/status can be replayed/);
    expect(() => replayCallbackRequest(store.db, selfTest!.id)).toThrow(/self-test/);
    expect(() => replayCallbackRequest(store.db, malformed!.id)).toThrow(/unknown call status/);
    expect(() => replayCallbackRequest(store.db, 9999)).toThrow(ReplayRefusedError);
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
  });
});
