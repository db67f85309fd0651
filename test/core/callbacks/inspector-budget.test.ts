// The inspector's size budget (callbacks/inspector-budget.ts): a running total decides when to trim, and a trim goes
// down to 90 % of the budget, oldest first, so a burst of rejected requests cannot fill the disk.
import { afterEach, describe, expect, it } from 'vitest';
import { InspectorBudget } from '../../../src-main/core/callbacks/inspector-budget';
import { callbackRequestsBytes, insertCallbackRequest } from '../../../src-main/core/store/callback-requests';
import { tempDb } from '../batches/fixtures';

const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});

/** Stores a rejected (or valid) request of about `size` bytes, as the inspector writer does, and tells the budget. */
function store(db: ReturnType<typeof tempDb>['db'], budget: InspectorBudget, n: number, verdict: 'valid' | 'invalid' = 'invalid'): number {
  const request = {
    receivedAt: new Date(Date.UTC(2030, 0, 14, 15, 0, n)).toISOString(),
    method: 'POST',
    path: '/status',
    query: '',
    headers: {},
    params: { Body: 'x'.repeat(900) },
    callSid: null,
    signatureVerdict: verdict,
    rejectionReason: verdict === 'valid' ? null : 'forged',
    responseStatus: verdict === 'valid' ? 204 : 403,
    latencyMs: 1,
  } as const;
  const before = callbackRequestsBytes(db);
  insertCallbackRequest(db, request);
  return budget.noteStored(callbackRequestsBytes(db) - before);
}

describe('InspectorBudget', () => {
  it('keeps every row under the budget, then trims to 90 % of it when a row passes it, oldest rejected rows first', () => {
    const s = tempDb();
    stores.push(s);
    const budget = new InspectorBudget(s.db, 10_000);
    const deleted: number[] = [];
    store(s.db, budget, 0, 'valid');
    for (let i = 1; i <= 9; i++) deleted.push(store(s.db, budget, i));
    expect(deleted.every((n) => n === 0)).toBe(true);
    expect(callbackRequestsBytes(s.db)).toBeLessThanOrEqual(10_000);

    const trimmed = store(s.db, budget, 10); // the eleventh ~1 KB row passes 10,000 bytes
    expect(trimmed).toBeGreaterThan(0);
    expect(callbackRequestsBytes(s.db)).toBeLessThanOrEqual(9_000);
    const verdicts = s.db.prepare('SELECT signature_verdict AS v FROM callback_requests ORDER BY id').all() as { v: string }[];
    expect(verdicts[0]!.v).toBe('valid'); // Twilio's real callback outlived older forged ones
  });

  it('reads the table once on its first row, then counts; resync re-reads after pruning by age', () => {
    const s = tempDb();
    stores.push(s);
    const first = new InspectorBudget(s.db, 10_000);
    for (let i = 0; i < 8; i++) store(s.db, first, i);
    // A new budget over a table already near its limit (a restart) starts from the table's own total.
    const restarted = new InspectorBudget(s.db, 10_000);
    expect(store(s.db, restarted, 8)).toBe(0);
    expect(store(s.db, restarted, 9) + store(s.db, restarted, 10)).toBeGreaterThan(0);
    expect(callbackRequestsBytes(s.db)).toBeLessThanOrEqual(10_000);

    s.db.prepare('DELETE FROM callback_requests').run(); // what pruning by retention_days does
    expect(restarted.resync()).toBe(0);
    expect(store(s.db, restarted, 11)).toBe(0);
  });
});
