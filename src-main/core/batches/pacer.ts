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
    const interval = 1000 / Math.max(this.callsPerSecond(), 0.001);
    // A caller late by less than one interval (a slow commit or round trip) keeps its slot on the grid, so the
    // rate does not sag under load; later than that (idle, paused) the grid restarts now. At most one slot is
    // ever made up, so no 1-second window holds more than one call above the set pace.
    const late = now - this.nextSlotAt;
    const slot = late > 0 && late < interval ? this.nextSlotAt : Math.max(now, this.nextSlotAt);
    this.nextSlotAt = slot + interval;
    if (slot > now) await this.sleep(slot - now);
  }

  /** Twilio said 429: nobody creates a call before `ms` from now. */
  holdFor(ms: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.clock() + ms);
  }
}
