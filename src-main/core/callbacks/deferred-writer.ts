// Writes items in batches: whatever arrived within `flushMs` (or `maxItems` of them) goes in one call. The
// listener keeps rejected requests' inspector rows this way: they need no durability before the answer (nothing
// was acknowledged), and one transaction per request meant one fsync per forged request (synchronous=FULL), which
// a flood turned into the listener's bottleneck.

export class DeferredWriter<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (items: T[]) => void,
    private readonly opts: { flushMs: number; maxItems: number } = { flushMs: 50, maxItems: 500 },
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.opts.maxItems) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** Takes what is pending without writing it (the caller writes it, e.g. ahead of its own items, in one go). */
  drain(): T[] {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items;
    this.items = [];
    return items;
  }

  /** Writes what is pending now (also on stop). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items;
    this.items = [];
    if (items.length > 0) this.write(items);
  }
}
