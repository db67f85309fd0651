import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers } from './api/contract';
import { appointmentHandlers } from './appointments/appointment-handlers';
import { AppointmentService } from './appointments/appointment-service';
import { batchHandlers } from './batches/batch-handlers';
import { BatchService, type BatchStartOptions } from './batches/batch-service';
import { callbackHandlers } from './callbacks/callback-handlers';
import { CallbackListener } from './callbacks/callback-listener';
import { CallTracking } from './calls/call-tracking';
import { Voice } from './calls/voice';
import { reminderVoiceHandlers } from './calls/reminder-voice-handlers';
import { automaticHandlers } from './batches/automatic-handlers';
import { connectionHandlers } from './connection/connection-handlers';
import { ConnectionService } from './connection/connection-service';
import type { TunnelProvider } from './connection/tunnel-manager';
import type { EngineContext, EngineTiming } from './engine-context';
import { EngineEvents } from './engine-events';
import { abortableSleep } from './lifecycle';
import { configureLogging, ConsoleSink, createLogger, RotatingFileSink, type LogLevel, type LogSink } from './logging/logger';
import { practiceHandlers } from './practice/practice-handlers';
import { resultsHandlers } from './results/results-handlers';
import { findRepositorySample } from './practice/load-sample';
import { PracticeMode } from './practice/practice-mode';
import type { SimulatorOptions } from './practice/simulator/twilio-simulator';
import { loadSettings, resolveSettingsFile, SettingsError } from './settings/load-settings';
import type { Settings } from './settings/schema';
import { EnvFirstSecrets, FileSecretStore, type SecretStore } from './settings/secrets';
import { settingsHandlers } from './settings/settings-handlers';
import { appState, setupHandlers } from './settings/setup-handlers';
import { lockDataDir } from './store/data-dir-lock';
import { closeDatabase, databaseFile, openDatabase, type Db } from './store/database';
import { secureDataDir } from './store/private-files';
import { publishEngineRuntime, withdrawEngineRuntime } from './connection/engine-runtime';
import { TwilioAccount } from './twilio/twilio-account';
import { UiPushes } from './ui-pushes';

// The composition root every host (CLI, browser preview, Electron) drives. It opens the data folder, builds one
// service per capability room, wires them together with plain functions, and starts them in a fixed order
// (stopping in reverse). What each room does lives in its folder; this file only decides the order.

export interface EngineOptions {
  dataDir: string;
  /** `--config PATH`; else ./config/settings.yaml when it exists, else <dataDir>/settings.yaml. */
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Electron passes its safeStorage-backed store; default: environment first, then <dataDir>/secrets.json. */
  secrets?: SecretStore;
  /** Overrides the persisted practice mode for this run (`--simulate`); not saved. */
  practice?: boolean | undefined;
  /** Simulator switches on top of settings.yaml `simulator:` (tests use a fast time scale). */
  simulator?: Partial<SimulatorOptions>;
  /** Tunnel provider to use instead of the one settings choose (tests: FakeTunnelProvider). */
  tunnelProvider?: TunnelProvider;
  /** better-sqlite3 addon built for Electron's ABI. */
  nativeBinding?: string;
  clock?: () => number;
  /** Also print warnings and errors on stderr (the CLI). */
  logToConsole?: boolean;
  /** Current directory for resolving ./config/settings.yaml (default process.cwd()). */
  cwd?: string;
  /** The sample CSV `practice/load-sample` imports (default: resources/ of this repository). */
  sampleAppointmentsFile?: string;
  /** Test seam: poller and reconciler timing in real milliseconds (defaults: first poll 10 s, sweep every 60 s). */
  timing?: EngineTiming;
}

export type EngineStartOptions = BatchStartOptions;
export type { EngineContext, EngineTiming } from './engine-context';

const log = createLogger('engine');

function configureEngineLogging(dataDir: string, settings: Settings, toConsole: boolean): void {
  const sinks: LogSink[] = [];
  const file = path.resolve(dataDir, settings.logging.log_file);
  try {
    sinks.push(new RotatingFileSink(file, settings.logging.max_log_size, settings.logging.backup_count));
  } catch (error) {
    // A log folder we cannot write must not stop reminder calls; say so where someone will see it.
    process.stderr.write(`reminder-desk: cannot write the log file ${file}: ${(error as Error).message}\n`);
  }
  if (toConsole) sinks.push(new ConsoleSink('warn'));
  configureLogging({ level: settings.logging.log_level as LogLevel, sinks });
}

