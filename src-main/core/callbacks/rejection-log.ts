import type { Logger } from '../logging/logger';

// Rejected requests are the public listener's background noise (scanners, fuzzers, forgers): one log line each
// made `serve` write 10,120 stderr lines in one fuzz run. They are counted per kind and written as ONE summary
// line per interval, the first one as soon as the interval after the first rejection ends.

export interface RejectionLogOptions {
  log: Pick<Logger, 'warn'>;
  intervalMs?: number;
}

export class RejectionLog {
  private readonly log: Pick<Logger, 'warn'>;
  private readonly intervalMs: number;
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: RejectionLogOptions) {
    this.log = opts.log;
    this.intervalMs = opts.intervalMs ?? 60_000;
  }

  /** `kind` is a short fixed label ("403 invalid signature"), never text taken from the request. */
  note(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Writes the summary of what was counted since the last one (nothing when nothing was). */
  flush(): void {
    if (this.counts.size === 0) return;
    const counts = Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    this.counts = new Map();
    this.log.warn(`Rejected ${total} request(s) on the public listener in the last ${Math.round(this.intervalMs / 1000)} s`, { rejected: counts });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }
}
