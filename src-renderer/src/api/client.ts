import type { ApiClient, ApiEvents, Envelope, EventName, OperationName, OperationResult } from '../../../src-main/core/api/contract';

// The renderer talks to the core through ONE client shaped by the API contract. In Electron the preload exposes
// `window.reminderDesk`; in the browser preview the same calls travel over loopback HTTP with a per-launch token,
// and pushed events arrive over Server-Sent Events. Views never know which one they have.

/** What the Electron preload exposes (contextBridge), typed loosely there and checked here against the contract. */
export interface ReminderDeskBridge {
  invoke(operation: string, args: unknown): Promise<Envelope<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    reminderDesk?: ReminderDeskBridge;
  }
}

const unavailable = (message: string): Envelope<never> => ({ ok: false, error: { kind: 'unavailable', message } });

export function createBridgeClient(bridge: ReminderDeskBridge): ApiClient {
  return {
    async invoke(operation, args) {
      try {
        return (await bridge.invoke(operation, args)) as Envelope<OperationResult<typeof operation>>;
      } catch {
        return unavailable('Reminder Desk could not reach its background service. Restart the app if this keeps happening.');
      }
    },
    subscribe(event, listener) {
      return bridge.subscribe(event, listener as (payload: unknown) => void);
    },
  };
}

/** The browser preview's transport. One EventSource is shared by every subscriber. */
export function createHttpClient(origin: string, token: string): ApiClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let source: EventSource | null = null;

  function ensureStream() {
    if (source) return;
    source = new EventSource(`${origin}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['call-updated', 'batch-progress', 'connection-changed', 'appointments-changed', 'callback-rejected'] satisfies EventName[]) {
      source.addEventListener(name, (message) => {
        let payload: unknown;
        try {
          payload = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
      });
    }
  }

  return {
    async invoke<K extends OperationName>(operation: K, args: unknown): Promise<Envelope<OperationResult<K>>> {
      try {
        const response = await fetch(`${origin}/api/invoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ operation, args }),
        });
        if (response.status === 401) return unavailable('This browser tab lost its access key. Open the address printed by "npm run preview:web" again.');
        return (await response.json()) as Envelope<OperationResult<K>>;
      } catch {
        return unavailable('Reminder Desk is not answering. Is the preview still running?');
      }
    },
    subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      ensureStream();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/**
 * Picks the transport. The preview's token comes from the page address once, is kept in memory only, and is
 * removed from the address bar (and so from history and bookmarks) straight away.
 */
export function createApiClient(): ApiClient | { error: string } {
  if (window.reminderDesk) return createBridgeClient(window.reminderDesk);
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return { error: 'This page needs the address printed by "npm run preview:web" (it includes a one-time key).' };
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  return createHttpClient(window.location.origin, token);
}
