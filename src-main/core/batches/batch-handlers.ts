import type { BatchProgress, HandlerSlice } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { normalisePhoneNumber } from '../appointments/phone-number';
import type { Batch } from '../domain';
import type { EngineContext } from '../engine-context';
import { upsertAppointments } from '../store/appointments';
import { activeBatches, getBatch, listBatches } from '../store/batches';
import { listBatchAttempts } from '../store/call-attempts';
import { nowIso } from '../store/database';
import type { UiPushes } from '../ui-pushes';
import { batchProgress } from './batch-progress';
import type { BatchService } from './batch-service';
import { toBatchView } from './batch-view';
import { exportFileName } from './exports';

type BatchOperations =
  | 'batches/plan'
  | 'batches/start'
  | 'batches/pause'
  | 'batches/resume'
  | 'batches/cancel'
  | 'batches/list'
  | 'batches/active'
  | 'batches/progress'
  | 'batches/export'
  | 'setup/test-call';

export function batchHandlers(ctx: EngineContext, batches: BatchService, pushes: Pick<UiPushes, 'appointmentsChanged'>): HandlerSlice<BatchOperations> {
  const db = ctx.db;
  const practice = (): boolean => batches.practice();
  /** A batch of the current mode: practice and real data never mix, so the other mode's batches are not found. */
  const batchOf = (batchId: string): Batch => {
    const batch = getBatch(db, batchId);
    if (!batch || batch.simulated !== practice()) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    return batch;
  };
  const progressOf = (batchId: string): BatchProgress => batchProgress(db, batchOf(batchId), ctx.getSettings().calling.calls_per_second);

  return {
    'batches/plan': (selection) => batches.planner().plan(selection),

    'batches/start': ({ alongsideRunning, ...selection }) => {
      const batch = batches.launch(selection, { alongsideRunning });
      pushes.appointmentsChanged('batch');
      return progressOf(batch.id);
    },

    'batches/pause': ({ batchId }) => {
      progressOf(batchId); // refuses an unknown batch before anything changes
      batches.pause(batchId); // the runner pushes the new progress itself
      return progressOf(batchId);
    },

    'batches/resume': ({ batchId }) => {
      batchOf(batchId);
      batches.resume(batchId);
      return progressOf(batchId);
    },

    'batches/cancel': ({ batchId }) => {
      progressOf(batchId);
      batches.cancel(batchId);
      return progressOf(batchId);
    },

    'batches/list': () => listBatches(db, { practice: practice() }).map((b) => toBatchView(db, b)),

    'batches/active': () => activeBatches(db, { practice: practice() }).map((b) => batchProgress(db, b, ctx.getSettings().calling.calls_per_second)),

    'batches/progress': ({ batchId }) => progressOf(batchId),

    // Hosts replace this to choose where the file goes (save dialog, download link); here it goes to <dataDir>/exports.
    'batches/export': async ({ batchId, format }) => {
      batchOf(batchId);
      const request = { kind: 'batch-log', batchId, format } as const;
      const { savedTo } = await batches.exportFile(request);
      return { savedTo, downloadUrl: null, fileName: exportFileName(request) };
    },

    'setup/test-call': ({ to }) => {
      const phone = normalisePhoneNumber(to, ctx.getSettings().phone.default_region);
      if (!phone.ok) throw new ApiFailure('validation', phone.reason.replace(/^phone_number/, 'The number'));
      const at = nowIso(ctx.clock);
      // A test-call row in this mode's data: never listed with the patients, their batches or their results.
      const summary = upsertAppointments(
        db,
        [{ dedupeKey: `test-call:${phone.e164}:${at}`, externalId: null, name: 'Test call', phoneNumber: phone.e164, email: null, appointmentAt: at, location: null }],
        null,
        at,
        { practice: practice(), testCall: true },
      );
      const batch = batches.launch(summary.ids, { testCall: true });
      const attempt = listBatchAttempts(db, batch.id)[0]!;
      pushes.appointmentsChanged('batch');
      return { batchId: batch.id, attemptId: attempt.id };
    },
  };
}
