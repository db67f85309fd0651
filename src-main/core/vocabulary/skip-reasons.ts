// Why a patient is not called, in each of the ways staff read it: a label on the screens, a count in a sentence
// ("2 appointments already passed"), and the export's error_message. One table, so the three cannot drift apart.

/** The same names as domain.ts SkipReason (the vocabulary imports nothing; the type check in domain.ts ties them). */
export type SkipReasonWord = 'already-reminded' | 'being-called' | 'appointment-passed' | 'outside-calling-hours' | 'do-not-call' | 'batch-cancelled';

/** "1 patient", "1,200 patients": English plurals for the counts staff read, with thousands separated. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

interface SkipReasonWords {
  /** On its own, on the screens: "Appointment already passed". */
  label: string;
  /** Counted, in a sentence: "2 appointments already passed". */
  counted: (n: number) => string;
  /** A skipped call's error_message in exports and batch logs. */
  inExport: string;
}

export const SKIP_REASON_WORDS: Readonly<Record<SkipReasonWord, SkipReasonWords>> = {
  'already-reminded': {
    label: 'Already reminded',
    counted: (n) => `${plural(n, 'patient')} already reminded`,
    inExport: 'not called: already reminded (a person answered, a voicemail was left, or they confirmed / cancelled)',
  },
  'being-called': {
    label: 'Already in a batch that is calling',
    counted: (n) => `${plural(n, 'patient')} already being called by another batch`,
    inExport: 'not called: already being called by another batch',
  },
  'appointment-passed': {
    label: 'Appointment already passed',
    counted: (n) => `${plural(n, 'appointment')} already passed`,
    inExport: 'not called: the appointment has already passed',
  },
  'outside-calling-hours': {
    label: 'Outside calling hours',
    counted: (n) => `${plural(n, 'patient')} outside calling hours`,
    inExport: 'not called: outside calling hours',
  },
  'do-not-call': {
    label: 'On the do-not-call list',
    counted: (n) => `${plural(n, 'patient')} on the do-not-call list`,
    inExport: 'not called: the number is on the do-not-call list',
  },
  'batch-cancelled': {
    label: 'Not called (batch cancelled)',
    counted: (n) => `${plural(n, 'patient')} not called (batch cancelled)`,
    inExport: 'not dialled: the batch was cancelled first',
  },
};
