import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers, ExportFormat } from '../core/api/contract';
import { exportFileName, type ExportRequest } from '../core/batches/exports';

// The exports in the desktop app: staff choose where the file goes with the system's save dialog. The core writes
// it (export/exports.ts) and names it by default; this host only chooses where.

export interface SaveDialogResult {
  canceled: boolean;
  filePath?: string | undefined;
}

export interface ExportDialogDeps {
  showSaveDialog: (options: { title: string; defaultPath: string; buttonLabel: string; filters: { name: string; extensions: string[] }[] }) => Promise<SaveDialogResult>;
  /** Throws the engine's not-found ApiFailure for an unknown batch (the core's own export handlers check it). */
  assertExists: (request: ExportRequest) => Promise<unknown> | unknown;
  exportFile: (request: ExportRequest, filePath: string) => Promise<{ savedTo: string | null }>;
  /**
   * Where the dialog opens, asked each time it opens (never at start-up): Documents can be unavailable on a
   * PC with redirected or OneDrive-managed folders, and that must not stop the app from starting.
   */
  defaultFolder: () => string;
}

/** `app.getPath` as far as the export dialog uses it; Electron throws "Failed to get 'documents' path" at times. */
export type GetPath = (name: 'documents' | 'home') => string;

/** Documents, else the home folder, else what Node thinks home is: one of them always answers. */
export function resolveExportFolder(getPath: GetPath, homedir: () => string = os.homedir): string {
  for (const name of ['documents', 'home'] as const) {
    try {
      const folder = getPath(name);
      if (folder) return folder;
    } catch {
      // Try the next one: this folder is missing, redirected or blocked on this PC.
    }
  }
  return homedir();
}

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (spreadsheet)', extensions: ['csv'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
};

/** The default name of a batch's CSV log (kept for callers of the old single export). */
export function defaultExportName(batchId: string): string {
  return exportFileName({ kind: 'batch-log', batchId, format: 'csv' });
}

async function saveWithDialog(deps: ExportDialogDeps, request: ExportRequest, title: string) {
  // Checked before the dialog opens, so nobody picks a folder for a batch that is not there.
  await deps.assertExists(request);
  const fileName = exportFileName(request);
  const choice = await deps.showSaveDialog({
    title,
    defaultPath: path.join(deps.defaultFolder(), fileName),
    buttonLabel: request.format === 'xlsx' ? 'Save Excel file' : 'Save CSV',
    filters: [FILTERS[request.format]],
  });
  if (choice.canceled || !choice.filePath) return { savedTo: null, downloadUrl: null, fileName };
  const file = path.extname(choice.filePath) ? choice.filePath : `${choice.filePath}.${request.format}`;
  const { savedTo } = await deps.exportFile(request, file);
  return { savedTo, downloadUrl: null, fileName };
}

export function createExportHandlers(deps: ExportDialogDeps): Pick<ApiHandlers, 'batches/export' | 'results/export-follow-up'> {
  return {
    'batches/export': ({ batchId, format }) => saveWithDialog(deps, { kind: 'batch-log', batchId, format }, 'Save the reminder call log'),
    'results/export-follow-up': ({ batchId, day, format }) => saveWithDialog(deps, { kind: 'follow-up', batchId, day, format }, 'Save the needs-follow-up list'),
  };
}
