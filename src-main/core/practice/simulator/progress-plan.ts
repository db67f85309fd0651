import type { CallResourceStatus, ProgressStep } from './call-record';
import type { SimulatedOutcome } from './outcomes';
import { keysPressed } from './outcomes';
import type { SeededRandom } from './seeded-random';

// The timeline of one call, in realistic milliseconds (the simulator scales them by `timeScale`):
// queued → initiated (~0.1 s) → ringing (1-2 s) → answered (~5 s after dialing) → key press (6-9 s into the
// message) → hang-up (15-25 s of talk; ~60 s for the long call). Unanswered outcomes stop earlier.

export interface ProgressPlan {
  steps: ProgressStep[];
  finalStatus: CallResourceStatus;
  sipResponseCode: number;
  /** What AMD reports for this outcome when the app asked for machine detection. */
  answeredBy: 'human' | 'machine_end_beep' | null;
}

const seconds = (value: number): number => Math.round(value * 1000);

export function planProgress(outcome: SimulatedOutcome, timeoutSeconds: number, random: SeededRandom): ProgressPlan {
  const initiated: ProgressStep = { kind: 'initiated', delayMs: seconds(random.between(0.05, 0.2)) };
  const ringing: ProgressStep = { kind: 'ringing', delayMs: seconds(random.between(1, 2)) };
  switch (outcome) {
    case 'busy':
      return { steps: [initiated, { kind: 'end', delayMs: seconds(random.between(2, 4)) }], finalStatus: 'busy', sipResponseCode: 486, answeredBy: null };
    case 'failed':
      return { steps: [initiated, { kind: 'end', delayMs: seconds(random.between(0.5, 1.5)) }], finalStatus: 'failed', sipResponseCode: 503, answeredBy: null };
    case 'no-answer':
      return { steps: [initiated, ringing, { kind: 'end', delayMs: seconds(timeoutSeconds) }], finalStatus: 'no-answer', sipResponseCode: 487, answeredBy: null };
    case 'canceled':
      return { steps: [initiated, ringing, { kind: 'end', delayMs: seconds(random.between(2, 3)) }], finalStatus: 'canceled', sipResponseCode: 487, answeredBy: null };
    case 'rejected-invalid-to':
      // Refused by Calls create; never played. Kept total so the switch stays exhaustive.
      return { steps: [], finalStatus: 'failed', sipResponseCode: 400, answeredBy: null };
    default: {
      const answered: ProgressStep = { kind: 'answered', delayMs: seconds(random.between(3, 4)) };
      const talkMs = outcome === 'long-call' ? seconds(random.between(58, 62)) : seconds(random.between(15, 25));
      const steps: ProgressStep[] = [initiated, ringing, answered];
      if (keysPressed(outcome) !== null) {
        const pressAfterMs = seconds(random.between(6, 9));
        steps.push({ kind: 'gather', delayMs: pressAfterMs }, { kind: 'end', delayMs: talkMs - pressAfterMs });
      } else {
        steps.push({ kind: 'end', delayMs: talkMs });
      }
      return { steps, finalStatus: 'completed', sipResponseCode: 200, answeredBy: outcome === 'voicemail' ? 'machine_end_beep' : 'human' };
    }
  }
}

/** Seconds connected, from the moment of answer to hang-up, as Twilio reports CallDuration. */
export function talkSeconds(steps: readonly ProgressStep[]): number {
  const answeredAt = steps.findIndex((step) => step.kind === 'answered');
  if (answeredAt < 0) return 0;
  return Math.round(steps.slice(answeredAt + 1).reduce((sum, step) => sum + step.delayMs, 0) / 1000);
}
