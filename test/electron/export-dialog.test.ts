import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../src-main/core/api/invoke-operation';
import { createExportHandler, defaultExportName, resolveExportFolder, type ExportDialogDeps } from '../../src-main/electron/export-dialog';

vi.mock('electron', () => {
  throw new Error('the export handler takes the dialog as a parameter');
});

function deps(over: Partial<ExportDialogDeps> = {}) {
  return {
    showSaveDialog: vi.fn<ExportDialogDeps['showSaveDialog']>(async () => ({ canceled: false, filePath: '/home/desk/Documents/monday.csv' })),
    assertBatchExists: vi.fn(async () => ({})),
    exportBatch: vi.fn(async (_batchId: string, filePath: string) => ({ savedTo: filePath })),
    defaultFolder: () => '/home/desk/Documents',
    ...over,
  };
}

describe('batches/export in the desktop app', () => {
  it('offers reminder-log-<batch>.csv in the default folder and writes where staff chose', async () => {
    const d = deps();
    await expect(createExportHandler(d)({ batchId: 'b-2025-03-01' })).resolves.toEqual({ savedTo: '/home/desk/Documents/monday.csv', downloadUrl: null });
    expect(d.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: path.join('/home/desk/Documents', 'reminder-log-b-2025-03-01.csv') }));
    expect(d.exportBatch).toHaveBeenCalledWith('b-2025-03-01', '/home/desk/Documents/monday.csv');
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const d = deps({ showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })) });
    await expect(createExportHandler(d)({ batchId: 'b1' })).resolves.toEqual({ savedTo: null, downloadUrl: null });
    expect(d.exportBatch).not.toHaveBeenCalled();
  });

  it('adds .csv when the chosen name has no extension', async () => {
    const d = deps({ showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/tmp/for-manager' })) });
    await createExportHandler(d)({ batchId: 'b1' });
    expect(d.exportBatch).toHaveBeenCalledWith('b1', '/tmp/for-manager.csv');
  });

  it('does not open the dialog for a batch that does not exist', async () => {
    const d = deps({ assertBatchExists: vi.fn(async () => Promise.reject(new ApiFailure('not-found', 'There is no batch nope'))) });
    await expect(createExportHandler(d)({ batchId: 'nope' })).rejects.toMatchObject({ kind: 'not-found' });
    expect(d.showSaveDialog).not.toHaveBeenCalled();
  });

  it('keeps file names safe on every OS', () => {
    expect(defaultExportName('b1')).toBe('reminder-log-b1.csv');
    expect(defaultExportName('../..\\x:y')).toBe('reminder-log-..-..-x-y.csv');
  });

  it('asks for the default folder only when the dialog opens', async () => {
    const defaultFolder = vi.fn(() => '/home/desk/Documents');
    const handler = createExportHandler(deps({ defaultFolder }));
    expect(defaultFolder).not.toHaveBeenCalled();
    await handler({ batchId: 'b1' });
    expect(defaultFolder).toHaveBeenCalledOnce();
  });
});

describe('resolveExportFolder', () => {
  const documentsGone = () => {
    // What Electron throws on PCs with redirected or OneDrive-managed Documents (electron/electron#21142).
    throw new Error("Failed to get 'documents' path");
  };

  it('opens in Documents when there is one', () => {
    expect(resolveExportFolder((name) => (name === 'documents' ? 'C:\\Users\\desk\\Documents' : 'C:\\Users\\desk'))).toBe('C:\\Users\\desk\\Documents');
  });

  it('falls back to the home folder when Documents cannot be resolved', () => {
    expect(resolveExportFolder((name) => (name === 'documents' ? documentsGone() : '/home/desk'))).toBe('/home/desk');
  });

  it("falls back to Node's home folder when Electron answers for neither", () => {
    expect(resolveExportFolder(documentsGone, () => '/home/fallback')).toBe('/home/fallback');
  });
});
