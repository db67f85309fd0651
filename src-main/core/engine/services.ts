import path from 'node:path';
import type { ConnectionStatus, SelfTestView } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { importOptionsFrom, readAppointmentsFile, type ImportOptions, type ImportResult } from '../appointments/read-appointments';
import { renderReminderMessage } from '../appointments/reminder-message';
import { gatherActionUrlFor } from '../callbacks/endpoint-urls';
import { coalesceRecorded } from '../callbacks/coalesce-recorded';
import { CallbackServer, LAST_REJECTION_REASON_KEY, REJECTED_SIGNATURES_KEY } from '../callbacks/callback-server';
import { BatchRunner, type BatchOutcome } from '../dispatch/batch-runner';
import type { Sleep } from '../dispatch/timing';
import { ReminderScheduler } from '../dispatch/reminder-scheduler';
import type { Appointment, Batch, CallAttempt, Confirmation } from '../domain';
import type { EngineContext } from '../engine';
import { lockDataDir } from '../store/data-dir-lock';
import { isStopError } from '../dispatch/timing';
import { isWithinCallingHours } from '../dispatch/due-reminders';
import { createLogger } from '../logging/logger';
import { CallPoller } from '../polling/call-poller';
import { Reconciler, type SweepReport } from '../polling/reconciler';
import type { Settings } from '../settings/schema';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator } from '../simulator/twilio-simulator';
import { getCounter, getMeta, rememberPublicUrl, listPublicUrls, setMeta, type PublicUrlKind } from '../store/app-meta';
import { getAppointment, getAppointments, upsertAppointments, setAppointmentConfirmation, type UpsertSummary } from '../store/appointments';
import { createBatch, getBatch, listBatches, unfinishedBatches } from '../store/batches';
import { getCallAttempt, listBatchAttempts, setAttemptConfirmation } from '../store/call-attempts';
import { lastValidStatusCallbackAt } from '../store/callback-requests';
import { nowIso } from '../store/database';
import type { RecordResult } from '../store/status-events';
import type { TunnelManager, TunnelProvider } from '../tunnel/tunnel-manager';
import { buildGatherReplyTwiml, buildReminderTwiml } from '../twilio/reminder-twiml';
import { createTwilioClient, type CallsApi, type TwilioClient } from '../twilio/twilio-client';
import { chooseCallbackRoute, describeConnection, type CallbackRoute, type TunnelSnapshot } from './connection-status';
import { trailingThrottle } from './engine-events';
import { batchProgress, toCallSummary } from './views';

export interface EngineStartOptions {
  /** Pick up batches a previous run left `running` (default true; `reminder-desk run` resumes explicitly). */
  resumeBatches?: boolean;
  /** Start the reminder scheduler: `serve` only. In the desktop app staff start batches themselves (issue 4), so nothing dials on its own. */
  scheduler?: boolean;
}

/** Each stop step gets this long; a hung socket must not keep the app from quitting. */
const STOP_STEP_TIMEOUT_MS = 5_000;
const CONNECTION_PUSH_INTERVAL_MS = 1_000;
/** How often the reconciliation sweep looks for calls that should have ended. */
const RECONCILE_INTERVAL_MS = 60_000;

export class EngineStoppedError extends Error {
  override readonly name = 'EngineStoppedError';
  constructor() {
    super('Reminder Desk is shutting down');
  }
}

const log = createLogger('engine');

