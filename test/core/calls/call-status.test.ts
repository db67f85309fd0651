import { describe, expect, it } from 'vitest';
import { CALL_STATUSES, isCallStatus, isFinalStatus, progressRank, shouldApply } from '../../../src-main/core/calls/call-status';

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

  it('between two numbered callbacks the sequence decides, even against progress; without a number, progress does', () => {
    expect(shouldApply({ status: 'in-progress', source: 'callback', lastSequenceNumber: 2 }, cb('ringing', 3))).toBe(true);
    expect(shouldApply({ status: 'ringing', source: 'callback', lastSequenceNumber: 1 }, { status: 'queued', source: 'callback', sequenceNumber: null })).toBe(false);
    expect(shouldApply({ status: 'ringing', source: 'callback', lastSequenceNumber: null }, cb('queued', 5))).toBe(false);
    expect(shouldApply({ status: 'ringing', source: 'callback', lastSequenceNumber: null }, cb('in-progress', 0))).toBe(true);
    expect(shouldApply({ status: null, source: null, lastSequenceNumber: null }, poll('queued'))).toBe(true);
  });
});

describe('call status words', () => {
  it('knows exactly Twilio\'s nine call statuses', () => {
    for (const status of CALL_STATUSES) expect(isCallStatus(status)).toBe(true);
    for (const other of ['answered', 'COMPLETED', '', ' ringing', null, undefined, 3, {}]) expect({ other, known: isCallStatus(other) }).toEqual({ other, known: false });
  });

  it('ranks progress queued < initiated < ringing < in-progress < every final status, and only five are final', () => {
    expect(['queued', 'initiated', 'ringing', 'in-progress'].map((s) => progressRank(s as never))).toEqual([0, 1, 2, 3]);
    for (const final of ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const) {
      expect({ final, rank: progressRank(final), isFinal: isFinalStatus(final) }).toEqual({ final, rank: 4, isFinal: true });
    }
    expect(CALL_STATUSES.filter(isFinalStatus)).toEqual(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
    expect([isFinalStatus(null), isFinalStatus(undefined)]).toEqual([false, false]);
  });
});
