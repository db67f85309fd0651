import type { BatchView } from '../api/contract';
import type { Batch } from '../domain';
import { batchLabel } from '../results/batch-label';
import { batchAppointmentDays } from '../store/batches';
import type { Db } from '../store/database';

/** A batch as staff see it: named by the appointment day(s) it covers, with its mode. */
export function toBatchView(db: Db, batch: Batch): BatchView {
  const days = batchAppointmentDays(db, batch.id);
  return { ...batch, label: batchLabel(days, { testCall: batch.testCall }), days, mode: batch.simulated ? 'practice' : 'real' };
}