export class Engine {
  readonly events: EngineEvents;
  readonly dataDir: string;
  readonly settingsFile: string;
  readonly db: Db;

  // ---- the rooms -----------------------------------------------------------------------------------------
  readonly practiceMode: PracticeMode;
  readonly account: TwilioAccount;
  readonly pushes: UiPushes;
  readonly listener: CallbackListener;
  readonly connection: ConnectionService;
  readonly voice: Voice;
  readonly calls: CallTracking;
  readonly batches: BatchService;
  readonly appointments: AppointmentService;

  private readonly stopping = new AbortController();
  private handlerTable: ApiHandlers | null = null;
  private releaseDataDir: (() => void) | null = null;
  private started = false;
  private startedAt: string | null = null;
  private closed = false;

  private constructor(private readonly ctx: EngineContext) {
    this.events = ctx.events;
    this.dataDir = ctx.dataDir;
    this.settingsFile = ctx.settingsFile;
    this.db = ctx.db;
    const sleep = abortableSleep(this.stopping.signal);
    const practice = (): boolean => this.practiceMode.active;

    this.practiceMode = new PracticeMode(ctx, {
      batchesRunning: () => this.batches.anyRunning(),
      fromNumber: () => this.account.fromNumber(),
      onSwitched: () => this.onPracticeSwitched(),
    });
    this.account = new TwilioAccount(ctx, this.practiceMode);
    this.pushes = new UiPushes(ctx, () => this.connection.status());
    this.voice = new Voice(ctx, this.pushes);
    this.listener = new CallbackListener(ctx, {
      authToken: () => this.account.authToken(),
      knownStatusCallbackUrls: () => this.connection.knownStatusCallbackUrls(),
      voice: {
        reminderTwiml: (attemptId, gatherActionUrl, params) => this.voice.reminderTwiml(attemptId, gatherActionUrl, params),
        gatherTwiml: (attemptId, digits) => this.voice.gatherTwiml(attemptId, digits),
      },
      onStatusesRecorded: (results) => this.pushes.statusesRecorded(results),
      onRejected: (rejection) => {
        ctx.events.emit('callback-rejected', { count: rejection.count, reason: rejection.reason });
        this.pushes.connection();
      },
    });
    this.connection = new ConnectionService(ctx, {
      practice,
      credential: (name) => this.account.credential(name),
      authToken: () => this.account.authToken(),
      listener: this.listener,
      changed: () => {
        this.pushes.connection();
        this.publishRuntime();
      },
    });
    this.calls = new CallTracking(ctx, { calls: this.account.calls, practice, sleep, pushes: this.pushes });
    this.batches = new BatchService(ctx, {
      calls: this.account.calls,
      practice,
      fromNumber: () => this.account.fromNumber(),
      callingUnavailableReason: () => this.account.callingUnavailableReason(),
      callbackTarget: () => this.connection.callbackTarget(),
      renderMessage: (appointment) => this.voice.renderMessage(appointment),
      poller: this.calls.poller,
      sleep,
      isStopping: () => this.stopping.signal.aborted,
      pushes: this.pushes,
    });
    this.appointments = new AppointmentService(ctx, this.pushes, practice);
  }

  /** Resolves settings and secrets, configures logging and opens (migrating) the database. Throws SettingsError on a bad settings file. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const dataDir = path.resolve(opts.dataDir);
    secureDataDir(dataDir); // 0700 folder, 0600 files: also fixes installs made before that rule
    const env = opts.env ?? process.env;
    const settingsFile = resolveSettingsFile({ config: opts.configFile, dataDir, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    // A --config that names no file is a typo, not a request for defaults: real calls must not go out unconfigured.
    if (opts.configFile && !fs.existsSync(settingsFile)) {
      throw new SettingsError(`the settings file ${settingsFile} (--config) does not exist`, settingsFile);
    }
    const loaded = loadSettings(settingsFile);
    let settings = loaded.settings;
    configureEngineLogging(dataDir, settings, opts.logToConsole ?? false);
    for (const warning of loaded.warnings) log.warn(warning);
    const db = openDatabase(databaseFile(dataDir), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    const ctx: EngineContext = {
      dataDir,
      settingsFile,
      db,
      secrets: opts.secrets ?? new EnvFirstSecrets(new FileSecretStore(dataDir), env),
      env,
      clock: opts.clock ?? Date.now,
      events: new EngineEvents(),
      practiceOverride: opts.practice,
      simulatorOverrides: opts.simulator ?? {},
      tunnelProvider: opts.tunnelProvider,
      timing: opts.timing ?? {},
      // The CLI and the browser preview run from the repository; the desktop app names its extra resource.
      sampleAppointmentsFile: opts.sampleAppointmentsFile ?? findRepositorySample(import.meta.dirname),
      getSettings: () => settings,
      setSettings: (next) => {
        settings = next;
      },
    };
    log.info('engine opened', { dataDir, settingsFile, settingsFileExists: loaded.exists });
    return new Engine(ctx);
  }

  get settings(): Settings {
    return this.ctx.getSettings();
  }

  /** True when calls go to the practice-mode simulator. */
  get practice(): boolean {
    return this.practiceMode.active;
  }

