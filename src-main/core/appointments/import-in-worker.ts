// Imports run in a worker thread: parsing a large file (or a hostile one) must not stop the callback listener,
// which shares the main thread and has to answer Twilio within seconds, nor leave the app holding the memory
// the parse needed. The worker has a fixed heap (a file that needs more fails alone with a plain message) and
// exits after each import, which hands its memory back. The main thread only stores validated rows, a chunk
// per turn of its event loop.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UpsertSummary } from '../store/appointments';
import type { ImportedRow, RowError } from './read-appointments';
import type { ImportJob, WorkerMessage } from './import-worker-protocol';
import { ImportFileError } from './sheet-rows';

export type { ImportJob, ImportSource } from './import-worker-protocol';

/** The worker's V8 heap: room for import.max_rows validated rows and an .xlsx within its caps, far from the app's. */
export const IMPORT_WORKER_HEAP_MB = 192;

export interface ImportOutcome {
  format: 'csv' | 'xlsx';
  /** Rows that passed validation (and were stored). */
  usableRows: number;
  totalRows: number;
  /** The first problems (MAX_LISTED_ERRORS at most), in file order. */
  errors: RowError[];
  /** Every problem, listed or not. */
  errorCount: number;
  summary: UpsertSummary;
}

/**
 * From sources (tsx, vitest) this module is .ts and the worker needs tsx registered first. The builds (the
 * Electron main bundle in out/main, the CLI in out/cli) emit import-worker.js next to their entry, and this
 * code sits either in that entry or in a chunk one folder down (chunks/).
 */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./import-worker-dev.mjs', here);
  // A name held in a variable, so the bundler leaves these `new URL`s alone instead of treating them as assets.
  const entry = 'import-worker.js';
  const candidates = [new URL(`./${entry}`, here), new URL(`../${entry}`, here)];
  return candidates.find((url) => existsSync(fileURLToPath(url))) ?? candidates[0]!;
}

/** An upload's bytes, in an ArrayBuffer of their own so it can be moved (not copied) to the worker. */
function ownBytes(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : new Uint8Array(data);
}

/**
 * Reads, validates and stores an appointment file. `store` runs on this thread for each chunk of validated
 * rows (at most a few hundred) and returns what it changed. Rejects with ImportFileError for a file staff can fix.
 */
export function importInWorker(job: ImportJob, store: (rows: ImportedRow[]) => UpsertSummary): Promise<ImportOutcome> {
  const source = job.source.kind === 'buffer' ? { ...job.source, data: ownBytes(job.source.data) } : job.source;
  const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0, ids: [] };
  return new Promise<ImportOutcome>((resolve, reject) => {
    const worker = new Worker(workerUrl(), {
      workerData: { ...job, source } satisfies ImportJob,
      transferList: source.kind === 'buffer' ? [source.data.buffer as ArrayBuffer] : [],
      resourceLimits: { maxOldGenerationSizeMb: IMPORT_WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 },
    });
    let settled = false;
    const finish = (outcome: ImportOutcome | Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    worker.on('message', (message: WorkerMessage) => {
      try {
        if (message.type === 'rows') {
          const stored = store(message.rows);
          summary.inserted += stored.inserted;
          summary.updated += stored.updated;
          summary.unchanged += stored.unchanged;
          for (const id of stored.ids) summary.ids.push(id);
          // Ask for the next chunk only after I/O had its turn: callbacks waiting on the socket go first.
          setImmediate(() => {
            if (!settled) worker.postMessage('next');
          });
        } else if (message.type === 'done') {
          const { format, usableRows, totalRows, errors, errorCount } = message;
          finish({ format, usableRows, totalRows, errors, errorCount, summary });
        } else {
          finish(message.fileProblem ? new ImportFileError(message.message) : new Error(`the import failed: ${message.message}`));
        }
      } catch (error) {
        finish(error as Error);
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      finish(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ImportFileError(
              `${source.kind === 'file' ? source.file.split(/[\\/]/).pop() : source.fileName} needs more memory to read than an import may use ` +
                `(${IMPORT_WORKER_HEAP_MB} MB). Import fewer rows at a time, or save the sheet as CSV.`,
            )
          : error,
      );
    });
    worker.on('exit', (code) => finish(new Error(`the import stopped before it finished (worker exit code ${code})`)));
  });
}
