// Time, injected. Services take these instead of calling Date.now/setTimeout directly, so a test can run
// minutes of pacing, back-off and polling in milliseconds with a fake clock.

export type Clock = () => number;
export type Sleep = (ms: number) => Promise<void>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = () => Date.now();

export const systemSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref?.());

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Thrown into a batch run when the engine is shutting down: nothing new is dialled, the batch resumes next start. */
export class DispatchStoppedError extends Error {
  override readonly name = 'DispatchStoppedError';
  constructor() {
    super('The engine is stopping; the batch continues the next time it starts');
  }
}

/** An abortable sleep rejects with the host's own stop error (e.g. EngineStoppedError): recognise it by name. */
export function isStopError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'DispatchStoppedError' || error.name === 'EngineStoppedError' || error.name === 'AbortError');
}