  /**
   * Starts, in this order: data-folder lock → callback listener → (practice) simulator → tunnel → call tracking
   * (start-up reconciliation, poller, periodic sweep) → resumed batches → (serve only) scheduler. A tunnel that
   * cannot start never blocks: calls are then polled.
   */
  async start(opts: EngineStartOptions = {}): Promise<void> {
    if (this.closed) throw new Error('This engine was stopped; open a new one');
    if (this.started) throw new Error('The engine is already started');
    this.started = true;
    this.releaseDataDir = lockDataDir(this.dataDir);
    await this.listener.start();
    await this.practiceMode.start();
    this.account.reset();
    await this.connection.startTunnel();
    this.startedAt = new Date(this.ctx.clock()).toISOString();
    this.publishRuntime();
    await this.calls.start();
    this.batches.start(opts);
    log.info('engine started', { mode: this.connection.callbackRoute().mode, practice: this.practice });
  }

  /** Stops everything in reverse order, each step bounded; safe to call twice. Closes the database. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.started) {
      this.pushes.close();
      // Batches stop at their next sleep (every pause between dials and status checks is abortable); calls already
      // placed carry on at Twilio, and the next start reconciles them.
      this.batches.stopScheduler();
      this.stopping.abort();
      await this.batches.stop();
      await this.calls.stop();
      await this.connection.stopTunnel();
      await this.practiceMode.stop();
      withdrawEngineRuntime(this.dataDir);
      await this.listener.stop();
      this.releaseDataDir?.();
      this.releaseDataDir = null;
      log.info('engine stopped');
    }
    closeDatabase(this.db);
    // Logging is process-wide: stop writing into this engine's data dir (a test may delete it next).
    configureLogging({ sinks: [] });
  }

  /** The API contract's operations, one slice per room. */
  handlers(): ApiHandlers {
    if (this.handlerTable) return this.handlerTable;
    const ctx = this.ctx;
    const practice = (): boolean => this.practice;
    const state = () => appState(ctx, practice, this.account);
    this.handlerTable = {
      ...setupHandlers(ctx, state, this.account),
      ...practiceHandlers(ctx, this.practiceMode, state, (file) => this.appointments.importFile(file)),
      ...connectionHandlers(ctx, this.connection),
      ...appointmentHandlers(this.appointments),
      ...batchHandlers(ctx, this.batches, this.pushes),
      ...resultsHandlers(ctx, this.batches),
      ...settingsHandlers(ctx),
      ...callbackHandlers(ctx),
      ...automaticHandlers(this.batches.automatic),
      ...reminderVoiceHandlers(ctx, this.voice),
    } satisfies ApiHandlers;
    return this.handlerTable;
  }

  /** After practice mode is switched on or off: a new Twilio client, and (leaving practice) no scheduler until the next start. */
  private onPracticeSwitched(): void {
    this.account.reset();
    if (!this.practice) this.batches.stopScheduler();
    if (this.started && !this.closed) this.pushes.connection();
    this.publishRuntime();
  }

  /** Tells other processes (`tunnel check`) where this engine receives callbacks now. Never fails the caller. */
  private publishRuntime(): void {
    if (!this.startedAt || this.closed) return;
    const route = this.connection.callbackRoute();
    try {
      publishEngineRuntime(this.dataDir, {
        startedAt: this.startedAt,
        updatedAt: new Date(this.ctx.clock()).toISOString(),
        practice: this.practice,
        mode: route.mode,
        localBaseUrl: this.listener.localUrl(),
        statusCallbackUrl: route.statusCallbackUrl,
      });
    } catch (error) {
      log.warn('could not write the engine runtime file', { error });
    }
  }
}
