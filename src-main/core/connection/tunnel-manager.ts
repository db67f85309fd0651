import { EventEmitter } from 'node:events';
import { createLogger, type Logger } from '../logging/logger';
import { describeTunnelError, redactTunnelMessage, type TunnelErrorView } from './tunnel-errors';
import type { OpenTunnel, ProviderSessionEvent, TunnelProvider } from './tunnel-provider';

export type { TunnelProvider } from './tunnel-provider';

export type TunnelState = 'off' | 'connecting' | 'online' | 'reconnecting' | 'failed';

export interface TunnelStatus {
  state: TunnelState;
  url: string | null;
  error: TunnelErrorView | null;
  since: string;
  /** Connection attempts since the tunnel was last online. */
  attempts: number;
  /** When the next attempt is due, while one is scheduled. */
  nextAttemptAt: string | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TunnelManagerOptions {
  provider: TunnelProvider;
  authtoken: string | null;
  domain: string | null;
  host: string;
  port: number;
  twilioAuthToken?: string | null;
  /** Our own reconnect back-off. The SDK's is uncapped (it can wait hours); ours never waits more than maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  logger?: Logger;
  /**
   * How long one open may take before it counts as failed (and is retried). The SDK can hang on a network that
   * drops packets instead of refusing; a hung open must not stall the watchdog. Default 30 s.
   */
  openTimeoutMs?: number;
  /** How long closing a session may take; closing a session whose network is gone can hang. Default 5 s. */
  closeTimeoutMs?: number;
  timers?: Timers;
  clock?: () => number;
  random?: () => number;
}

interface TunnelEvents {
  status: [TunnelStatus];
  'url-changed': [{ url: string; previousUrl: string | null }];
}

export class TunnelTimeoutError extends Error {
  override readonly name = 'TunnelTimeoutError';
}

/** Settles with `work`, or rejects with TunnelTimeoutError after `ms` (real time: independent of the back-off timers). */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TunnelTimeoutError(message)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Keeps the callback server published: opens the tunnel, follows the session's state, and rebuilds it with a
 * capped, jittered back-off when it drops. A first failure never throws: calling goes on in polling mode and
 * status() says why. Failures that retrying cannot fix (bad authtoken, a domain that is not yours) stop retrying.
 */
export class TunnelManager extends EventEmitter<TunnelEvents> {
  private readonly log: Logger;
  private readonly timers: Timers;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly openTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private tunnel: OpenTunnel | null = null;
  private lastUrl: string | null = null;
  private retryTimer: unknown = null;
  private generation = 0; // bumps on every (re)connect and on stop(), so stale callbacks are ignored
  private current: TunnelStatus;

  constructor(private readonly opts: TunnelManagerOptions) {
    super();
    this.log = opts.logger ?? createLogger('tunnel');
    this.timers = opts.timers ?? realTimers;
    this.clock = opts.clock ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.backoff = opts.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.openTimeoutMs = opts.openTimeoutMs ?? 30_000;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 5_000;
    this.current = this.snapshot('off', null, null, 0, null);
  }

  status(): TunnelStatus {
    return this.current;
  }

  publicUrl(): string | null {
    return this.current.state === 'online' ? this.current.url : null;
  }

  async start(): Promise<TunnelStatus> {
    if (this.current.state !== 'off') return this.current;
    await this.connect('connecting');
    return this.current;
  }

  async stop(): Promise<void> {
    this.generation += 1;
    this.cancelRetry();
    const tunnel = this.tunnel;
    this.tunnel = null;
    if (tunnel) await this.closeTunnel(tunnel);
    this.setStatus(this.snapshot('off', null, null, 0, null));
  }

  private snapshot(state: TunnelState, url: string | null, error: TunnelErrorView | null, attempts: number, nextAttemptAt: number | null): TunnelStatus {
    return { state, url, error, since: new Date(this.clock()).toISOString(), attempts, nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString() };
  }

  private setStatus(next: TunnelStatus): void {
    this.current = next;
    this.emit('status', next);
  }

