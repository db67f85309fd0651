import type { Envelope, ExportResult } from '../../src-main/core/api/contract';

/**
 * Finishes an export the way the host answered it: Electron saved the file through its own dialog (`savedTo`),
 * the browser preview hands back a token-bearing loopback link that the browser downloads as an attachment.
 * Returns the note to show, or the error to show.
 */
export function finishExport(result: Envelope<ExportResult>): { note: string | null } | { error: Extract<Envelope<ExportResult>, { ok: false }>['error'] } {
  if (!result.ok) return { error: result.error };
  const { downloadUrl, savedTo, fileName } = result.value;
  if (downloadUrl) {
    const link = document.createElement('a');
    link.href = downloadUrl;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    return { note: `${fileName} is downloading.` };
  }
  if (savedTo) return { note: `Saved to ${savedTo}` };
  return { note: null }; // staff closed the save dialog
}
