// What a poll or a reconcile stores from Twilio's Call resource: the status, and the call's times and answer only
// when they mean something (a start time once a person or machine picked up, an end time once the call is over).
import { describe, expect, it } from 'vitest';
import { snapshotEvent } from '../../../src-main/core/calls/record-call-snapshot';
import type { CallResource } from '../../../src-main/core/twilio/twilio-client';

const SID = 'CA00000000000000000000000000000001';
const START = new Date('2030-01-14T15:00:05.000Z');
const END = new Date('2030-01-14T15:00:46.000Z');

function call(overrides: Partial<CallResource>): CallResource {
  return { sid: SID, to: '+12125550100', from: '+15005550006', status: 'queued', dateCreated: null, startTime: null, endTime: null, duration: null, answeredBy: null, ...overrides };
}

describe('snapshotEvent', () => {
  it('a call still ringing: the status only, no times, no duration, no answer', () => {
    expect(snapshotEvent(call({ status: 'ringing' }), 'poll', '2030-01-14T15:00:03.000Z')).toEqual({
      callSid: SID,
      source: 'poll',
      sequenceNumber: null,
      callStatus: 'ringing',
      answeredBy: null,
      durationSeconds: null,
      startedAt: null,
      endedAt: null,
      params: { CallSid: SID, CallStatus: 'ringing', To: '+12125550100', From: '+15005550006' },
      receivedAt: '2030-01-14T15:00:03.000Z',
    });
  });

  it('a call on the line: when it was answered, but no end and no duration yet, even if the resource carries them', () => {
    const event = snapshotEvent(call({ status: 'in-progress', startTime: START, endTime: END, duration: 0 }), 'reconcile', 'now');
    expect({ startedAt: event.startedAt, endedAt: event.endedAt, durationSeconds: event.durationSeconds, source: event.source }).toEqual({
      startedAt: START.toISOString(),
      endedAt: null,
      durationSeconds: null,
      source: 'reconcile',
    });
    // The raw resource is kept as Twilio gave it, a zero duration included.
    expect(event.params).toMatchObject({ StartTime: START.toISOString(), EndTime: END.toISOString(), CallDuration: '0' });
  });

  it('a finished call answered by a machine: start, end, duration and who answered, in the event and its params', () => {
    const event = snapshotEvent(call({ status: 'completed', startTime: START, endTime: END, duration: 41, answeredBy: 'machine_end_beep' }), 'poll', 'now');
    expect(event).toMatchObject({
      callStatus: 'completed',
      answeredBy: 'machine_end_beep',
      durationSeconds: 41,
      startedAt: START.toISOString(),
      endedAt: END.toISOString(),
      params: { CallSid: SID, CallStatus: 'completed', AnsweredBy: 'machine_end_beep', CallDuration: '41', StartTime: START.toISOString(), EndTime: END.toISOString() },
    });
  });

  it('a busy line nobody answered: it ended (with its end time and zero seconds) but was never answered', () => {
    const event = snapshotEvent(call({ status: 'busy', startTime: START, endTime: END, duration: 0 }), 'poll', 'now');
    expect({ startedAt: event.startedAt, endedAt: event.endedAt, durationSeconds: event.durationSeconds }).toEqual({
      startedAt: null,
      endedAt: END.toISOString(),
      durationSeconds: 0,
    });
  });
});
