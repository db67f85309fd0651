import { describe, expect, it } from 'vitest';
import { END_GRACE_MS, judgeKeypadAnswer } from '../../../src-main/core/calls/keypad-answer';

const SID = `CA${'1'.repeat(32)}`;
const ENDED = Date.parse('2026-11-24T09:00:00.000Z');
const call = (over: Partial<Parameters<typeof judgeKeypadAnswer>[0] & object> = {}) => ({
  callSid: SID,
  status: 'in-progress' as const,
  endedAt: null,
  confirmation: null,
  ...over,
});

describe('judgeKeypadAnswer', () => {
  it('accepts the first answer for the call this attempt placed while it is on (statuses may lag)', () => {
    for (const status of [null, 'initiated', 'ringing', 'in-progress'] as const) expect(judgeKeypadAnswer(call({ status }), SID, ENDED)).toEqual({ accept: true });
    // calls.create has not answered yet: the only call of this attempt is the one being placed
    expect(judgeKeypadAnswer(call({ callSid: null, status: null }), SID, ENDED)).toEqual({ accept: true });
  });

  it('accepts an answer that races the final status callback, shortly after the recorded end', () => {
    const ended = call({ status: 'completed', endedAt: new Date(ENDED).toISOString() });
    expect(judgeKeypadAnswer(ended, SID, ENDED + END_GRACE_MS)).toEqual({ accept: true });
    expect(judgeKeypadAnswer(ended, SID, ENDED + END_GRACE_MS + 1)).toMatchObject({ accept: false, reason: expect.stringContaining('already ended (completed)') });
  });

  it('ignores a second answer, another call, a call long over, and unknown attempts', () => {
    expect(judgeKeypadAnswer(call({ confirmation: 'cancelled' }), SID, ENDED)).toMatchObject({ accept: false, reason: expect.stringContaining('already answered (cancelled)') });
    expect(judgeKeypadAnswer(call(), `CA${'2'.repeat(32)}`, ENDED)).toMatchObject({ accept: false, reason: expect.stringContaining('not the call') });
    expect(judgeKeypadAnswer(call(), undefined, ENDED)).toMatchObject({ accept: false });
    for (const status of ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const) {
      expect(judgeKeypadAnswer(call({ status, endedAt: null }), SID, ENDED)).toMatchObject({ accept: false });
      expect(judgeKeypadAnswer(call({ status, endedAt: '2026-11-24T08:00:00.000Z' }), SID, ENDED)).toMatchObject({ accept: false });
    }
    expect(judgeKeypadAnswer(null, SID, ENDED)).toMatchObject({ accept: false });
  });
});
