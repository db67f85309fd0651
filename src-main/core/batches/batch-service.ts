import { ApiFailure } from '../api/invoke-operation';
import type { CallPoller } from '../calls/call-poller';
import type { Appointment, Batch } from '../domain';
import type { EngineContext } from '../engine-context';
import { bounded } from '../lifecycle';
import { createLogger } from '../logging/logger';
import { getAppointments } from '../store/appointments';
import { createBatch, getBatch, listBatches, unfinishedBatches } from '../store/batches';
import { listBatchAttempts } from '../store/call-attempts';
import type { CallsApi } from '../twilio/twilio-client';
import type { UiPushes } from '../ui-pushes';
import { BatchRunner, type BatchOutcome } from './batch-runner';
import { isWithinCallingHours } from './due-reminders';
import { BatchPlanner, type BatchSelection } from './batch-planner';
import { anotherBatchRunningMessage, nobodyToCallMessage, type CreateBatchRequest } from './batch-start-rules';
import { toBatchView } from './batch-view';
import { countSkips } from './eligibility';
import { DO_NOT_CALL_REASON } from './skip-reason';
import { appendFinishedBatchToLog, defaultExportFile, exportBatchLog, writeExportFor } from './export-batch';
import { resolveBatchLogFile } from './legacy-batch-log';
import type { ExportFormat } from '../api/contract';
import { defaultExportPath, writeExport, type ExportRequest } from './exports';
import type { CallbackTarget } from './place-reminder-call';
import { AutomaticReminders } from './automatic-reminders';
import { ReminderScheduler } from './reminder-scheduler';
import { isStopError, type Sleep } from './timing';

// The batches room: creating batches under the calling-hours rule, running them (the runner is the one registry of
// running batches), resuming interrupted ones at start, the reminder scheduler, and the batch log export.

const log = createLogger('engine');

export interface BatchDeps {
  calls: CallsApi;
  practice(): boolean;
  fromNumber(): string | null;
  callingUnavailableReason(): string | null;
  callbackTarget(): CallbackTarget;
  renderMessage(appointment: Appointment): string;
  poller: Pick<CallPoller, 'track'>;
  sleep: Sleep;
  isStopping(): boolean;
  pushes: Pick<UiPushes, 'call' | 'batch' | 'batchSoon' | 'appointmentsChanged'>;
}

export interface BatchStartOptions {
  /** Pick up batches a previous run left `running` (default true; `reminder-desk run` resumes explicitly). */
  resumeBatches?: boolean;
  /** Start the reminder scheduler regardless of the switch: `serve`, whose whole job is the schedule. */
  scheduler?: boolean;
  /**
   * The desktop app (Electron, browser preview): the same scheduler runs, but only puts reminders into batches while
   * the "Automatic reminders" switch is on for the current mode and calls can be placed (automatic-reminders.ts).
   */
  automaticReminders?: boolean;
}

