import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, ConnectionStatus, SelfTestView } from './api/contract';
import type { Appointment, Batch, CallAttempt } from './domain';
import type { SweepReport } from './polling/reconciler';
import { createApiHandlers } from './engine/api-handlers';
import { EngineServices, type EngineStartOptions } from './engine/services';
import { EngineEvents } from './engine/engine-events';
import { exportBatchLog, writeExportFor } from './engine/export-batch';
import type { ExportRequest } from './export/exports';
import { configureLogging, ConsoleSink, createLogger, RotatingFileSink, type LogLevel, type LogSink } from './logging/logger';
import { loadSettings, SettingsError, resolveSettingsFile } from './settings/load-settings';
import type { Settings } from './settings/schema';
import { EnvFirstSecrets, FileSecretStore, type SecretStore } from './settings/secrets';
import type { SimulatorOptions, TwilioSimulator } from './simulator/twilio-simulator';
import { getMeta } from './store/app-meta';
import { getBatch } from './store/batches';
import { getCallAttempt } from './store/call-attempts';
import { closeDatabase, databaseFile, openDatabase, type Db } from './store/database';
import type { TunnelProvider } from './tunnel/tunnel-manager';

// The one object every host (CLI, browser preview, Electron) drives: it opens the data dir, then starts the
// services in a fixed order and stops them in reverse. Everything else is reached through it.

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
  /** Test seam: poller and reconciler timing in real milliseconds (defaults: first poll 10 s, sweep every 60 s). */
  timing?: EngineTiming;
  /** The do-not-call list (store/do-not-call.ts `isOnDoNotCallList`); default: nobody is on it. */
  isDoNotCall?: (e164: string) => boolean;
}

export interface EngineTiming {
  pollFirstAfterMs?: number;
  pollMaxIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** How often a batch re-reads its counts while waiting for final statuses (default 1 s). */
  waitCheckMs?: number;
  /** The tunnel's reconnect back-off (default 1 s doubling to 60 s). */
  tunnelBackoff?: { initialMs: number; maxMs: number };
}

export interface EngineContext {
  dataDir: string;
  settingsFile: string;
  db: Db;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  clock: () => number;
  events: EngineEvents;
  practiceOverride: boolean | undefined;
  simulatorOverrides: Partial<SimulatorOptions>;
  tunnelProvider: TunnelProvider | undefined;
  timing: EngineTiming;
  isDoNotCall: ((e164: string) => boolean) | undefined;
  getSettings(): Settings;
  setSettings(next: Settings): void;
}

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
  private readonly services: EngineServices;
  private handlerTable: ApiHandlers | null = null;
  private closed = false;

  private constructor(private readonly ctx: EngineContext) {
    this.events = ctx.events;
    this.dataDir = ctx.dataDir;
    this.settingsFile = ctx.settingsFile;
    this.db = ctx.db;
    this.services = new EngineServices(ctx);
  }

  /** Resolves settings and secrets, configures logging and opens (migrating) the database. Throws SettingsError on a bad settings file. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const dataDir = path.resolve(opts.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
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
      isDoNotCall: opts.isDoNotCall,
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

  get practice(): boolean {
    return this.services.practice;
  }

  /**
   * Starts, in this order: callback server → (practice) simulator → tunnel → reconciler → resumed batches →
   * (serve only) scheduler. A tunnel that cannot start never blocks: calls are then polled.
   */
  async start(opts: EngineStartOptions = {}): Promise<void> {
    if (this.closed) throw new Error('This engine was stopped; open a new one');
    await this.services.start(opts);
  }

  /** Stops everything in reverse order, each step bounded; safe to call twice. Closes the database. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.services.stop();
    closeDatabase(this.db);
    // Logging is process-wide: stop writing into this engine's data dir (a test may delete it next).
    configureLogging({ sinks: [] });
  }

  handlers(): ApiHandlers {
    this.handlerTable ??= createApiHandlers(this, this.ctx, this.services);
    return this.handlerTable;
  }

  /** Writes a batch's log as CSV to a file (atomically) or a stream. */
  async exportBatch(batchId: string, target: string | NodeJS.WritableStream): Promise<{ rows: number; savedTo: string | null }> {
    const batch = getBatch(this.db, batchId);
    if (!batch) throw new Error(`There is no batch ${batchId}`);
    return exportBatchLog(this.db, batch, this.settings.scheduling.timezone, target);
  }

  /** The one export path: a batch log or a follow-up list, CSV or Excel, of the current mode's data, to a file or a stream. */
  exportFile(request: ExportRequest, target: string | NodeJS.WritableStream): Promise<{ rows: number; savedTo: string | null }> {
    return writeExportFor(this.db, request, { timezone: this.settings.scheduling.timezone, practice: this.services.practice }, target);
  }

  // ---- operations the CLI drives directly (the UI reaches the same through handlers()) ----------------------

  importFile(file: string): ReturnType<EngineServices['importFile']> {
    return this.services.importFile(file);
  }

  /** A batch of these appointments by the eligibility rules (`run`: `callAgain` = every one with --again). */
  createBatch(appointmentIds: readonly number[], opts: { callAgain?: readonly number[]; keepWhenNobodyToCall?: boolean; alongsideRunning?: boolean } = {}): Batch {
    const { callAgain, ...request } = opts;
    return this.services.createBatch({ appointmentIds, ...(callAgain ? { callAgain } : {}) }, request);
  }

  runBatch(batchId: string, opts: { waitSeconds?: number } = {}): ReturnType<EngineServices['runBatch']> {
    return this.services.runBatch(batchId, opts);
  }

  connectionStatus(): ConnectionStatus {
    return this.services.connectionStatus();
  }

  selfTest(opts: { signUrl?: string; timeoutMs?: number } = {}): Promise<SelfTestView> {
    return this.services.selfTest(opts);
  }

  /** The batch `run` without FILE picks up: the oldest still running, else the latest paused. */
  interruptedBatch(): Batch | null {
    return this.services.interruptedBatch();
  }

  appointmentsOf(batchId: string): Appointment[] {
    return this.services.appointmentsOf(batchId);
  }

  /** Why calls cannot be placed (no Twilio credentials, no caller number), or null. */
  callingUnavailableReason(): string | null {
    return this.services.callingUnavailableReason();
  }

  batch(batchId: string): Batch | null {
    return getBatch(this.db, batchId);
  }

  callAttempt(attemptId: number): CallAttempt | null {
    return getCallAttempt(this.db, attemptId);
  }

  /** The callback server's loopback URL once started. */
  localUrl(): string | null {
    return this.services.localUrl();
  }

  /** Asks Twilio now about open calls (all of them, or those that should have ended): after a wake, and in tests. */
  reconcileNow(all = false): Promise<SweepReport> {
    return this.services.reconcileNow(all);
  }

  /** The practice-mode simulator while running (tests read its request log). */
  get simulator(): TwilioSimulator | null {
    return this.services.simulatorInstance();
  }

  isPracticeStored(): boolean {
    return getMeta(this.db, 'practice_mode') === '1';
  }
}

export type { EngineStartOptions } from './engine/services';
