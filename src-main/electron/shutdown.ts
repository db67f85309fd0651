// Quitting waits for the engine to stop (in-flight callbacks recorded, tunnel closed, database closed) before
// the process exits. Electron does not await 'before-quit' listeners, so the first quit is held, the engine
// stopped, and quit called again.
//
// Windows shutdown or log-off never emits 'before-quit' (Electron documents this): the window gets
// 'session-end' instead, and on macOS/Linux powerMonitor emits 'shutdown'. Both enter the same stop path here,
// so a clinic PC switched off at the end of the day still closes the tunnel and records callbacks in flight.

export interface QuitSource {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Electron's powerMonitor: 'shutdown' can be delayed with preventDefault() while the app quits (macOS, Linux).
 * Electron's typings declare the listener without the event its docs describe, hence the optional parameter.
 */
export interface ShutdownSignalSource {
  on(event: 'shutdown', listener: (event?: { preventDefault?(): void }) => void): unknown;
}

/** A BrowserWindow: 'session-end' is Windows' "the session is ending now" (shutdown, restart, log-off). */
export interface SessionEndSource {
  on(event: 'session-end', listener: () => void): unknown;
}

export interface CleanShutdown {
  /** Stops the engine once (later calls join the stop under way), then quits the app. */
  stopAndQuit(): void;
  /** Also stop cleanly when this window's Windows session ends. */
  watchSessionEnd(window: SessionEndSource): void;
}

export function quitAfterCleanShutdown(
  app: QuitSource,
  stop: () => Promise<void>,
  onError: (error: unknown) => void,
  opts: { powerMonitor?: ShutdownSignalSource } = {},
): CleanShutdown {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const stopAndQuit = () => {
    if (state !== 'running') return;
    state = 'stopping';
    stop()
      .catch(onError)
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  };
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    stopAndQuit();
  });
  // preventDefault asks the OS to wait for us (Electron then expects the app to quit as soon as it can).
  opts.powerMonitor?.on('shutdown', (event) => {
    if (state === 'stopped') return;
    event?.preventDefault?.();
    stopAndQuit();
  });
  return {
    stopAndQuit,
    // Windows may end the process soon after this event whatever we do; every engine stop step is bounded.
    watchSessionEnd: (window) => window.on('session-end', stopAndQuit),
  };
}
