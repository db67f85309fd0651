import { describe, expect, it } from 'vitest';
import { shouldApply } from '../../../src-main/core/calls/call-status';

const cb = (status: Parameters<typeof shouldApply>[1]['status'], sequenceNumber: number) => ({ status, source: 'callback' as const, sequenceNumber });
const poll = (status: Parameters<typeof shouldApply>[1]['status']) => ({ status, source: 'poll' as const, sequenceNumber: null });

describe('shouldApply', () => {
  it('orders callbacks by SequenceNumber, whatever order they arrive in', () => {
    expect(shouldApply({ status: 'in-progress', source: 'callback', lastSequenceNumber: 2 }, cb('ringing', 1))).toBe(false);
    expect(shouldApply({ status: 'ringing', source: 'callback', lastSequenceNumber: 1 }, cb('in-progress', 2))).toBe(true);
    expect(shouldApply({ status: 'ringing', source: 'callback', lastSequenceNumber: 1 }, cb('ringing', 1))).toBe(false);
  });

  it('never replaces a final status, and a final status beats any live one', () => {
    expect(shouldApply({ status: 'completed', source: 'callback', lastSequenceNumber: 3 }, cb('busy', 4))).toBe(false);
    expect(shouldApply({ status: 'busy', source: 'poll', lastSequenceNumber: null }, cb('in-progress', 2))).toBe(false);
    expect(shouldApply({ status: 'in-progress', source: 'callback', lastSequenceNumber: 2 }, poll('completed'))).toBe(true);
  });

  it('orders snapshots, and callbacks after a snapshot, by progress (a snapshot has no sequence)', () => {
    expect(shouldApply({ status: 'in-progress', source: 'callback', lastSequenceNumber: 2 }, poll('ringing'))).toBe(false);
    // initiated#0, then a poll saw in-progress, then the late ringing#1 arrives: it must not move the call back.
    expect(shouldApply({ status: 'in-progress', source: 'poll', lastSequenceNumber: 0 }, cb('ringing', 1))).toBe(false);
    expect(shouldApply({ status: 'ringing', source: 'poll', lastSequenceNumber: 0 }, cb('in-progress', 2))).toBe(true);
  });
});
