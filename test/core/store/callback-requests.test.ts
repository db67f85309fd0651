import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  getCallbackRequest,
  insertCallbackRequest,
  lastValidStatusCallbackAt,
  listCallbackRequests,
  pruneCallbackRequests,
  type CallbackRequestInput,
} from '../../../src-main/core/store/callback-requests';
import { openDatabase, type Db } from '../../../src-main/core/store/database';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

function input(n: number, overrides: Partial<CallbackRequestInput> = {}): CallbackRequestInput {
  return {
    receivedAt: new Date(Date.UTC(2026, 10, 24, 9, 0, n)).toISOString(),
    method: 'POST',
    path: '/status',
    query: '',
    headers: { 'user-agent': 'TwilioProxy/1.1' },
    params: { CallSid: `CA${n}`, CallStatus: 'ringing' },
    callSid: `CA${n % 2}`,
    signatureVerdict: 'valid',
    rejectionReason: null,
    responseStatus: 204,
    latencyMs: 1.5,
    ...overrides,
  };
}

describe('callback requests (inspector store)', () => {
  it('round-trips a request, with a null body when none was read', () => {
    const id = insertCallbackRequest(db, input(1));
    expect(getCallbackRequest(db, id)).toEqual({ id, ...input(1) });
    const bare = insertCallbackRequest(db, input(2, { params: null, signatureVerdict: 'not-checked', responseStatus: 404, rejectionReason: null }));
    expect(getCallbackRequest(db, bare)!.params).toBeNull();
    expect(getCallbackRequest(db, 999)).toBeNull();
  });

  it('lists the most recent requests oldest first, pages forward after an id, filters by CallSid', () => {
    const ids = [1, 2, 3, 4, 5].map((n) => insertCallbackRequest(db, input(n)));
    expect(listCallbackRequests(db, { limit: 2 }).map((r) => r.id)).toEqual([ids[3], ids[4]]);
    expect(listCallbackRequests(db, { limit: 2, afterId: ids[0] }).map((r) => r.id)).toEqual([ids[1], ids[2]]);
    expect(listCallbackRequests(db, { limit: 10, afterId: ids[4] })).toEqual([]);
    expect(listCallbackRequests(db, { limit: 10, callSid: 'CA1' }).map((r) => r.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect(listCallbackRequests(db, { limit: 1, callSid: 'CA1', afterId: ids[0] }).map((r) => r.id)).toEqual([ids[2]]);
  });

  it('prunes by time using the time index', () => {
    [1, 2, 3].forEach((n) => insertCallbackRequest(db, input(n)));
    expect(pruneCallbackRequests(db, input(3).receivedAt)).toBe(2);
    expect(listCallbackRequests(db, { limit: 10 }).map((r) => r.receivedAt)).toEqual([input(3).receivedAt]);
    const plan = db.prepare('EXPLAIN QUERY PLAN DELETE FROM callback_requests WHERE received_at < ?').all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('callback_requests_by_time');
  });

  it('knows when the last stored status callback arrived (not self-tests, not rejections)', () => {
    expect(lastValidStatusCallbackAt(db)).toBeNull();
    insertCallbackRequest(db, input(1));
    insertCallbackRequest(db, input(2, { responseStatus: 200 })); // self-test
    insertCallbackRequest(db, input(3, { signatureVerdict: 'invalid', responseStatus: 403 }));
    expect(lastValidStatusCallbackAt(db)).toBe(input(1).receivedAt);
  });
});
