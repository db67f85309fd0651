// What one appointment file may cost the app: bytes read, rows kept, bytes an .xlsx unpacks to. Each is a
// settings key (`import.*`) so a clinic with an unusually large list can raise it knowingly.

import type { Settings } from '../settings/schema';

export interface ImportLimits {
  maxFileBytes: number;
  maxRows: number;
  maxXlsxSharedStringsBytes: number;
  maxXlsxUncompressedBytes: number;
}

const MB = 1024 * 1024;

/** No limits: for callers that already bounded their input (tests, small fixtures). */
export const UNLIMITED: ImportLimits = {
  maxFileBytes: Number.MAX_SAFE_INTEGER,
  maxRows: Number.MAX_SAFE_INTEGER,
  maxXlsxSharedStringsBytes: Number.MAX_SAFE_INTEGER,
  maxXlsxUncompressedBytes: Number.MAX_SAFE_INTEGER,
};

export function importLimitsFrom(settings: Settings): ImportLimits {
  return {
    maxFileBytes: Math.round(settings.import.max_file_mb * MB),
    maxRows: settings.import.max_rows,
    maxXlsxSharedStringsBytes: Math.round(settings.import.max_xlsx_shared_strings_mb * MB),
    maxXlsxUncompressedBytes: Math.round(settings.import.max_xlsx_unpacked_mb * MB),
  };
}

/** "52.4 MB": sizes in messages to staff. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** The message for a file over import.max_file_mb, the same whichever way it arrived. */
export function fileTooLargeMessage(fileName: string, bytes: number, limits: ImportLimits): string {
  return (
    `${fileName} is ${formatMegabytes(bytes)}, more than the ${formatMegabytes(limits.maxFileBytes)} one import takes (import.max_file_mb). ` +
    'Import one day or week at a time, or raise import.max_file_mb in the settings.'
  );
}
