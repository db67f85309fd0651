import { describe, expect, it } from 'vitest';
import { reminderOutcome, notReachedKind, type OutcomeFacts } from '../../../src-main/core/calls/reminder-outcome';
import { describeSkips, nobodyToCallMessage } from '../../../src-main/core/batches/batch-start-rules';
import { callErrorMessage } from '../../../src-main/core/batches/call-error-message';
import { countSkips, decideEligibility, type Candidate } from '../../../src-main/core/batches/eligibility';
import { batchLabel } from '../../../src-main/core/results/batch-label';
import type { ReminderOutcome } from '../../../src-main/core/domain';

const NOW = Date.parse('2026-11-24T10:00:00-05:00');
const patient = (id: number, at = '2026-11-25T09:00:00-05:00', over: Partial<Candidate> = {}): Candidate => ({
  id,
  name: `P${id}`,
  phoneNumber: `+1212555010${id}`,
  appointmentAt: at,
  confirmation: null,
  ...over,
});
const rules = { nowMs: NOW, practice: false, withinCallingHours: true };

describe('who a batch calls (one rule set for the API, run and the scheduler)', () => {
  it('calls the not-reached and the never-called; skips the reminded unless chosen one by one', () => {
    const history: Record<number, ReminderOutcome[]> = { 1: ['not-reached'], 2: ['voicemail'], 3: ['not-reached', 'reached'], 4: [], 5: ['not-called'] };
    const result = decideEligibility([patient(1), patient(2), patient(3), patient(4), patient(5)], (id) => history[id] ?? [], rules);
    expect(result.toCall.map((a) => a.id)).toEqual([1, 4, 5]);
    expect(result.skipped.map((s) => [s.appointment.id, s.reason, s.lastOutcome])).toEqual([
      [2, 'already-reminded', 'voicemail'],
      [3, 'already-reminded', 'reached'],
    ]);
    const again = decideEligibility([patient(2), patient(3)], (id) => history[id] ?? [], { ...rules, callAgain: [3] });
    expect(again.toCall.map((a) => a.id)).toEqual([3]);
  });

  it('a key pressed is kept on the appointment: confirmed or cancelled patients count as reminded', () => {
    const result = decideEligibility([patient(1, undefined, { confirmation: 'cancelled' })], () => [], rules);
    expect(result.skipped).toMatchObject([{ reason: 'already-reminded', lastOutcome: 'cancelled' }]);
  });

  it('first rule that applies is the reason: do-not-call, passed, being called, reminded, calling hours', () => {
    const dnc = new Set(['+12125550101']);
    const candidates = [patient(1), patient(2, '2026-11-24T09:59:00-05:00'), patient(3), patient(4), patient(5)];
    const history: Record<number, ReminderOutcome[]> = { 3: ['waiting'], 4: ['confirmed'] };
    const night = decideEligibility(candidates, (id) => history[id] ?? [], { ...rules, withinCallingHours: false, isDoNotCall: (n) => dnc.has(n) });
    expect(night.toCall).toEqual([]);
    expect(night.skipped.map((s) => s.reason)).toEqual(['do-not-call', 'appointment-passed', 'being-called', 'already-reminded', 'outside-calling-hours']);
    expect(countSkips(night.skipped)).toEqual({ 'do-not-call': 1, 'appointment-passed': 1, 'being-called': 1, 'already-reminded': 1, 'outside-calling-hours': 1 });
    // Practice calls reach nobody: calling hours do not hold them; the other rules still do.
    const practice = decideEligibility(candidates, (id) => history[id] ?? [], { ...rules, practice: true, withinCallingHours: false, isDoNotCall: (n) => dnc.has(n) });
    expect(practice.toCall.map((a) => a.id)).toEqual([5]);
    // An appointment at this very minute has passed; a duplicate in the selection is decided once.
    expect(decideEligibility([patient(7, new Date(NOW).toISOString()), patient(8), patient(8)], () => [], rules).skipped).toHaveLength(1);
    expect(decideEligibility([patient(8), patient(8)], () => [], rules).toCall).toHaveLength(1);
  });

  it('says why in one sentence', () => {
    expect(describeSkips({ 'already-reminded': 3, 'appointment-passed': 1 })).toBe('3 patients already reminded, 1 appointment already passed');
    expect(nobodyToCallMessage({ 'outside-calling-hours': 4 }, { start: '09:00', end: '19:00' })).toMatch(/^It is outside calling hours \(09:00–19:00, clinic time\)/);
    expect(nobodyToCallMessage({ 'already-reminded': 1 }, { start: '09:00', end: '19:00' })).toBe(
      'Nobody here needs a reminder call: 1 patient already reminded. To call an already-reminded patient again, choose "Call again" for that patient.',
    );
  });
});

