import { createLogger } from './logging/logger';
import type { Sleep } from './batches/timing';

// What every room's start/stop shares: a stop step that cannot hang the app, and a sleep that ends (rejecting)
// the moment the engine stops, so no loop outlives the database.

/** Each stop step gets this long; a hung socket must not keep the app from quitting. */
const STOP_STEP_TIMEOUT_MS = 5_000;

const log = createLogger('engine');

export class EngineStoppedError extends Error {
  override readonly name = 'EngineStoppedError';
  constructor() {
    super('Reminder Desk is shutting down');
  }
}

/** Runs one stop step, logging (never throwing) a failure or a step that takes longer than its bound. */
export async function bounded(step: string, work: () => Promise<unknown> | unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(work),
      new Promise((resolve) => {
        timer = setTimeout(() => {
          log.warn(`stopping ${step} took longer than ${STOP_STEP_TIMEOUT_MS} ms; going on`);
          resolve(undefined);
        }, STOP_STEP_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
  } catch (error) {
    log.warn(`stopping ${step} failed`, { error });
  } finally {
    clearTimeout(timer);
  }
}

/** A sleep cut short (rejecting with EngineStoppedError) when `signal` aborts. */
export function abortableSleep(signal: AbortSignal): Sleep {
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new EngineStoppedError());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new EngineStoppedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    });
}
