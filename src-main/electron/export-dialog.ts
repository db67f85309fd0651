import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers } from '../core/api/contract';

// `batches/export` in the desktop app: staff choose where the CSV goes with the system's save dialog.

export interface SaveDialogResult {
  canceled: boolean;
  filePath?: string | undefined;
}

export interface ExportDialogDeps {
  showSaveDialog: (options: { title: string; defaultPath: string; buttonLabel: string; filters: { name: string; extensions: string[] }[] }) => Promise<SaveDialogResult>;
  /** Throws the engine's not-found ApiFailure for an unknown batch (the `batches/progress` handler does). */
  assertBatchExists: (batchId: string) => Promise<unknown> | unknown;
  exportBatch: (batchId: string, filePath: string) => Promise<{ savedTo: string | null }>;
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

/** `reminder-log-<batch>.csv`, with anything a file system might reject in the id replaced. */
export function defaultExportName(batchId: string): string {
  return `reminder-log-${batchId.replace(/[^\w.-]+/g, '-')}.csv`;
}

export function createExportHandler(deps: ExportDialogDeps): ApiHandlers['batches/export'] {
  return async ({ batchId }) => {
    // Checked before the dialog opens, so nobody picks a folder for a batch that is not there.
    await deps.assertBatchExists(batchId);
    const choice = await deps.showSaveDialog({
      title: 'Save the reminder call log',
      defaultPath: path.join(deps.defaultFolder(), defaultExportName(batchId)),
      buttonLabel: 'Save CSV',
      filters: [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }],
    });
    if (choice.canceled || !choice.filePath) return { savedTo: null, downloadUrl: null };
    const file = path.extname(choice.filePath) ? choice.filePath : `${choice.filePath}.csv`;
    const { savedTo } = await deps.exportBatch(batchId, file);
    return { savedTo, downloadUrl: null };
  };
}