export class BatchService {
  readonly runner: BatchRunner;
  readonly automatic: AutomaticReminders;
  private scheduler: ReminderScheduler | null = null;
  /** The switch-gated scheduler of the desktop app (kept across practice-mode switches: the switch is per mode). */
  private automaticScheduler: ReminderScheduler | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: BatchDeps,
  ) {
    const { timing } = ctx;
    this.automatic = new AutomaticReminders(ctx, deps);
    this.runner = new BatchRunner({
      isStopping: deps.isStopping,
      // Practice calls reach nobody; real ones only go out within calling hours (clinic time).
      mayDial: () => deps.practice() || isWithinCallingHours(ctx.getSettings(), ctx.clock()),
      // Practice calls run at the simulator's speed; so do their retries (a 5-minute retry delay at time_scale 0.01 is 3 s).
      retryDelayScale: () => (deps.practice() ? (ctx.simulatorOverrides?.timeScale ?? ctx.getSettings().simulator.time_scale) : 1),
      db: ctx.db,
      calls: () => deps.calls,
      settings: () => ctx.getSettings(),
      fromNumber: () => deps.fromNumber() ?? '',
      callbackTarget: deps.callbackTarget,
      renderMessage: deps.renderMessage,
      poller: deps.poller,
      clock: ctx.clock,
      sleep: deps.sleep,
      logger: createLogger('dispatcher'),
      ...(timing.waitCheckMs !== undefined ? { waitCheckMs: timing.waitCheckMs } : {}),
    });
    this.runner.on('call-updated', (attempt) => deps.pushes.call(attempt));
    this.runner.on('batch-progress', (batchId) => deps.pushes.batchSoon(batchId));
    this.runner.on('batch-state-changed', (batchId) => deps.pushes.batch(batchId));
    this.runner.on('batch-finished', (outcome) => {
      deps.pushes.appointmentsChanged('batch');
      if (outcome.state !== 'paused') this.appendToLegacyLog(outcome.batchId);
    });
  }

  /** Resumes interrupted batches and (serve) starts the scheduler, once Twilio can be reached. */
  start(opts: BatchStartOptions): void {
    if (opts.automaticReminders && !opts.scheduler) this.automaticScheduler = this.newScheduler(() => this.automatic.active());
    const unavailable = this.deps.callingUnavailableReason();
    if (unavailable) {
      // Nothing is dialled (and no due reminder is put into a batch that cannot run) until Twilio is set up.
      if ((opts.resumeBatches ?? true) || opts.scheduler) log.warn(`no calls can be placed: ${unavailable}`);
      return;
    }
    if (opts.resumeBatches ?? true) this.resumeRunningBatches();
    if (opts.scheduler) this.startScheduler();
  }

  /** Stops the scheduler and waits (bounded) for running batches, which stop at their next sleep. */
  async stop(): Promise<void> {
    this.stopScheduler();
    this.automaticScheduler?.stop();
    this.automaticScheduler = null;
    await bounded('running batches', () => this.runner.idle());
  }

  stopScheduler(): void {
    this.scheduler?.stop();
    this.scheduler = null;
  }

  /** Who a batch of a selection would call and skip, by the eligibility rules (eligibility.ts), in the current mode. */
  planner(): BatchPlanner {
    return new BatchPlanner({
      db: this.ctx.db,
      clock: this.ctx.clock,
      settings: () => this.ctx.getSettings(),
      practice: this.deps.practice,
      fromNumber: this.deps.fromNumber,
      blockedReason: this.deps.callingUnavailableReason,
    });
  }

  /**
   * Creates a batch of the selection's patients that the eligibility rules allow (calling hours, already reminded,
   * passed, do-not-call, being called); the others are in it as `skipped` with the reason. Calling hours protect
   * patients from a call at 9 pm whoever starts the batch; practice calls reach nobody. The wizard's test call
   * rings the staff member's own phone: no rule holds it back and it is no patient's call.
   */
  create(selection: BatchSelection | readonly number[], opts: CreateBatchRequest = {}): Batch {
    const chosen: BatchSelection = Array.isArray(selection) ? { appointmentIds: selection as readonly number[] } : (selection as BatchSelection);
    if (chosen.appointmentIds?.length === 0) throw new ApiFailure('validation', 'there are no appointments to call');
    const practice = this.deps.practice();
    const now = new Date(this.ctx.clock());
    const planner = this.planner();
    // A day without appointments says so first; then whether calls can be placed at all.
    const candidates = opts.testCall ? [] : planner.candidates(chosen);
    const reason = this.deps.callingUnavailableReason();
    if (reason) throw new ApiFailure('unavailable', reason);
    if (opts.testCall) {
      return createBatch(this.ctx.db, { appointmentIds: [...new Set(chosen.appointmentIds ?? [])], simulated: practice, now, testCall: true });
    }
    if (candidates.length === 0) throw new ApiFailure('validation', 'There are no appointments to call.');
    if (!opts.alongsideRunning) {
      const running = planner.runningBatches();
      if (running.length > 0) throw new ApiFailure('conflict', anotherBatchRunningMessage(running.map((b) => toBatchView(this.ctx.db, b).label)));
    }
    const decision = planner.decide(chosen, candidates);
    if (decision.toCall.length === 0 && !opts.keepWhenNobodyToCall) {
      throw new ApiFailure('conflict', nobodyToCallMessage(countSkips(decision.skipped), this.ctx.getSettings().scheduling.calling_hours));
    }
    return createBatch(this.ctx.db, {
      appointmentIds: decision.toCall.map((a) => a.id),
      // A do-not-call skip keeps the list's own words in error_message, as a skip at dial time does.
      skipped: decision.skipped.map((s) => ({ appointmentId: s.appointment.id, reason: s.reason, message: s.reason === 'do-not-call' ? DO_NOT_CALL_REASON : undefined })),
      simulated: practice,
      now,
    });
  }

  /** Creates a batch and runs it in the background (the UI follows it through pushes). */
  launch(selection: BatchSelection | readonly number[], opts: CreateBatchRequest = {}): Batch {
    const batch = this.create(selection, opts);
    this.runInBackground(batch.id, 'batch failed');
    this.deps.pushes.batch(batch.id);
    return batch;
  }

  /** Runs (or resumes) a batch until every call is final or the wait runs out. One run per batch at a time. */
  run(batchId: string, opts: { waitSeconds?: number } = {}): Promise<BatchOutcome> {
    const batch = getBatch(this.ctx.db, batchId);
    if (!batch) throw new ApiFailure('not-found', `there is no batch ${batchId}`);
    if (batch.simulated !== this.deps.practice()) {
      throw new ApiFailure(
        'conflict',
        batch.simulated
          ? `batch ${batchId} was started in practice mode; resume it in practice mode (--simulate)`
          : `batch ${batchId} calls real patients; it cannot be resumed in practice mode`,
      );
    }
    // Without an explicit wait a resumed batch keeps the deadline it was given when it first ran. A paused batch is
    // set running again; a run still winding down after a pause carries on.
    return this.runner.resume(batchId, opts.waitSeconds !== undefined ? { waitSeconds: opts.waitSeconds } : {});
  }

  pause(batchId: string): void {
    this.runner.pause(batchId);
  }

  cancel(batchId: string): void {
    this.runner.cancel(batchId);
  }

  /** Resumes a paused (or still running) batch in the background. */
  resume(batchId: string): void {
    const batch = getBatch(this.ctx.db, batchId);
    if (!batch) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    if (batch.state !== 'paused' && batch.state !== 'running') {
      throw new ApiFailure('conflict', `Batch ${batchId} is ${batch.state.replace('_', ' ')}; start a new batch instead.`);
    }
    this.run(batchId).catch(() => undefined);
    this.deps.pushes.batch(batchId);
  }

  /** True in practice mode: batches, appointments and exports are then the practice data. */
  practice(): boolean {
    return this.deps.practice();
  }

  isRunning(batchId: string): boolean {
    return this.runner.isRunning(batchId);
  }

  anyRunning(): boolean {
    return this.runner.runningCount() > 0;
  }

  get(batchId: string): Batch | null {
    return getBatch(this.ctx.db, batchId);
  }

  /** The batch `run` without FILE picks up: the oldest still running, else the latest paused. */
  interrupted(): Batch | null {
    const practice = this.deps.practice();
    const running = unfinishedBatches(this.ctx.db).filter((b) => b.simulated === practice && !b.testCall);
    if (running.length > 0) return running[0]!;
    return listBatches(this.ctx.db, { practice }, 20).find((b) => b.state === 'paused') ?? null;
  }

  appointmentsOf(batchId: string): Appointment[] {
    return getAppointments(
      this.ctx.db,
      listBatchAttempts(this.ctx.db, batchId).map((a) => a.appointmentId),
    );
  }

  /**
   * The one export path: a batch log or a follow-up list, CSV or Excel, of the current mode's data, to a file
   * (default `<dataDir>/exports/<default name>`) or a stream. Hosts only choose where.
   */
  exportFile(request: ExportRequest, target?: string | NodeJS.WritableStream): Promise<{ rows: number; savedTo: string | null }> {
    const opts = { timezone: this.ctx.getSettings().scheduling.timezone, practice: this.deps.practice() };
    return writeExportFor(this.ctx.db, request, opts, target ?? defaultExportPath(this.ctx.dataDir, request));
  }

  /** Writes a batch's log as CSV to a file (atomically; default `<dataDir>/exports/…`) or a stream. */
  async exportLog(batchId: string, target?: string | NodeJS.WritableStream, format: ExportFormat = 'csv'): Promise<{ rows: number; savedTo: string | null }> {
    const batch = getBatch(this.ctx.db, batchId);
    if (!batch) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    const timezone = this.ctx.getSettings().scheduling.timezone;
    if (format === 'csv') return exportBatchLog(this.ctx.db, batch, timezone, target ?? defaultExportFile(this.ctx.dataDir, batchId));
    const request = { kind: 'batch-log', batchId, format } as const;
    return writeExport(request, { db: this.ctx.db, timezone, batch }, target ?? defaultExportPath(this.ctx.dataDir, request));
  }

  /** logging.batch_log_file (the predecessor's running log): a finished batch's rows are appended. */
  private appendToLegacyLog(batchId: string): void {
    const settings = this.ctx.getSettings();
    const configured = settings.logging.batch_log_file;
    const batch = getBatch(this.ctx.db, batchId);
    if (!configured || !batch) return;
    const file = resolveBatchLogFile(configured, this.ctx.dataDir);
    void appendFinishedBatchToLog(this.ctx.db, batch, settings.scheduling.timezone, file).catch((error: unknown) =>
      log.error('could not append the batch to logging.batch_log_file', { batchId, error }),
    );
  }

  private runInBackground(batchId: string, what: string): void {
    void this.run(batchId).catch((error: unknown) => {
      if (!isStopError(error)) log.error(what, { batchId, error });
    });
  }

  private resumeRunningBatches(): void {
    const practice = this.deps.practice();
    for (const batch of unfinishedBatches(this.ctx.db)) {
      if (batch.simulated !== practice) {
        log.warn('not resuming a batch started in the other mode', { batchId: batch.id, simulated: batch.simulated });
        continue;
      }
      log.info('resuming an interrupted batch', { batchId: batch.id });
      this.runInBackground(batch.id, 'resumed batch failed');
    }
  }

  private startScheduler(): void {
    this.scheduler = this.newScheduler();
  }

  private newScheduler(enabled?: () => boolean): ReminderScheduler {
    const scheduler = new ReminderScheduler({
      db: this.ctx.db,
      // Through this room, so scheduled batches are tracked (and awaited at stop) like any other.
      runner: { runBatch: (batchId: string) => this.run(batchId) },
      settings: () => this.ctx.getSettings(),
      simulated: this.deps.practice,
      mayCall: (ids) => {
        // Every id is a deliberate scheduled repeat ("call again"): the other rules (do-not-call, appointment passed,
        // being called by another batch) still apply, as they do to any batch staff start.
        const decision = this.planner().decide({ appointmentIds: ids, callAgain: ids });
        for (const { appointment, reason } of decision.skipped) log.info('scheduled reminder not placed', { appointmentId: appointment.id, reason });
        return new Set(decision.toCall.map((a) => a.id));
      },
      clock: this.ctx.clock,
      logger: createLogger('scheduler'),
      ...(enabled ? { enabled } : {}),
    });
    scheduler.start();
    return scheduler;
  }

  /** A wake from sleep (the reconciliation sweep notices it): check for due reminders at once. */
  wake(): void {
    this.scheduler?.wake();
    this.automaticScheduler?.wake();
  }
}
