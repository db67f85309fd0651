import type { EngineContext } from '../engine-context';
import { bounded } from '../lifecycle';
import { createLogger } from '../logging/logger';
import { diskSpace } from '../store/disk-space';
import type { RecordResult } from '../store/status-events';
import { CallbackServer, type CallbackServerOptions } from './callback-server';

// The callbacks room's service: starts the public listener on server.port (falling back to a free port when
// nothing needs that exact one) and stops it. What the listener answers lives in callback-server.ts.

const log = createLogger('engine');

export interface CallbackListenerDeps {
  authToken(): string | null;
  knownStatusCallbackUrls(): string[];
  voice: CallbackServerOptions['voice'];
  /** Once per group commit, with every status stored in it. */
  onStatusesRecorded(results: readonly RecordResult[]): void;
  onRejected(rejection: { count: number; reason: string | null }): void;
}

export class CallbackListener {
  private server: CallbackServer | null = null;
  private baseUrl: string | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: CallbackListenerDeps,
  ) {}

  /** The listener's loopback URL once started. */
  localUrl(): string | null {
    return this.baseUrl;
  }

  /** Live counters while running; null before start (callers then read the store). */
  stats(): ReturnType<CallbackServer['stats']> | null {
    return this.server?.stats() ?? null;
  }

  /** A sentence while the data folder's disk is low (for the connection status), else null. */
  diskWarning(): string | null {
    return this.server?.diskWarning() ?? null;
  }

  async start(): Promise<void> {
    const settings = this.ctx.getSettings();
    try {
      await this.listen(settings.server.port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      // Only the clinic's own public URL (a reverse proxy pointing at server.port) needs this exact port: the
      // tunnel forwards to whatever port we listen on, and polling needs none. Two engines on one data folder
      // are stopped by the data-folder lock, not by the port.
      if (!settings.calling.status_callback_url) {
        log.warn(`port ${settings.server.port} is in use; listening on a free port instead`);
        await this.listen(0);
        return;
      }
      throw new Error(
        `port ${settings.server.port} on ${settings.server.host} is already in use (is reminder-desk serve or the app already running?); stop it or set server.port in settings.yaml`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await bounded('callback server', () => server.stop());
  }

  private async listen(port: number): Promise<void> {
    const { server, callbacks } = this.ctx.getSettings();
    const callbackServer = new CallbackServer({
      db: this.ctx.db,
      host: server.host,
      port,
      getAuthToken: () => this.deps.authToken(),
      knownStatusCallbackUrls: () => this.deps.knownStatusCallbackUrls(),
      voice: this.deps.voice,
      onStatusesRecorded: (recorded) => this.deps.onStatusesRecorded(recorded.map((r) => r.result)),
      clock: this.ctx.clock,
      onRejected: (rejection) => this.deps.onRejected(rejection),
      inspectorRetentionDays: callbacks.retention_days,
      checkDiskSpace: () => diskSpace(this.ctx.dataDir),
    });
    const { localUrl } = await callbackServer.start();
    this.server = callbackServer;
    this.baseUrl = localUrl;
  }
}
