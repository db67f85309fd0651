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
  | 'canceled' // the call is canceled while it rings
  | 'human-repeats' // a person who presses 3 (hear it again), then 1
  | 'human-opts-out' // a person who presses 9 (no more reminder calls)
  | 'human-invalid-key'; // a person who presses 5, then nothing after the re-prompt

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
  { lastDigits: '10', outcome: 'human-repeats', description: 'Answered by a person who presses 3 (repeat), then 1 (confirm); completed' },
  { lastDigits: '11', outcome: 'human-opts-out', description: 'Answered by a person who presses 9 (stop reminder calls); completed' },
  { lastDigits: '12', outcome: 'human-invalid-key', description: 'Answered by a person who presses 5, then nothing after the re-prompt; completed' },
];

/** Any number whose last two digits are not in the table behaves like `00`. */
export const DEFAULT_OUTCOME: SimulatedOutcome = 'human-confirms';

export function outcomeForNumber(e164: string): SimulatedOutcome {
  const digits = e164.replace(/\D/g, '');
  const lastTwo = digits.slice(-2);
  return OUTCOME_TABLE.find((row) => row.lastDigits === lastTwo)?.outcome ?? DEFAULT_OUTCOME;
}

/**
 * The keys a person presses at successive <Gather>s ('' = none: the prompt times out), or null for an outcome with
 * nobody at the keypad. A '' is only posted when the Gather asks for it (actionOnEmptyResult), as Twilio does.
 */
export function keysPressed(outcome: SimulatedOutcome): string[] | null {
  switch (outcome) {
    case 'human-confirms':
      return ['1'];
    case 'human-cancels':
      return ['2'];
    case 'human-no-key':
      return ['', ''];
    case 'human-repeats':
      return ['3', '1'];
    case 'human-opts-out':
      return ['9'];
    case 'human-invalid-key':
      return ['5', ''];
    default:
      return null;
  }
}

/** The first key a person presses at the reminder's <Gather>, when the outcome has one. */
export function digitsPressed(outcome: SimulatedOutcome): string | null {
  return keysPressed(outcome)?.[0] ?? null;
}
