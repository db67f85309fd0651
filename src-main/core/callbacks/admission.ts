// Who may hold the listener's resources while still sending a body. A valid Twilio callback is a couple of KB
// that arrives in milliseconds; an attacker's chunked body that never ends used to hold one of the 64 request
// slots until the 10 s timeout, so 64 stalled connections starved every valid callback (503).
// Now a request still sending its body does not count against the slots handlers need: it holds a reading slot,
// and when every reading slot is taken the reader that has been reading LONGEST is cut (its read is aborted, the
// client gets 408). A valid callback is never the oldest reader for more than a few milliseconds, so a flood of
// stalled bodies only ever evicts itself. Per-peer limits would not help here: behind a tunnel every request,
// Twilio's included, comes from the same local peer.

export interface ReadingSlot {
  /** Aborted when this reader is evicted. */
  readonly signal: AbortSignal;
  release(): void;
}

export class BodyReadAdmission {
  private readonly readers = new Set<{ controller: AbortController }>();
  private evictedCount = 0;

  /** `maxReaders` × the body cap is the memory the reading phase may hold. */
  constructor(private readonly maxReaders: number) {
    if (maxReaders < 1) throw new Error('maxReaders must be at least 1');
  }

  admit(): ReadingSlot {
    if (this.readers.size >= this.maxReaders) {
      // Sets iterate in insertion order: the first entry is the reader admitted earliest.
      const oldest = this.readers.values().next().value!;
      this.readers.delete(oldest);
      this.evictedCount += 1;
      oldest.controller.abort();
    }
    const entry = { controller: new AbortController() };
    this.readers.add(entry);
    return {
      signal: entry.controller.signal,
      release: () => {
        this.readers.delete(entry);
      },
    };
  }

  get reading(): number {
    return this.readers.size;
  }

  get evicted(): number {
    return this.evictedCount;
  }
}
