// Worker-thread entry of an import (see import-in-worker.ts): reads and validates the file off the main
// thread, then hands the validated rows back one chunk at a time, each only after the main thread asks for
// it, so storing them never holds the main thread (and the callback listener on it) for more than a chunk.

import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { readAppointmentsBuffer, readAppointmentsFile } from './read-appointments';
import { ImportFileError } from './sheet-rows';
import { MAX_LISTED_ERRORS, ROWS_PER_MESSAGE, type ImportJob, type WorkerMessage } from './import-worker-protocol';

async function run(job: ImportJob): Promise<void> {
  const port = parentPort!;
  const post = (message: WorkerMessage): void => port.postMessage(message);
  try {
    const { source, options } = job;
    const result =
      source.kind === 'file'
        ? await readAppointmentsFile(source.file, options)
        : source.kind === 'base64'
          ? await readAppointmentsBuffer(Buffer.from(source.text, 'base64'), source.fileName, options)
          : await readAppointmentsBuffer(Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength), source.fileName, options);
    for (let start = 0; start < result.rows.length; start += ROWS_PER_MESSAGE) {
      post({ type: 'rows', rows: result.rows.slice(start, start + ROWS_PER_MESSAGE) });
      await once(port, 'message'); // "stored, send the next"
    }
    post({
      type: 'done',
      format: result.format,
      usableRows: result.rows.length,
      totalRows: result.totalRows,
      errors: result.errors.slice(0, MAX_LISTED_ERRORS),
      errorCount: result.errors.length,
    });
  } catch (error) {
    const fileProblem = error instanceof ImportFileError;
    post({ type: 'failed', fileProblem, message: fileProblem ? error.message : `${(error as Error).name}: ${(error as Error).message}` });
  }
}

void run(workerData as ImportJob);
