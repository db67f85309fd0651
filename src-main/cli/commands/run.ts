import path from 'node:path';
import type { ApiEvents } from '../../core/api/contract';
import { ApiFailure } from '../../core/api/invoke-operation';
import type { Engine } from '../../core/engine';
import { batchProgress } from '../../core/batches/batch-progress';
import { describeSkips, nobodyToCallMessage } from '../../core/batches/batch-start-rules';
import { countSkips } from '../../core/batches/eligibility';
import { maskPhone } from '../../core/vocabulary/mask-phone';
import { getCallAttempt, listBatchAttempts } from '../../core/store/call-attempts';
import { CliFailure, UsageError } from '../cli-errors';
import { formatOpenCall, formatProgress } from '../format';
import { withEngine, type GlobalOptions } from '../open-engine';
import { printImport } from './import';

export interface RunOptions {
  simulate?: boolean;
  export?: string;
  wait?: number;
  timeScale?: number;
  /** Call already-reminded patients again (the per-patient choice of the UI, for every patient of the file). */
  again?: boolean;
}

/**
 * `run [FILE]`: imports FILE and calls every appointment in it (without FILE: finishes the interrupted batch),
 * with the callback server up, until every call is final or the wait runs out; then exports the batch log.
 */
export async function runCommand(file: string | undefined, opts: RunOptions, globals: GlobalOptions): Promise<number> {
  const simulator = opts.timeScale !== undefined ? { timeScale: opts.timeScale } : undefined;
  return withEngine(globals, { ...(opts.simulate ? { practice: true } : {}), ...(simulator ? { simulator } : {}) }, async (engine) => {
    const unavailable = engine.practice ? null : engine.account.callingUnavailableReason();
    if (unavailable) throw new UsageError(`${unavailable}`);
    await engine.start({ resumeBatches: false });

    const batchId = file ? await batchFromFile(engine, file, opts.again ?? false) : resumableBatch(engine);
    const batch = engine.batches.get(batchId)!;
    const attempts = listBatchAttempts(engine.db, batchId);
    const skipped = attempts.filter((a) => a.state === 'skipped' && a.skipReason && a.skipReason !== 'batch-cancelled');
    const total = attempts.length - skipped.length;
    process.stdout.write(`${file ? 'Calling' : 'Resuming'} batch ${batchId}${batch.simulated ? ' (SIMULATED: practice mode, nobody is called)' : ''}: ${total} call(s)\n`);
    if (file && skipped.length > 0) {
      // The same rules as the app's confirmation: who is not called and why (they are in the export as `skipped`).
      process.stdout.write(`  Not called: ${describeSkips(countSkips(skipped.map((a) => ({ reason: a.skipReason! }))))}${opts.again ? '' : ' (--again calls already-reminded patients too)'}\n`);
    }
    process.stdout.write(`  ${engine.connection.status().summary}\n`);
    const unsubscribe = followCalls(engine);
    let outcome;
    try {
      outcome = await engine.batches.run(batchId, opts.wait !== undefined ? { waitSeconds: opts.wait } : {});
    } finally {
      unsubscribe();
    }

    const progress = batchProgress(engine.db, engine.batches.get(batchId)!, engine.settings.calling.calls_per_second);
    process.stdout.write(`${formatProgress(progress)}\n`);
    const open = listBatchAttempts(engine.db, batchId).filter((a) => !a.isFinal && a.state !== 'skipped');
    const names = new Map(engine.batches.appointmentsOf(batchId).map((a) => [a.id, a.name]));
    for (const attempt of open) process.stdout.write(`${formatOpenCall(attempt, names.get(attempt.appointmentId) ?? null)}\n`);

    if (opts.export) {
      const result = await engine.batches.exportLog(batchId, path.resolve(opts.export));
      process.stdout.write(`Batch log: ${result.rows} row(s) written to ${result.savedTo}\n`);
    }
    if (outcome.state === 'paused' || outcome.state === 'cancelled') {
      throw new CliFailure(`batch ${batchId} was ${outcome.state} before every call was placed`);
    }
    if (open.length > 0) {
      // The batch is done all the same (issue: "done when every call is final or a bounded wait runs out"):
      // the calls listed above stay open in the log and are reconciled with Twilio the next time the engine runs.
      process.stderr.write(
        `reminder-desk: warning: ${open.length} call(s) had no final status when the wait ran out; ` +
          `they are reconciled with Twilio the next time reminder-desk runs\n`,
      );
    }
    return 0;
  });
}

async function batchFromFile(engine: Engine, file: string, again: boolean): Promise<string> {
  const result = await engine.appointments.importFile(file);
  printImport(file, result, process.stderr);
  if (result.summary.ids.length === 0) throw new CliFailure(`${path.basename(file)} has no appointment that can be called`);
  const selection = { appointmentIds: result.summary.ids, callAgain: again ? result.summary.ids : [] };
  try {
    const decision = engine.batches.planner().decide(selection);
    if (decision.toCall.length === 0 && decision.skipped.every((s) => s.reason === 'outside-calling-hours')) {
      // Nothing to record: the same file can be run again once calling hours begin.
      throw new ApiFailure('conflict', nobodyToCallMessage(countSkips(decision.skipped), engine.settings.scheduling.calling_hours));
    }
    // One engine per data folder (the lock): a batch still marked running belongs to an interrupted run, not a live one.
    // Patients nobody may call are kept in the batch as `skipped`, so the export says why.
    return engine.batches.create(selection, { alongsideRunning: true, keepWhenNobodyToCall: true }).id;
  } catch (error) {
    if (error instanceof ApiFailure) throw new CliFailure(error.message);
    throw error;
  }
}

function resumableBatch(engine: Engine): string {
  const batch = engine.batches.interrupted();
  if (!batch) throw new CliFailure('there is no interrupted batch to resume; give a FILE of appointments to call');
  return batch.id;
}

/** One line per call as it reaches its final status (on stderr), so a long run shows it is alive. */
function followCalls(engine: Engine): () => void {
  const reported = new Set<number>();
  const onUpdate = ({ call }: ApiEvents['call-updated']): void => {
    if (!call.isFinal || reported.has(call.attemptId)) return;
    reported.add(call.attemptId);
    const to = getCallAttempt(engine.db, call.attemptId)?.toNumber ?? null;
    process.stderr.write(`  ${to ? maskPhone(to) : `call ${call.attemptId}`}: ${call.status}${call.source ? ` (${call.source})` : ''}\n`);
  };
  engine.events.on('call-updated', onUpdate);
  return () => engine.events.off('call-updated', onUpdate);
}
