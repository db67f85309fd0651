// The messages between an import worker and the thread that started it (plain data: structured clone).

import type { ImportedRow, ImportOptions, RowError } from './read-appointments';

export type ImportSource = { kind: 'file'; file: string } | { kind: 'buffer'; data: Uint8Array; fileName: string };

export interface ImportJob {
  source: ImportSource;
  options: ImportOptions;
}

/** Rows per message: small enough that storing one chunk keeps the main thread busy for only a few ms. */
export const ROWS_PER_MESSAGE = 100;

export type WorkerMessage =
  | { type: 'rows'; rows: ImportedRow[] }
  | { type: 'done'; format: 'csv' | 'xlsx'; usableRows: number; totalRows: number; errors: RowError[] }
  | { type: 'failed'; fileProblem: boolean; message: string };
