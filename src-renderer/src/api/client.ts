import type { ApiClient, ApiEvents, Envelope, EventName, OperationName, OperationResult } from '../../../src-main/core/api/contract';
import { EVENT_NAMES } from '../../../src-main/core/vocabulary/events';

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

/**
 * The contract's client plus one renderer-side notification. Pushed events are only seen while the event channel
 * is connected, so anything the core sent before it (re)connected is gone: `onResync` tells each screen to fetch
 * again what it shows. The core never sends it; each transport raises it when its channel is (re)established.
 */
export interface DeskClient extends ApiClient {
  onResync(listener: () => void): () => void;
}

export function createBridgeClient(bridge: ReminderDeskBridge): DeskClient {
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
    onResync(listener) {
      // The IPC channel stays up for the window's lifetime, so the only gap is before this screen subscribed:
      // one catch-up right after it has (its subscriptions are in place by the time this task runs).
      let active = true;
      setTimeout(() => active && listener(), 0);
      return () => {
        active = false;
      };
    },
  };
}

/** Wait before opening a new stream when the browser gave up on the old one (EventSource retries only network errors). */
const STREAM_REOPEN_MS = 3_000;

/** The browser preview's transport. One EventSource is shared by every subscriber. */
export function createHttpClient(origin: string, token: string): DeskClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const resyncListeners = new Set<() => void>();
  let source: EventSource | null = null;

  function ensureStream() {
    if (source) return;
    const stream = new EventSource(`${origin}/api/events?token=${encodeURIComponent(token)}`);
    source = stream;
    // 'open' fires on the first connection AND after every automatic reconnect: whatever was pushed while the
    // stream was down is fetched again by each screen.
    stream.addEventListener('open', () => {
      for (const listener of [...resyncListeners]) listener();
    });
    stream.addEventListener('error', () => {
      if (stream.readyState !== EventSource.CLOSED) return; // the browser is already reconnecting
      stream.close();
      source = null;
      setTimeout(ensureStream, STREAM_REOPEN_MS);
    });
    for (const name of EVENT_NAMES) {
      stream.addEventListener(name, (message) => {
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
    onResync(listener) {
      ensureStream();
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
  };
}

/**
 * Picks the transport. The preview's token comes from the page address once, is kept in memory only, and is
 * removed from the address bar (and so from history and bookmarks) straight away.
 */
export function createApiClient(): DeskClient | { error: string } {
  if (window.reminderDesk) return createBridgeClient(window.reminderDesk);
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return { error: 'This page needs the address printed by "npm run preview:web" (it includes a one-time key).' };
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  return createHttpClient(window.location.origin, token);
}
