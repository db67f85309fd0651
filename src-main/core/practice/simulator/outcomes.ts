// What happens to a practice call, chosen from the last two digits of the number dialled — the same idea as
// Twilio's magic test numbers, so a clinic (or a test) can put every outcome into one spreadsheet on purpose.

export type SimulatedOutcome =
  | 'human-confirms' // answered by a person who presses 1
  | 'human-cancels' // answered by a person who presses 2
  | 'human-no-key' // answered by a person who listens and presses nothing
  | 'voicemail' // answered by a machine (AnsweredBy machine_end_beep), status completed
  | 'busy'
  | 'no-answer' // rings for the call's Timeout, then no-answer
  | 'failed' // carrier failure after initiated (SipResponseCode 503)
  | 'rejected-invalid-to' // refused at creation: 400, code 21211
  | 'long-call' // a person who stays on the line about a minute
  | 'canceled'; // the call is canceled while it rings

export interface OutcomeRow {
  readonly lastDigits: string;
  readonly outcome: SimulatedOutcome;
  readonly description: string;
}

export const OUTCOME_TABLE: readonly OutcomeRow[] = [
  { lastDigits: '00', outcome: 'human-confirms', description: 'Answered by a person who presses 1 (confirm); completed' },
  { lastDigits: '01', outcome: 'human-cancels', description: 'Answered by a person who presses 2 (cancel); completed' },
  { lastDigits: '02', outcome: 'human-no-key', description: 'Answered by a person who presses no key; completed' },
  { lastDigits: '03', outcome: 'voicemail', description: 'Voicemail: AnsweredBy machine_end_beep; completed' },
  { lastDigits: '04', outcome: 'busy', description: 'Busy; final status busy (SipResponseCode 486)' },
  { lastDigits: '05', outcome: 'no-answer', description: "Rings for the call's Timeout; final status no-answer (SipResponseCode 487)" },
  { lastDigits: '06', outcome: 'failed', description: 'Carrier failure after initiated; final status failed (SipResponseCode 503)' },
  { lastDigits: '07', outcome: 'rejected-invalid-to', description: "Rejected at creation: HTTP 400, code 21211 (invalid 'To'); no call exists" },
  { lastDigits: '08', outcome: 'long-call', description: 'Answered by a person; stays in-progress about 60 s, then completed' },
  { lastDigits: '09', outcome: 'canceled', description: 'Canceled while ringing; final status canceled (SipResponseCode 487)' },
];

/** Any number whose last two digits are not in the table behaves like `00`. */
export const DEFAULT_OUTCOME: SimulatedOutcome = 'human-confirms';

export function outcomeForNumber(e164: string): SimulatedOutcome {
  const digits = e164.replace(/\D/g, '');
  const lastTwo = digits.slice(-2);
  return OUTCOME_TABLE.find((row) => row.lastDigits === lastTwo)?.outcome ?? DEFAULT_OUTCOME;
}

/** The key a person presses at the reminder's <Gather>, when the outcome has one. */
export function digitsPressed(outcome: SimulatedOutcome): string | null {
  if (outcome === 'human-confirms') return '1';
  if (outcome === 'human-cancels') return '2';
  return null;
}
