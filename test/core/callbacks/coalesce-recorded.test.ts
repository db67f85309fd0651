import { describe, expect, it } from 'vitest';
import { coalesceRecorded } from '../../../src-main/core/callbacks/coalesce-recorded';
import type { CallAttempt } from '../../../src-main/core/domain';
import type { RecordResult } from '../../../src-main/core/store/status-events';

const attempt = (id: number, batchId: string, status: string) => ({ id, batchId, status }) as unknown as CallAttempt;

describe('coalesceRecorded', () => {
  it('pushes each call once with its last state, each moved batch once, and skips duplicates and orphans', () => {
    const results: RecordResult[] = [
      { stored: true, applied: true, attempt: attempt(1, 'b1', 'ringing') },
      { stored: true, applied: true, attempt: attempt(1, 'b1', 'completed') },
      { stored: true, applied: false, attempt: attempt(2, 'b2', 'busy') }, // a late fact: call pushed, batch not
      { stored: false, applied: false, attempt: attempt(3, 'b3', 'ringing') }, // duplicate
      { stored: true, applied: false, attempt: null }, // orphan
    ];
    const { calls, batches } = coalesceRecorded(results);
    expect(calls.map((c) => [c.id, c.status])).toEqual([
      [1, 'completed'],
      [2, 'busy'],
    ]);
    expect(batches).toEqual(['b1']);
  });
});
