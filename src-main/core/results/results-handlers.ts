import type { HandlerSlice } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import type { BatchService } from '../batches/batch-service';
import { exportFileName } from '../batches/exports';
import type { EngineContext } from '../engine-context';
import { getBatch } from '../store/batches';
import { batchResults, dayResults } from './results';

// Results staff can act on: outcome counts and the needs-follow-up list, per batch or per clinic day, of the
// current mode's data only.

export function resultsHandlers(ctx: EngineContext, batches: Pick<BatchService, 'practice' | 'exportFile'>): HandlerSlice<'results/get' | 'results/export-follow-up'> {
  const batchOf = (batchId: string) => {
    const batch = getBatch(ctx.db, batchId);
    if (!batch || batch.simulated !== batches.practice()) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    return batch;
  };
  return {
    'results/get': ({ batchId, day }) =>
      batchId ? batchResults(ctx.db, batchOf(batchId)) : dayResults(ctx.db, day!, { timezone: ctx.getSettings().scheduling.timezone, practice: batches.practice() }),

    // Hosts replace this to choose where the file goes; here it goes to <dataDir>/exports.
    'results/export-follow-up': async ({ batchId, day, format }) => {
      if (batchId) batchOf(batchId);
      const request = { kind: 'follow-up', batchId, day, format } as const;
      const { savedTo } = await batches.exportFile(request);
      return { savedTo, downloadUrl: null, fileName: exportFileName(request) };
    },
  };
}
