import { describe, expect, it } from 'vitest';
import { judgeKeypadAnswer } from '../../../src-main/core/calls/keypad-answer';

const SID = `CA${'1'.repeat(32)}`;

describe('judgeKeypadAnswer', () => {
  it('accepts an answer for the call this attempt placed while it has not ended (statuses may lag)', () => {
    for (const status of [null, 'initiated', 'ringing', 'in-progress'] as const) {
      expect(judgeKeypadAnswer({ callSid: SID, status }, SID)).toEqual({ accept: true });
    }
  });

  it('ignores an answer after the call ended, for another call, or for an attempt without a call', () => {
    for (const status of ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const) {
      const verdict = judgeKeypadAnswer({ callSid: SID, status }, SID);
      expect(verdict).toMatchObject({ accept: false, reason: expect.stringContaining('already ended') });
    }
    expect(judgeKeypadAnswer({ callSid: SID, status: 'in-progress' }, `CA${'2'.repeat(32)}`)).toMatchObject({ accept: false, reason: expect.stringContaining('not the call') });
    expect(judgeKeypadAnswer({ callSid: SID, status: 'in-progress' }, undefined)).toMatchObject({ accept: false });
    expect(judgeKeypadAnswer({ callSid: null, status: null }, SID)).toMatchObject({ accept: false });
    expect(judgeKeypadAnswer(null, SID)).toMatchObject({ accept: false });
  });
});
