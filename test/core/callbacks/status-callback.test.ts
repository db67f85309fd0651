import { describe, expect, it } from 'vitest';
import { parseStatusCallback } from '../../../src-main/core/callbacks/status-callback';

const SID = 'CA0123456789abcdef0123456789abcdef';
const RECEIVED = '2026-11-24T09:00:05.000Z';

describe('parseStatusCallback', () => {
  it('reads Twilio’s fields: RFC 2822 Timestamp to ISO, numbers, AnsweredBy, errors; keeps every raw parameter', () => {
    const params = {
      CallSid: SID,
      CallStatus: 'completed',
      SequenceNumber: '3',
      Timestamp: 'Tue, 24 Nov 2026 14:03:46 +0000',
      CallDuration: '42',
      AnsweredBy: 'machine_end_beep',
      ErrorCode: '',
      ForwardedFrom: '',
      SipResponseCode: '200',
    };
    const parsed = parseStatusCallback(params, RECEIVED);
    expect(parsed).toEqual({
      ok: true,
      event: {
        callSid: SID,
        source: 'callback',
        sequenceNumber: 3,
        callStatus: 'completed',
        answeredBy: 'machine_end_beep',
        durationSeconds: 42,
        errorCode: null,
        errorMessage: null,
        twilioTimestamp: '2026-11-24T14:03:46.000Z',
        params,
        receivedAt: RECEIVED,
      },
    });
  });

  it('converts non-UTC offsets and accepts a callback without SequenceNumber (no events subscribed)', () => {
    const parsed = parseStatusCallback({ CallSid: SID, CallStatus: 'busy', Timestamp: 'Tue, 24 Nov 2026 09:03:46 -0500', ErrorCode: '31486' }, RECEIVED);
    expect(parsed.ok && parsed.event).toMatchObject({ sequenceNumber: null, twilioTimestamp: '2026-11-24T14:03:46.000Z', errorCode: '31486' });
  });

  it('rejects an unknown status, a missing or malformed SID, and malformed numbers or dates with a plain reason', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ CallSid: SID, CallStatus: 'teleported' }, /CallStatus: unknown call status "teleported"/],
      [{ CallSid: SID }, /CallStatus: missing/],
      [{ CallStatus: 'ringing' }, /CallSid/],
      [{ CallSid: 'CA123', CallStatus: 'ringing' }, /CallSid: must be a Twilio call SID/],
      [{ CallSid: SID, CallStatus: 'ringing', SequenceNumber: '-1' }, /SequenceNumber: must be a whole number/],
      [{ CallSid: SID, CallStatus: 'ringing', CallDuration: '4.5' }, /CallDuration/],
      [{ CallSid: SID, CallStatus: 'ringing', Timestamp: '2026-11-24T14:03:46Z' }, /Timestamp: must be an RFC 2822 date/],
      [{ CallSid: SID, CallStatus: 'ringing', Timestamp: 'Tue, 99 Nov 2026 14:03:46 +0000' }, /Timestamp: must be an RFC 2822 date/],
    ];
    for (const [params, reason] of cases) {
      const parsed = parseStatusCallback(params, RECEIVED);
      expect(parsed.ok, JSON.stringify(params)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(reason);
    }
  });
});
