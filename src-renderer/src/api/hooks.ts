import { createContext, useContext, useEffect, useRef } from 'react';
import type { ApiEvents, AppState, EventName } from '../../../src-main/core/api/contract';
import type { DeskClient } from './client';

export const ApiContext = createContext<DeskClient | null>(null);
export const AppStateContext = createContext<AppState | null>(null);

export function useApi(): DeskClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside <ApiContext.Provider>');
  return client;
}

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState outside <AppStateContext.Provider>');
  return state;
}

/**
 * Subscribes to a pushed event for the component's lifetime. The latest listener is called, so it may close
 * over fresh state without resubscribing (and without missing events between renders).
 */
export function useApiEvent<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.subscribe(event, (payload) => latest.current(payload)), [api, event]);
}

/**
 * Runs `refetch` whenever pushed events may have been missed (the event channel connected or reconnected), so a
 * screen catches up with whatever changed meanwhile. Latest-listener semantics, as in useApiEvent.
 */
export function useResync(refetch: () => void): void {
  const api = useApi();
  const latest = useRef(refetch);
  useEffect(() => {
    latest.current = refetch;
  });
  useEffect(() => api.onResync(() => latest.current()), [api]);
}
