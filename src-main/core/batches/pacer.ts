import type { Clock, Sleep } from './timing';

/**
 * Spaces calls.create requests at most `callsPerSecond` apart, across every batch one runner dispatches
 * (Twilio's CPS limit is per account, not per batch). A 429 pushes the next slot out for everybody.
 */
export class Pacer {
  private nextSlotAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly callsPerSecond: () => number,
  ) {}

  /** Waits for the next free slot and reserves it. */
  async acquire(): Promise<void> {
    const now = this.clock();
    const slot = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = slot + 1000 / Math.max(this.callsPerSecond(), 0.001);
    if (slot > now) await this.sleep(slot - now);
  }

  /** Twilio said 429: nobody creates a call before `ms` from now. */
  holdFor(ms: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock() + ms);
  }
}