describe('what a call achieved', () => {
  const base: OutcomeFacts = { state: 'placed', status: 'completed', isFinal: true, answered: true, answeredBy: 'human', confirmation: null };
  it.each<[Partial<OutcomeFacts>, ReminderOutcome, string | null]>([
    [{ confirmation: 'confirmed' }, 'confirmed', null],
    [{ confirmation: 'cancelled' }, 'cancelled', null],
    [{}, 'reached', null],
    [{ answeredBy: 'unknown' }, 'reached', null],
    [{ answeredBy: 'machine_end_beep' }, 'voicemail', null],
    [{ answeredBy: 'fax' }, 'not-reached', 'no-answer'],
    [{ status: 'busy', answered: false, answeredBy: null }, 'not-reached', 'busy'],
    [{ status: 'no-answer', answered: false, answeredBy: null }, 'not-reached', 'no-answer'],
    [{ status: 'failed', answered: false, answeredBy: null }, 'not-reached', 'failed'],
    [{ state: 'rejected', status: 'failed', answered: false, answeredBy: null }, 'not-reached', 'not-placed'],
    [{ status: 'ringing', isFinal: false, answered: false }, 'in-progress', null],
    [{ status: 'in-progress', isFinal: false }, 'in-progress', null],
    [{ state: 'dialing', status: null, isFinal: false, answered: false }, 'in-progress', null],
    [{ state: 'pending', status: null, isFinal: false, answered: false }, 'waiting', null],
    [{ state: 'skipped', status: null, isFinal: false, answered: false }, 'not-called', null],
  ])('%j -> %s', (over, outcome, kind) => {
    const facts = { ...base, ...over };
    expect(reminderOutcome(facts)).toBe(outcome);
    expect(notReachedKind(facts)).toBe(kind);
  });
});

describe('batch labels and export error messages', () => {
  it('names a batch by its appointment days', () => {
    expect(batchLabel(['2026-11-25'])).toBe('Wed, Nov 25');
    expect(batchLabel(['2026-11-26', '2026-11-25', '2026-11-25'])).toBe('Nov 25 – Nov 26');
    expect(batchLabel(['2026-11-25', '2026-11-27'])).toBe('Nov 25, Nov 27');
    expect(batchLabel(['2026-11-01', '2026-11-03', '2026-11-05', '2026-11-09'])).toBe('Nov 1, Nov 3 and 2 more days');
    expect(batchLabel(['2026-11-25'], { testCall: true })).toBe('Test call');
  });

  it('error_message: never empty for a call that did not reach the patient, Twilio code once', () => {
    const row = { state: 'placed', status: 'failed', skipReason: null, errorCode: null, errorMessage: null, answered: false } as const;
    expect(callErrorMessage(row)).toBe('the call could not be connected');
    expect(callErrorMessage({ ...row, status: 'busy' })).toBe('the line was busy');
    expect(callErrorMessage({ ...row, status: 'completed', answered: true })).toBeNull();
    expect(callErrorMessage({ ...row, state: 'rejected', errorCode: '21211', errorMessage: "Invalid 'To' Phone Number: +14045550107 (Twilio error 21211)" })).toBe(
      "Invalid 'To' Phone Number: +14045550107 (Twilio error 21211)",
    );
    expect(callErrorMessage({ ...row, state: 'rejected', status: 'failed', errorCode: '21211', errorMessage: null })).toBe('Twilio error 21211');
    expect(callErrorMessage({ ...row, state: 'skipped', status: null, skipReason: 'do-not-call' })).toBe('not called: the number is on the do-not-call list');
  });
});
