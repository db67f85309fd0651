// The messages between an import worker and the thread that started it (plain data: structured clone).

import type { ImportedRow, ImportOptions, RowError } from './read-appointments';

export type ImportSource =
  | { kind: 'file'; file: string }
  | { kind: 'buffer'; data: Uint8Array; fileName: string }
  /** An upload as the UI sends it: decoded in the worker (decoding 50 MB of base64 takes the main thread ~120 ms). */
  | { kind: 'base64'; text: string; fileName: string };

export interface ImportJob {
  source: ImportSource;
  options: ImportOptions;
}

/**
 * Problems listed back at most: nobody reads more, and a file of 100,000 bad rows would otherwise send 300,000
 * objects to the main thread in one message (a long pause for the listener while it is unpacked).
 */
export const MAX_LISTED_ERRORS = 1_000;

/** Rows per message: small enough that storing one chunk keeps the main thread busy for only a few ms. */
export const ROWS_PER_MESSAGE = 100;

export type WorkerMessage =
  | { type: 'rows'; rows: ImportedRow[] }
  | { type: 'done'; format: 'csv' | 'xlsx'; usableRows: number; totalRows: number; errors: RowError[]; errorCount: number }
  | { type: 'failed'; fileProblem: boolean; message: string };