async function bounded(step: string, work: () => Promise<unknown> | unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(work),
      new Promise((resolve) => {
        timer = setTimeout(() => {
          log.warn(`stopping ${step} took longer than ${STOP_STEP_TIMEOUT_MS} ms; going on`);
          resolve(undefined);
        }, STOP_STEP_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
  } catch (error) {
    log.warn(`stopping ${step} failed`, { error });
  } finally {
    clearTimeout(timer);
  }
}

export class EngineServices {
  practice: boolean;
  private callbackServer: CallbackServer | null = null;
  private localBaseUrl: string | null = null;
  private simulator: TwilioSimulator | null = null;
  private tunnel: TunnelManager | null = null;
  private tunnelFailure: TunnelSnapshot | null = null;
  private twilio: TwilioClient | null = null;
  private poller: CallPoller | null = null;
  private reconciler: Reconciler | null = null;
  private runner: BatchRunner | null = null;
  private scheduler: ReminderScheduler | null = null;
  private readonly runs = new Map<string, Promise<BatchOutcome>>();
  private readonly stopping = new AbortController();
  /** The services' sleep: cut short (rejecting) when the engine stops, so no loop outlives the database. */
  private readonly sleep: Sleep = (ms) =>
    new Promise<void>((resolve, reject) => {
      const signal = this.stopping.signal;
      if (signal.aborted) return reject(new EngineStoppedError());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new EngineStoppedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  private readonly rememberedUrls = new Set<string>();
  private started = false;
  private stopped = false;
  private releaseDataDir: (() => void) | null = null;
  private readonly pushConnection = trailingThrottle(() => this.ctx.events.emit('connection-changed', this.connectionStatus()), CONNECTION_PUSH_INTERVAL_MS);

  /** Every Twilio REST call goes through here, so switching practice mode or credentials needs no rewiring. */
  readonly calls: CallsApi = {
    create: (params) => this.client().calls.create(params),
    fetch: (sid) => this.client().calls.fetch(sid),
    list: (filter) => this.client().calls.list(filter),
  };

  constructor(private readonly ctx: EngineContext) {
    this.practice = ctx.practiceOverride ?? getMeta(ctx.db, 'practice_mode') === '1';
  }

  private get settings() {
    return this.ctx.getSettings();
  }

  private now(): string {
    return nowIso(this.ctx.clock);
  }

  // ---- credentials ----------------------------------------------------------------------------------------

  /** Environment first (servers, CI), then settings.yaml for the non-secret values, then the secret store. */
  credential(name: 'TWILIO_ACCOUNT_SID' | 'TWILIO_PHONE_NUMBER' | 'TWILIO_AUTH_TOKEN' | 'NGROK_AUTHTOKEN'): string | null {
    const fromEnv = this.ctx.env[name]?.trim();
    if (fromEnv) return fromEnv;
    if (name === 'TWILIO_ACCOUNT_SID' && this.settings.twilio.account_sid) return this.settings.twilio.account_sid;
    if (name === 'TWILIO_PHONE_NUMBER' && this.settings.twilio.from_number) return this.settings.twilio.from_number;
    return this.ctx.secrets.get(name);
  }

  fromNumber(): string | null {
    if (this.practice) return this.settings.twilio.from_number ?? PRACTICE_PHONE_NUMBERS[0]!;
    return this.credential('TWILIO_PHONE_NUMBER');
  }

  /** The token Twilio (or the simulator) signs callbacks with. */
  authToken(): string | null {
    if (this.practice) return this.simulator?.authToken ?? null;
    return this.credential('TWILIO_AUTH_TOKEN');
  }

  /** Why calls cannot be placed right now, or null when they can. */
  callingUnavailableReason(): string | null {
    if (this.practice) return this.simulator ? null : 'practice mode is on but the simulator is not running (start the engine first)';
    if (!this.credential('TWILIO_ACCOUNT_SID') || !this.credential('TWILIO_AUTH_TOKEN')) {
      return 'Twilio is not set up: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or finish the setup wizard), or use practice mode (--simulate)';
    }
    if (!this.fromNumber()) return 'no caller number: set twilio.from_number in settings.yaml or TWILIO_PHONE_NUMBER';
    return null;
  }

  private client(): TwilioClient {
    if (this.twilio) return this.twilio;
    const reason = this.callingUnavailableReason();
    if (reason) throw new ApiFailure('unavailable', reason);
    this.twilio = this.practice
      ? createTwilioClient({ accountSid: this.simulator!.accountSid, authToken: this.simulator!.authToken, apiBaseUrl: this.simulator!.baseUrl })
      : createTwilioClient({
          accountSid: this.credential('TWILIO_ACCOUNT_SID')!,
          authToken: this.credential('TWILIO_AUTH_TOKEN')!,
          apiBaseUrl: this.settings.twilio.api_base_url,
        });
    return this.twilio;
  }

  /** Credentials or practice mode changed: the next request builds a new client. */
  resetTwilioClient(): void {
    this.twilio = null;
  }

  // ---- where callbacks go -----------------------------------------------------------------------------------

  tunnelSnapshot(): TunnelSnapshot | null {
    if (!this.tunnel) return this.tunnelFailure;
    const { state, url, error } = this.tunnel.status();
    return { state, url, error: error ? { code: error.code, title: error.title, fix: error.fix } : null };
  }

  callbackRoute(): CallbackRoute {
    return chooseCallbackRoute({
      ownStatusUrl: this.settings.calling.status_callback_url,
      tunnel: this.tunnelSnapshot(),
      practice: this.practice,
      localBaseUrl: this.localBaseUrl,
    });
  }

  /** What the batch runner registers on each new call; remembered so late callbacks to it still validate. */
  private callbackTarget(): { statusCallbackUrl: string | null; publicBaseUrl: string | null } {
    const route = this.callbackRoute();
    if (route.statusCallbackUrl && !this.rememberedUrls.has(route.statusCallbackUrl)) {
      const kind: PublicUrlKind = route.mode === 'own-url' ? 'own-url' : route.mode === 'tunnel' ? 'tunnel' : 'simulator';
      rememberPublicUrl(this.ctx.db, route.statusCallbackUrl, kind, this.now());
      this.rememberedUrls.add(route.statusCallbackUrl);
    }
    return { statusCallbackUrl: route.statusCallbackUrl, publicBaseUrl: route.publicBaseUrl };
  }

  /** For signature checks of requests not tied to a call (self-test, orphans): the current URL first, then every older one. */
  private knownStatusCallbackUrls(): string[] {
    const current = this.callbackRoute().statusCallbackUrl;
    const older = listPublicUrls(this.ctx.db).map((entry) => entry.url);
    return current ? [current, ...older.filter((url) => url !== current)] : older;
  }

  connectionStatus(): ConnectionStatus {
    const stats = this.callbackServer?.stats();
    return describeConnection({
      route: this.callbackRoute(),
      practice: this.practice,
      tunnel: this.tunnelSnapshot(),
      // Before start() (CLI `status`) the same numbers come from the store.
      lastCallbackAt: stats ? stats.lastCallbackAt : lastValidStatusCallbackAt(this.ctx.db),
      rejectedSignatures: stats ? stats.rejectedSignatures : getCounter(this.ctx.db, REJECTED_SIGNATURES_KEY),
      rejectionReason: stats ? stats.rejectionReason : getMeta(this.ctx.db, LAST_REJECTION_REASON_KEY),
    });
  }

  // ---- start / stop ---------------------------------------------------------------------------------------

  async start(opts: EngineStartOptions): Promise<void> {
    if (this.started) throw new Error('The engine is already started');
    this.started = true;
    this.releaseDataDir = lockDataDir(this.ctx.dataDir);
    await this.startCallbackServer();
    if (this.practice) await this.startSimulator();
    await this.startTunnel();
    this.startCallingStack();
    await this.reconciler!.reconcileAll().catch((error: unknown) => log.warn('start-up reconciliation failed; the periodic sweep will retry', { error }));
    // After start-up reconciliation, so calls it just recovered (a SID found for an interrupted dial) are followed too.
    this.poller!.start();
    this.reconciler!.startPeriodic(this.ctx.timing.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS);
    const unavailable = this.callingUnavailableReason();
    if (unavailable) {
      // Nothing is dialled (and no due reminder is put into a batch that cannot run) until Twilio is set up.
      if ((opts.resumeBatches ?? true) || opts.scheduler) log.warn(`no calls can be placed: ${unavailable}`);
    } else {
      if (opts.resumeBatches ?? true) this.resumeRunningBatches();
      if (opts.scheduler) this.startScheduler();
    }
    log.info('engine started', { mode: this.callbackRoute().mode, practice: this.practice });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pushConnection.cancel();
    if (this.scheduler) await bounded('scheduler', () => this.scheduler!.stop());
    // Batches stop at their next sleep (every pause between dials and status checks is abortable); calls already
    // placed carry on at Twilio, and the next start reconciles them.
    this.stopping.abort();
    await bounded('running batches', () => Promise.allSettled([...this.runs.values()]));
    if (this.reconciler) {
      this.reconciler.stop();
      await bounded('reconciler', () => this.reconciler!.idle());
    }
    if (this.poller) {
      this.poller.stop();
      await bounded('poller', () => this.poller!.idle());
    }
    if (this.tunnel) await bounded('tunnel', () => this.tunnel!.stop());
    if (this.simulator) await bounded('simulator', () => this.simulator!.stop());
    if (this.callbackServer) await bounded('callback server', () => this.callbackServer!.stop());
    this.releaseDataDir?.();
    this.releaseDataDir = null;
    log.info('engine stopped');
  }

  private async startCallbackServer(): Promise<void> {
    const { server } = this.settings;
    try {
      await this.listenCallbackServer(server.port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      // Only the clinic's own public URL (a reverse proxy pointing at server.port) needs this exact port: the
      // tunnel forwards to whatever port we listen on, and polling needs none. Two engines on one data folder
      // are stopped by the data-folder lock, not by the port.
      if (!this.settings.calling.status_callback_url) {
        log.warn(`port ${server.port} is in use; listening on a free port instead`);
        await this.listenCallbackServer(0);
        return;
      }
      throw new Error(
        `port ${server.port} on ${server.host} is already in use (is reminder-desk serve or the app already running?); stop it or set server.port in settings.yaml`,
        { cause: error },
      );
    }
  }

  /** tunnel.provider: ngrok when chosen, or when unset and an authtoken exists; none otherwise (or a test's provider). */
  private tunnelWanted(): boolean {
    if (this.ctx.tunnelProvider) return true;
    const configured = this.settings.tunnel.provider;
    if (configured === 'none') return false;
    return configured === 'ngrok' || this.credential('NGROK_AUTHTOKEN') !== null;
  }

  private async listenCallbackServer(port: number): Promise<void> {
    const { server, callbacks } = this.settings;
    const callbackServer = new CallbackServer({
      db: this.ctx.db,
      host: server.host,
      port,
      getAuthToken: () => this.authToken(),
      knownStatusCallbackUrls: () => this.knownStatusCallbackUrls(),
      voice: {
        reminderTwiml: (attemptId, gatherActionUrl) => this.reminderTwiml(attemptId, gatherActionUrl),
        gatherTwiml: (attemptId, digits) => this.gatherTwiml(attemptId, digits),
      },
      onStatusesRecorded: (recorded) => this.onStatusesRecorded(recorded.map((r) => r.result)),
      clock: this.ctx.clock,
      onRejected: (rejection) => {
        this.ctx.events.emit('callback-rejected', { count: rejection.count, reason: rejection.reason });
        this.pushConnection();
      },
      inspectorRetentionDays: callbacks.retention_days,
    });
    const { localUrl } = await callbackServer.start();
    this.callbackServer = callbackServer;
    this.localBaseUrl = localUrl;
  }

  private async startSimulator(): Promise<void> {
    const sim = this.settings.simulator;
    const from = this.fromNumber()!;
    this.simulator = new TwilioSimulator({
      host: '127.0.0.1',
      port: 0,
      timeScale: sim.time_scale,
      shuffleCallbacks: sim.shuffle_callbacks,
      duplicateCallbacks: sim.duplicate_callbacks,
      dropCallbacks: sim.drop_callbacks,
      rateLimitEvery: sim.rate_limit_every,
      seed: sim.seed,
      // Kept in the data dir so a restart mid-batch finds its calls again and reconciles them.
      stateFile: path.join(this.ctx.dataDir, 'simulator-state.json'),
      phoneNumbers: [...new Set([from, ...PRACTICE_PHONE_NUMBERS])],
      ...this.ctx.simulatorOverrides,
    });
    await this.simulator.start();
    this.resetTwilioClient();
  }

  simulatorInstance(): TwilioSimulator | null {
    return this.simulator;
  }

  private async tunnelProvider(): Promise<TunnelProvider | null> {
    if (this.ctx.tunnelProvider) return this.ctx.tunnelProvider;
    if (!this.tunnelWanted()) return null;
    // Loaded only when used: the ngrok SDK is a native addon that commands like `status` never need.
    const { NgrokTunnelProvider } = await import('../tunnel/ngrok-provider');
    return new NgrokTunnelProvider();
  }

  /** (Re)starts the tunnel per settings. Never throws: a tunnel that fails leaves calling in polling mode. */
  async startTunnel(): Promise<void> {
    if (this.tunnel) {
      await bounded('tunnel', () => this.tunnel!.stop());
      this.tunnel = null;
    }
    if (this.settings.calling.status_callback_url) return; // the clinic's own URL wins: no tunnel
    this.tunnelFailure = null;
    let provider: TunnelProvider | null;
    let TunnelManagerClass: typeof TunnelManager;
    try {
      provider = await this.tunnelProvider();
      if (!provider || !this.callbackServer) return;
      TunnelManagerClass = (await import('../tunnel/tunnel-manager')).TunnelManager;
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
    const port = Number(new URL(this.localBaseUrl!).port);
    const tunnel = new TunnelManagerClass({
      provider,
      authtoken: this.credential('NGROK_AUTHTOKEN'),
      domain: this.settings.tunnel.domain,
      host: '127.0.0.1',
      port,
      // No signature check at ngrok's edge: a badly signed callback must reach our own server so it is counted,
      // explained (signature diagnostics) and kept in the callback inspector instead of vanishing at ngrok.
      ...(this.ctx.timing.tunnelBackoff ? { backoff: this.ctx.timing.tunnelBackoff } : {}),
      logger: createLogger('tunnel'),
    });
    tunnel.on('status', () => this.pushConnection());
    tunnel.on('url-changed', () => {
      log.info('tunnel URL changed; new calls register the new URL', { mode: this.callbackRoute().mode });
      this.pushConnection();
    });
    this.tunnel = tunnel;
    try {
      await tunnel.start();
    } catch (error) {
      log.warn('the tunnel could not start; calls are polled instead', { error });
    }
    this.pushConnection();
  }

  private startCallingStack(): void {
    const calls = (): CallsApi => this.calls;
    const settings = (): Settings => this.settings;
    const { timing } = this.ctx;
    this.poller = new CallPoller({
      db: this.ctx.db,
      calls,
      simulated: () => this.practice,
      clock: this.ctx.clock,
      logger: createLogger('poller'),
      ...(timing.pollFirstAfterMs !== undefined ? { firstPollAfterMs: timing.pollFirstAfterMs } : {}),
      ...(timing.pollMaxIntervalMs !== undefined ? { maxIntervalMs: timing.pollMaxIntervalMs } : {}),
    });
    this.poller.on('call-updated', (attempt) => this.onAttemptUpdated(attempt));
    // Practice calls live in the simulator, real ones at Twilio: each mode only ever asks about its own calls.
    const simulated = (): boolean => this.practice;
    this.reconciler = new Reconciler({ db: this.ctx.db, calls, settings, simulated, clock: this.ctx.clock, sleep: this.sleep, logger: createLogger('reconciler') });
    this.reconciler.on('call-updated', (attempt) => this.onAttemptUpdated(attempt));
    this.runner = new BatchRunner({
      isStopping: () => this.stopping.signal.aborted,
      // Practice calls reach nobody; real ones only go out within calling hours (clinic time).
      mayDial: () => this.practice || isWithinCallingHours(this.settings, this.ctx.clock()),
      db: this.ctx.db,
      calls,
      settings,
      fromNumber: () => this.fromNumber() ?? '',
      callbackTarget: () => this.callbackTarget(),
      renderMessage: (appointment) => this.renderMessage(appointment),
      poller: this.poller,
      clock: this.ctx.clock,
      sleep: this.sleep,
      logger: createLogger('dispatcher'),
      ...(timing.waitCheckMs !== undefined ? { waitCheckMs: timing.waitCheckMs } : {}),
    });
    this.runner.on('call-updated', (attempt) => this.pushCall(attempt));
    this.runner.on('batch-progress', (batchId) => this.pushBatch(batchId));
    // The runner's own batch-progress (above) and runBatch's `finally` already push the finished batch.
    this.runner.on('batch-finished', () => this.ctx.events.emit('appointments-changed', { reason: 'batch' }));
  }

  private startScheduler(): void {
    this.scheduler = new ReminderScheduler({
      db: this.ctx.db,
      // Through the engine, so scheduled batches are tracked (and awaited at stop) like any other.
      runner: { runBatch: (batchId: string) => this.runBatch(batchId) },
      settings: () => this.settings,
      simulated: () => this.practice,
      clock: this.ctx.clock,
      logger: createLogger('scheduler'),
    });
    this.scheduler.start();
  }

  /** Sweeps now (hosts: after wake; tests). Every open call that should have ended is asked about. */
  reconcileNow(all = false): Promise<SweepReport> {
    if (!this.reconciler) throw new ApiFailure('unavailable', 'the engine is not started');
    return all ? this.reconciler.reconcileAll() : this.reconciler.sweep();
  }

  // ---- pushes -----------------------------------------------------------------------------------------------

  private pushCall(attempt: CallAttempt): void {
    this.ctx.events.emit('call-updated', { appointmentId: attempt.appointmentId, call: toCallSummary(attempt) });
  }

  pushBatch(batchId: string): void {
    const batch = getBatch(this.ctx.db, batchId);
    if (batch) this.ctx.events.emit('batch-progress', batchProgress(this.ctx.db, batch, this.settings.calling.calls_per_second));
  }

  private onAttemptUpdated(attempt: CallAttempt): void {
    this.pushCall(attempt);
    this.pushBatch(attempt.batchId);
  }

  /** Once per group commit of callbacks: one push per call (its latest state) and per batch, one for the connection. */
  private onStatusesRecorded(results: readonly RecordResult[]): void {
    const { calls, batches } = coalesceRecorded(results);
    for (const attempt of calls) this.pushCall(attempt);
    for (const batchId of batches) this.pushBatch(batchId);
    this.pushConnection();
  }

  // ---- voice ------------------------------------------------------------------------------------------------

  renderMessage(appointment: Pick<Appointment, 'name' | 'appointmentAt' | 'location'>): string {
    return renderReminderMessage(this.settings.message.message_template, appointment, this.settings.scheduling.timezone);
  }

  private reminderTwiml(attemptId: number, gatherActionUrl: string): string | null {
    const attempt = getCallAttempt(this.ctx.db, attemptId);
    const appointment = attempt ? getAppointment(this.ctx.db, attempt.appointmentId) : null;
    if (!appointment) return null;
    return buildReminderTwiml({ message: this.renderMessage(appointment), gatherActionUrl });
  }

  private gatherTwiml(attemptId: number, digits: string): string {
    // A key other than 1 or 2 is asked once more, at the same keypad endpoint the reminder used.
    const twimlUrl = getCallAttempt(this.ctx.db, attemptId)?.twimlUrl ?? null;
    const reply = buildGatherReplyTwiml(digits, { gatherActionUrl: twimlUrl ? gatherActionUrlFor(twimlUrl, attemptId) : null });
    if (reply.confirmation) this.recordConfirmation(attemptId, reply.confirmation);
    return reply.twiml;
  }

  private recordConfirmation(attemptId: number, confirmation: Confirmation): void {
    const attempt = getCallAttempt(this.ctx.db, attemptId);
    if (!attempt) return;
    const now = this.now();
    this.ctx.db.transaction(() => {
      setAttemptConfirmation(this.ctx.db, attemptId, confirmation, now);
      setAppointmentConfirmation(this.ctx.db, attempt.appointmentId, confirmation, now);
    })();
    this.pushCall(getCallAttempt(this.ctx.db, attemptId)!);
    this.ctx.events.emit('appointments-changed', { reason: 'confirmation' });
  }

  // ---- appointments and batches -----------------------------------------------------------------------------

  async importFile(file: string): Promise<ImportResult & { summary: UpsertSummary }> {
    const result = await readAppointmentsFile(file, this.importOptions());
    return { ...result, summary: this.storeImported(result, path.basename(file)) };
  }

  importOptions(): ImportOptions {
    return importOptionsFrom(this.settings);
  }

  storeImported(result: ImportResult, sourceFile: string): UpsertSummary {
    const summary = upsertAppointments(this.ctx.db, result.rows, sourceFile, this.now());
    if (summary.inserted + summary.updated > 0) this.ctx.events.emit('appointments-changed', { reason: 'import' });
    return summary;
  }

  /**
   * Calling hours protect patients from a call at 9 pm, whoever starts the batch (staff, `run`, automation).
   * Practice calls reach nobody, and the wizard's test call rings the staff member's own phone: neither is held back.
   */
  createBatch(appointmentIds: readonly number[], opts: { testCall?: boolean } = {}): Batch {
    if (appointmentIds.length === 0) throw new ApiFailure('validation', 'there are no appointments to call');
    const reason = this.callingUnavailableReason();
    if (reason) throw new ApiFailure('unavailable', reason);
    if (!this.practice && !opts.testCall && !isWithinCallingHours(this.settings, this.ctx.clock())) {
      const { start, end } = this.settings.scheduling.calling_hours;
      throw new ApiFailure(
        'conflict',
        `It is outside calling hours (${start}–${end}, clinic time), so no reminder calls are placed now. Start the batch during calling hours, or change them in Settings (scheduling.calling_hours).`,
      );
    }
    return createBatch(this.ctx.db, { appointmentIds: [...new Set(appointmentIds)], simulated: this.practice, now: new Date(this.ctx.clock()) });
  }

  /** Creates a batch and runs it in the background (the UI follows it through pushes). */
  startBatch(appointmentIds: readonly number[], opts: { testCall?: boolean } = {}): { batch: Batch } {
    const batch = this.createBatch(appointmentIds, opts);
    void this.runBatch(batch.id).catch((error: unknown) => {
      if (!isStopError(error)) log.error('batch failed', { batchId: batch.id, error });
    });
    this.pushBatch(batch.id);
    return { batch };
  }

  /** Runs (or resumes) a batch until every call is final or the wait runs out. One run per batch at a time. */
  runBatch(batchId: string, opts: { waitSeconds?: number } = {}): Promise<BatchOutcome> {
    const existing = this.runs.get(batchId);
    if (existing) return existing;
    if (!this.runner) throw new ApiFailure('unavailable', 'the engine is not started');
    const batch = getBatch(this.ctx.db, batchId);
    if (!batch) throw new ApiFailure('not-found', `there is no batch ${batchId}`);
    if (batch.simulated !== this.practice) {
      throw new ApiFailure(
        'conflict',
        batch.simulated
          ? `batch ${batchId} was started in practice mode; resume it in practice mode (--simulate)`
          : `batch ${batchId} calls real patients; it cannot be resumed in practice mode`,
      );
    }
    // Without an explicit wait a resumed batch keeps the deadline it was given when it first ran.
    const run = this.runner.resume(batchId, opts.waitSeconds !== undefined ? { waitSeconds: opts.waitSeconds } : {}).finally(() => {
      this.runs.delete(batchId);
      this.pushBatch(batchId);
    });
    this.runs.set(batchId, run);
    return run;
  }

  isRunning(batchId: string): boolean {
    return this.runs.has(batchId);
  }

  batchRunner(): BatchRunner {
    if (!this.runner) throw new ApiFailure('unavailable', 'the engine is not started');
    return this.runner;
  }

  private resumeRunningBatches(): void {
    for (const batch of unfinishedBatches(this.ctx.db)) {
      if (batch.simulated !== this.practice) {
        log.warn('not resuming a batch started in the other mode', { batchId: batch.id, simulated: batch.simulated });
        continue;
      }
      log.info('resuming an interrupted batch', { batchId: batch.id });
      void this.runBatch(batch.id).catch((error: unknown) => {
        if (!isStopError(error)) log.error('resumed batch failed', { batchId: batch.id, error });
      });
    }
  }

  interruptedBatch(): Batch | null {
    const running = unfinishedBatches(this.ctx.db);
    if (running.length > 0) return running[0]!;
    return listBatches(this.ctx.db, 20).find((b) => b.state === 'paused') ?? null;
  }

  appointmentsOf(batchId: string): Appointment[] {
    return getAppointments(
      this.ctx.db,
      listBatchAttempts(this.ctx.db, batchId).map((a) => a.appointmentId),
    );
  }

  // ---- practice mode and self-test ----------------------------------------------------------------------------

  async enablePractice(): Promise<void> {
    // Checked before anything is remembered, so a refused switch leaves the saved mode as it was.
    if (!this.practice && this.runs.size > 0) throw new ApiFailure('conflict', 'a batch is running: pause or cancel it before switching to practice mode');
    setMeta(this.ctx.db, 'practice_mode', '1');
    if (this.practice) return;
    this.practice = true;
    this.resetTwilioClient();
    if (this.started && !this.stopped) {
      await this.startSimulator();
      this.pushConnection();
    }
  }

  /**
   * Back to real calls: the reverse of enablePractice. The simulator stops, the next Twilio request uses the real
   * account's credentials, and callbacks route through the tunnel / own URL / polling again. Practice batches
   * stay in the history (marked simulated) and can no longer be resumed.
   */
  async disablePractice(): Promise<void> {
    if (this.runs.size > 0) throw new ApiFailure('conflict', 'A batch is still calling. Pause or cancel it on the Reminder batches screen, then connect your Twilio account.');
    setMeta(this.ctx.db, 'practice_mode', '0');
    if (!this.practice) return;
    this.practice = false;
    this.resetTwilioClient();
    // Due reminders must not turn into real batches before the real account is set up; the next start resumes it.
    this.scheduler?.stop();
    this.scheduler = null;
    if (this.simulator) {
      const simulator = this.simulator;
      this.simulator = null;
      await bounded('simulator', () => simulator.stop());
    }
    if (this.started && !this.stopped) this.pushConnection();
  }

  async selfTest(opts: { signUrl?: string; timeoutMs?: number }): Promise<SelfTestView> {
    const route = this.callbackRoute();
    if (!route.statusCallbackUrl || !this.localBaseUrl) {
      return {
        ok: false,
        hop: 'no-public-url',
        message: this.localBaseUrl
          ? 'There is no public URL, so Twilio cannot send call statuses to this computer; calls are checked by polling instead. Set up the tunnel or your own URL to get live statuses.'
          : 'The callback server is not running: start Reminder Desk (reminder-desk serve) first.',
        details: this.tunnelSnapshot()?.error ? [`Tunnel: ${this.tunnelSnapshot()!.error!.title}. ${this.tunnelSnapshot()!.error!.fix}`] : [],
      };
    }
    const authToken = this.authToken();
    if (!authToken) {
      return {
        ok: false,
        hop: 'signature-rejected',
        message: 'No Twilio Auth Token is set up, so no callback can pass the signature check. Finish the Twilio step of the setup.',
        details: [],
      };
    }
    const { runCallbackSelfTest } = await import('../tunnel/self-test');
    const result = await runCallbackSelfTest({
      statusCallbackUrl: route.statusCallbackUrl,
      localBaseUrl: this.localBaseUrl,
      authToken,
      ...(opts.signUrl ? { signUrl: opts.signUrl } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    this.rememberedUrls.add(route.statusCallbackUrl);
    return { ok: result.ok, hop: result.hop, message: result.message, details: result.details };
  }

  // ---- misc ---------------------------------------------------------------------------------------------------

  appointment(id: number): Appointment | null {
    return getAppointment(this.ctx.db, id);
  }

  localUrl(): string | null {
    return this.localBaseUrl;
  }
}
