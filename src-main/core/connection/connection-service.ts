import type { ConnectionStatus, SelfTestView } from '../api/contract';
import { LAST_REJECTION_REASON_KEY, REJECTED_SIGNATURES_KEY } from '../callbacks/callback-server';
import type { CallbackListener } from '../callbacks/callback-listener';
import type { EngineContext } from '../engine-context';
import { bounded } from '../lifecycle';
import { createLogger } from '../logging/logger';
import { getCounter, getMeta, listPublicUrls, rememberPublicUrl, type PublicUrlKind } from '../store/app-meta';
import { lastValidStatusCallbackAt } from '../store/callback-requests';
import { nowIso } from '../store/database';
import type { CredentialName } from '../twilio/twilio-account';
import { chooseCallbackRoute, describeConnection, type CallbackRoute, type TunnelSnapshot } from './connection-status';
import type { CallbackTarget } from '../batches/place-reminder-call';
import type { TunnelManager, TunnelProvider } from './tunnel-manager';

// The connection room: where Twilio's callbacks reach this computer (the clinic's own URL, the in-process ngrok
// tunnel, or nothing and then polling), the one status line staff see about it, and the end-to-end self-test.

const log = createLogger('engine');

export interface ConnectionDeps {
  practice(): boolean;
  credential(name: CredentialName): string | null;
  authToken(): string | null;
  listener: Pick<CallbackListener, 'localUrl' | 'stats' | 'diskWarning'>;
  /** Pushes the status line to the UI (throttled by the caller). */
  changed(): void;
}

