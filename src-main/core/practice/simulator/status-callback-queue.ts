import type { SeededRandom } from './seeded-random';

// One call's status callbacks on their way to the app. Twilio fires them in order but as separate requests, so
// they can arrive shuffled, duplicated or not at all; the practice switches reproduce that on purpose, decided
// by the call's seeded random stream so a run can be replayed. Deliveries of one call go out one at a time, which
// makes the order the app sees exactly the order decided here.

export interface DeliverySwitches {
  shuffle: boolean;
  duplicate: boolean;
  /** Probability (0..1) that a status callback is never sent. */
  drop: number;
}

/** With shuffling on, the chance that a callback is held back and sent after the next one. */
export const SHUFFLE_HOLD_PROBABILITY = 0.5;
/** With duplication on, the chance that a callback is sent twice. */
export const DUPLICATE_PROBABILITY = 0.35;

export interface QueuedCallback {
  sequenceNumber: number;
  params: Record<string, string>;
  duplicate: boolean;
}

export class StatusCallbackQueue {
  private held: QueuedCallback[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly random: SeededRandom,
    private readonly switches: DeliverySwitches,
    private readonly send: (callback: QueuedCallback) => Promise<void>,
    private readonly recordDropped: (callback: QueuedCallback) => void,
  ) {}

  /** Queues one event; `isFinal` flushes everything still held back, so the last event is never stuck. */
  emit(callback: Omit<QueuedCallback, 'duplicate'>, isFinal: boolean): void {
    const original: QueuedCallback = { ...callback, duplicate: false };
    if (this.random.chance(this.switches.drop)) {
      this.recordDropped(original);
    } else {
      const copy = this.random.chance(this.switches.duplicate ? DUPLICATE_PROBABILITY : 0) ? { ...original, duplicate: true } : null;
      if (!isFinal && this.switches.shuffle && this.random.chance(SHUFFLE_HOLD_PROBABILITY)) {
        this.held.push(original);
        if (copy) this.held.push(copy);
      } else {
        this.enqueue(original);
        // A held duplicate arrives after a later event, the way a duplicate from Twilio's retries would.
        if (copy) {
          if (this.switches.shuffle && !isFinal) this.held.push(copy);
          else this.enqueue(copy);
        }
        this.flushHeld();
      }
    }
    if (isFinal) this.flushHeld();
  }

  /** Resolves once every queued delivery has been attempted. */
  settled(): Promise<void> {
    return this.chain;
  }

  private flushHeld(): void {
    // Newest first: held-back events then land in reverse order, the most disorderly case for the app.
    const held = this.held.reverse();
    this.held = [];
    for (const callback of held) this.enqueue(callback);
  }

  private enqueue(callback: QueuedCallback): void {
    this.chain = this.chain.then(() => this.send(callback)).catch(() => undefined);
  }
}
