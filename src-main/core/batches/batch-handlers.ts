import type { BatchProgress, HandlerSlice } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { normalisePhoneNumber } from '../appointments/phone-number';
import type { AppointmentService } from '../appointments/appointment-service';
import type { EngineContext } from '../engine-context';
import { upsertAppointments } from '../store/appointments';
import { getBatch, listBatches } from '../store/batches';
import { listBatchAttempts } from '../store/call-attempts';
import { nowIso } from '../store/database';
import type { UiPushes } from '../ui-pushes';
import { batchProgress } from './batch-progress';
import type { BatchService } from './batch-service';

type BatchOperations =
  | 'batches/start'
  | 'batches/pause'
  | 'batches/resume'
  | 'batches/cancel'
  | 'batches/list'
  | 'batches/progress'
  | 'batches/export'
  | 'setup/test-call';

export function batchHandlers(
  ctx: EngineContext,
  batches: BatchService,
  appointments: Pick<AppointmentService, 'idsOnDay'>,
  pushes: Pick<UiPushes, 'appointmentsChanged'>,
): HandlerSlice<BatchOperations> {
  const db = ctx.db;
  const progressOf = (batchId: string): BatchProgress => {
    const batch = getBatch(db, batchId);
    if (!batch) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    return batchProgress(db, batch, ctx.getSettings().calling.calls_per_second);
  };

  return {
    'batches/start': ({ appointmentIds, day }) => {
      let ids = appointmentIds ?? [];
      if (!appointmentIds && day) {
        ids = appointments.idsOnDay(day);
        if (ids.length === 0) throw new ApiFailure('validation', `There are no appointments on ${day}.`);
      }
      const batch = batches.launch(ids);
      pushes.appointmentsChanged('batch');
      return progressOf(batch.id);
    },

    'batches/pause': ({ batchId }) => {
      progressOf(batchId); // refuses an unknown batch before anything changes
      batches.pause(batchId); // the runner pushes the new progress itself
      return progressOf(batchId);
    },

    'batches/resume': ({ batchId }) => {
      batches.resume(batchId);
      return progressOf(batchId);
    },

    'batches/cancel': ({ batchId }) => {
      progressOf(batchId);
      batches.cancel(batchId);
      return progressOf(batchId);
    },

    'batches/list': () => listBatches(db),

    'batches/progress': ({ batchId }) => progressOf(batchId),

    'batches/export': async ({ batchId }) => {
      const { savedTo } = await batches.exportLog(batchId);
      return { savedTo, downloadUrl: null };
    },

    'setup/test-call': ({ to }) => {
      const phone = normalisePhoneNumber(to, ctx.getSettings().phone.default_region);
      if (!phone.ok) throw new ApiFailure('validation', phone.reason.replace(/^phone_number/, 'The number'));
      const at = nowIso(ctx.clock);
      const summary = upsertAppointments(
        db,
        [{ dedupeKey: `test-call:${phone.e164}:${at}`, externalId: null, name: 'Test call', phoneNumber: phone.e164, email: null, appointmentAt: at, location: null }],
        null,
        at,
      );
      const batch = batches.launch(summary.ids, { testCall: true });
      const attempt = listBatchAttempts(db, batch.id)[0]!;
      pushes.appointmentsChanged('batch');
      return { batchId: batch.id, attemptId: attempt.id };
    },
  };
}
