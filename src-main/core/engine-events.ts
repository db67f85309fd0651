import { EventEmitter } from 'node:events';
import type { ApiEvents, EventName } from './api/contract';

/**
 * The engine's pushes, named and shaped exactly as the API contract's events, so hosts forward them
 * without translating: `engine.events.on('call-updated', (payload) => …)`.
 */
export class EngineEvents extends EventEmitter {
  override emit<E extends EventName>(event: E, payload: ApiEvents[E]): boolean {
    return super.emit(event, payload);
  }

  override on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  override once<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }
}

/**
 * Runs `fn` at most once per `intervalMs`, always with a trailing run, so a burst of callbacks becomes one
 * connection-status push instead of thousands while the last state still reaches the screen.
 */
export function trailingThrottle(fn: () => void, intervalMs: number): { (): void; cancel(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const run = (): void => {
    timer = null;
    last = Date.now();
    fn();
  };
  const throttled = (): void => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) run();
    else {
      timer = setTimeout(run, wait);
      timer.unref();
    }
  };
  throttled.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