  private async connect(state: 'connecting' | 'reconnecting'): Promise<void> {
    const generation = ++this.generation;
    const attempts = this.current.attempts + 1;
    this.setStatus(this.snapshot(state, null, this.current.error, attempts, null));
    try {
      const opening = this.opts.provider.open({
        host: this.opts.host,
        port: this.opts.port,
        authtoken: this.opts.authtoken,
        domain: this.opts.domain,
        twilioAuthToken: this.opts.twilioAuthToken ?? null,
        onSessionEvent: (event) => this.onSessionEvent(generation, event),
      });
      // An open that outlives its timeout (or a stop()) may still succeed later: close what it opens.
      const closeIfAbandoned = (late: OpenTunnel): void => {
        if (this.tunnel !== late) void this.closeTunnel(late);
      };
      const seconds = this.openTimeoutMs / 1000;
      const tunnel = await within(opening, this.openTimeoutMs, `ngrok did not answer within ${seconds} s (timed out)`).catch((error: unknown) => {
        if (error instanceof TunnelTimeoutError) opening.then(closeIfAbandoned, () => undefined);
        throw error;
      });
      if (generation !== this.generation) {
        await this.closeTunnel(tunnel); // stopped (or superseded) while connecting
        return;
      }
      this.tunnel = tunnel;
      const previousUrl = this.lastUrl;
      this.lastUrl = tunnel.url;
      this.setStatus(this.snapshot('online', tunnel.url, null, 0, null));
      this.log.info('tunnel online', { url: tunnel.url, provider: this.opts.provider.name });
      if (previousUrl !== tunnel.url) this.emit('url-changed', { url: tunnel.url, previousUrl });
    } catch (error) {
      if (generation !== this.generation) return;
      const view = describeTunnelError(error);
      this.log.warn('tunnel failed', { code: view.code, title: view.title });
      if (!view.retryable) {
        this.setStatus(this.snapshot('failed', null, view, attempts, null));
        return;
      }
      this.scheduleReconnect(view, attempts);
    }
  }

  private onSessionEvent(generation: number, event: ProviderSessionEvent): void {
    if (generation !== this.generation) return;
    if (event.kind === 'connected') {
      // The SDK reconnected this session by itself before our watchdog fired. Its endpoint is bound again,
      // normally under the same URL; if ngrok handed out another one, new calls must use it at once.
      if (this.tunnel && this.current.state === 'reconnecting' && this.current.attempts === 0) {
        this.cancelRetry();
        const url = this.tunnel.url;
        const previousUrl = this.lastUrl;
        this.lastUrl = url;
        this.setStatus(this.snapshot('online', url, null, 0, null));
        this.log.info('tunnel back online (the session reconnected)', { url });
        if (previousUrl !== url) this.emit('url-changed', { url, previousUrl });
      }
      return;
    }
    if (this.current.state !== 'online') return;
    this.log.warn('tunnel session lost', { error: event.error ? redactTunnelMessage(event.error) : null });
    this.scheduleReconnect(event.error ? describeTunnelError(event.error) : null, 0);
  }

  private delayFor(attempt: number): number {
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(Math.min(this.backoff.maxMs, base * (0.8 + 0.4 * this.random())));
  }

  private scheduleReconnect(error: TunnelErrorView | null, attempts: number): void {
    this.cancelRetry();
    const delay = this.delayFor(Math.max(1, attempts));
    const generation = this.generation;
    // Never online yet: 'failed' (with a retry scheduled). Was online: 'reconnecting'. Either way no public URL is
    // offered meanwhile, so new calls fall back to polling until the tunnel is back.
    this.setStatus(this.snapshot(this.lastUrl ? 'reconnecting' : 'failed', null, error, attempts, this.clock() + delay));
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (generation !== this.generation) return;
      void this.rebuild();
    }, delay);
  }

  /** Closes whatever is left of the old session and opens a new one (which may come with a new URL). */
  private async rebuild(): Promise<void> {
    const old = this.tunnel;
    this.tunnel = null;
    if (old) await this.closeTunnel(old);
    await this.connect('reconnecting');
  }

  /** Never throws and never hangs: a session whose network is gone may not answer its close. */
  private async closeTunnel(tunnel: OpenTunnel): Promise<void> {
    try {
      await within(tunnel.close(), this.closeTimeoutMs, 'closing the tunnel timed out');
    } catch (error) {
      this.log.warn('closing the old tunnel failed; going on', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
