import type { ApiHandlers } from '../api/contract';
import type { ExportRequest } from './exports';

/** Throws the core's not-found / validation ApiFailure when a request names no batch of the current mode. Hosts call it before asking where to save. */
export async function assertExportable(core: Pick<ApiHandlers, 'batches/progress'>, request: ExportRequest): Promise<void> {
  if (request.batchId) await core['batches/progress']({ batchId: request.batchId });
}
