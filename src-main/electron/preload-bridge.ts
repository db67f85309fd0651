import type { ApiClient, ApiEvents, Envelope, EventName } from '../core/api/contract';
import { isEventName } from '../core/vocabulary/events';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels';

// What the sandboxed preload hands to the page: the contract's ApiClient and nothing more. Only type imports
// from the contract and the dependency-free vocabulary, so the preload bundle carries no zod; arguments are
// validated in main.


/** The parts of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const NOT_RESPONDING: Envelope<never> = {
  ok: false,
  error: { kind: 'unavailable', message: 'Reminder Desk is not responding. Close the app and open it again; your data is kept.' },
};

export function isKnownEvent(value: unknown): value is EventName {
  return isEventName(value);
}

export function createApiBridge(ipc: IpcRendererLike): ApiClient {
  // One IPC listener for the whole page, fanned out here: every table row subscribing would otherwise
  // add its own ipcRenderer listener (and trip Node's max-listeners warning).
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const onMessage = (_ipcEvent: unknown, message: unknown) => {
    // The IpcRendererEvent (first argument) is never passed on: it holds `sender`, i.e. ipcRenderer itself.
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (!isKnownEvent(event)) return;
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  };
  let attached = false;

  return {
    // Never rejects, as the contract promises: a failed IPC round trip becomes an error value for the UI.
    async invoke(operation, args) {
      try {
        return (await ipc.invoke(IPC_INVOKE_CHANNEL, { operation, args })) as Awaited<ReturnType<ApiClient['invoke']>>;
      } catch {
        return NOT_RESPONDING;
      }
    },
    subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      if (!isKnownEvent(event)) throw new TypeError(`Unknown event ${String(event)}`);
      if (!attached) {
        ipc.on(IPC_EVENT_CHANNEL, onMessage);
        attached = true;
      }
      const wrapped = (payload: unknown) => listener(payload as ApiEvents[E]);
      const set = listeners.get(event) ?? new Set();
      set.add(wrapped);
      listeners.set(event, set);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}