export class ConnectionService {
  private tunnel: TunnelManager | null = null;
  private tunnelFailure: TunnelSnapshot | null = null;
  private readonly rememberedUrls = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: ConnectionDeps,
  ) {}

  tunnelSnapshot(): TunnelSnapshot | null {
    if (!this.tunnel) return this.tunnelFailure;
    const { state, url, error } = this.tunnel.status();
    return { state, url, error: error ? { code: error.code, title: error.title, fix: error.fix } : null };
  }

  callbackRoute(): CallbackRoute {
    return chooseCallbackRoute({
      ownStatusUrl: this.ctx.getSettings().calling.status_callback_url,
      tunnel: this.tunnelSnapshot(),
      practice: this.deps.practice(),
      localBaseUrl: this.deps.listener.localUrl(),
    });
  }

  /** What the batch runner registers on each new call; remembered so late callbacks to it still validate. */
  callbackTarget(): CallbackTarget {
    const route = this.callbackRoute();
    if (route.statusCallbackUrl && !this.rememberedUrls.has(route.statusCallbackUrl)) {
      const kind: PublicUrlKind = route.mode === 'own-url' ? 'own-url' : route.mode === 'tunnel' ? 'tunnel' : 'simulator';
      rememberPublicUrl(this.ctx.db, route.statusCallbackUrl, kind, nowIso(this.ctx.clock));
      this.rememberedUrls.add(route.statusCallbackUrl);
    }
    return { statusCallbackUrl: route.statusCallbackUrl, publicBaseUrl: route.publicBaseUrl };
  }

  /** For signature checks of requests not tied to a call (self-test, orphans): the current URL first, then every older one. */
  knownStatusCallbackUrls(): string[] {
    const current = this.callbackRoute().statusCallbackUrl;
    const older = listPublicUrls(this.ctx.db).map((entry) => entry.url);
    return current ? [current, ...older.filter((url) => url !== current)] : older;
  }

  status(): ConnectionStatus {
    const stats = this.deps.listener.stats();
    const db = this.ctx.db;
    return describeConnection({
      route: this.callbackRoute(),
      practice: this.deps.practice(),
      tunnel: this.tunnelSnapshot(),
      // Before start() (CLI `status`) the same numbers come from the store.
      lastCallbackAt: stats ? stats.lastCallbackAt : lastValidStatusCallbackAt(db),
      rejectedSignatures: stats ? stats.rejectedSignatures : getCounter(db, REJECTED_SIGNATURES_KEY),
      rejectionReason: stats ? stats.rejectionReason : getMeta(db, LAST_REJECTION_REASON_KEY),
      diskWarning: this.deps.listener.diskWarning(),
    });
  }

  /** (Re)starts the tunnel per settings. Never throws: a tunnel that fails leaves calling in polling mode. */
  async startTunnel(): Promise<void> {
    await this.stopTunnel();
    const settings = this.ctx.getSettings();
    if (settings.calling.status_callback_url) return; // the clinic's own URL wins: no tunnel
    this.tunnelFailure = null;
    const localUrl = this.deps.listener.localUrl();
    let provider: TunnelProvider | null;
    let TunnelManagerClass: typeof TunnelManager;
    try {
      provider = await this.tunnelProvider();
      if (!provider || !localUrl) return;
      TunnelManagerClass = (await import('./tunnel-manager')).TunnelManager;
    } catch (error) {
      // e.g. the ngrok addon missing for this platform: say so, and keep calling in polling mode.
      log.warn('the tunnel could not be loaded; calls are polled instead', { error });
      this.tunnelFailure = {
        state: 'failed',
        url: null,
        error: { code: null, title: 'The tunnel could not be loaded', fix: `Reinstall Reminder Desk (${(error as Error).message})` },
      };
      return;
    }
    const tunnel = new TunnelManagerClass({
      provider,
      authtoken: this.deps.credential('NGROK_AUTHTOKEN'),
      domain: settings.tunnel.domain,
      host: '127.0.0.1',
      port: Number(new URL(localUrl).port),
      // No signature check at ngrok's edge: a badly signed callback must reach our own server so it is counted,
      // explained (signature diagnostics) and kept in the callback inspector instead of vanishing at ngrok.
      ...(this.ctx.timing.tunnelBackoff ? { backoff: this.ctx.timing.tunnelBackoff } : {}),
      logger: createLogger('tunnel'),
    });
    tunnel.on('status', () => this.deps.changed());
    tunnel.on('url-changed', () => {
      log.info('tunnel URL changed; new calls register the new URL', { mode: this.callbackRoute().mode });
      this.deps.changed();
    });
    this.tunnel = tunnel;
    try {
      await tunnel.start();
    } catch (error) {
      log.warn('the tunnel could not start; calls are polled instead', { error });
    }
    this.deps.changed();
  }

  async stopTunnel(): Promise<void> {
    const tunnel = this.tunnel;
    this.tunnel = null;
    if (tunnel) await bounded('tunnel', () => tunnel.stop());
  }

  async selfTest(opts: { signUrl?: string; timeoutMs?: number } = {}): Promise<SelfTestView> {
    const route = this.callbackRoute();
    const localBaseUrl = this.deps.listener.localUrl();
    if (!route.statusCallbackUrl || !localBaseUrl) {
      const tunnelError = this.tunnelSnapshot()?.error;
      return {
        ok: false,
        hop: 'no-public-url',
        message: localBaseUrl
          ? 'There is no public URL, so Twilio cannot send call statuses to this computer; calls are checked by polling instead. Set up the tunnel or your own URL to get live statuses.'
          : 'The callback server is not running: start Reminder Desk (reminder-desk serve) first.',
        details: tunnelError ? [`Tunnel: ${tunnelError.title}. ${tunnelError.fix}`] : [],
      };
    }
    const authToken = this.deps.authToken();
    if (!authToken) {
      return {
        ok: false,
        hop: 'signature-rejected',
        message: 'No Twilio Auth Token is set up, so no callback can pass the signature check. Finish the Twilio step of the setup.',
        details: [],
      };
    }
    const { runCallbackSelfTest } = await import('./self-test');
    const result = await runCallbackSelfTest({
      statusCallbackUrl: route.statusCallbackUrl,
      localBaseUrl,
      authToken,
      ...(opts.signUrl ? { signUrl: opts.signUrl } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    this.rememberedUrls.add(route.statusCallbackUrl);
    return { ok: result.ok, hop: result.hop, message: result.message, details: result.details };
  }

  /** tunnel.provider: ngrok when chosen, or when unset and an authtoken exists; none otherwise (or a test's provider). */
  private async tunnelProvider(): Promise<TunnelProvider | null> {
    if (this.ctx.tunnelProvider) return this.ctx.tunnelProvider;
    const configured = this.ctx.getSettings().tunnel.provider;
    if (configured === 'none') return null;
    if (configured !== 'ngrok' && this.deps.credential('NGROK_AUTHTOKEN') === null) return null;
    // Loaded only when used: the ngrok SDK is a native addon that commands like `status` never need.
    const { NgrokTunnelProvider } = await import('./ngrok-provider');
    return new NgrokTunnelProvider();
  }
}
