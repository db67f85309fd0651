// Quitting waits for the engine to stop (in-flight callbacks recorded, database closed) before the process
// exits. Electron does not await 'before-quit' listeners, so the first quit is held, the engine stopped, and
// quit called again.

export interface QuitSource {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export function quitAfterCleanShutdown(app: QuitSource, stop: () => Promise<void>, onError: (error: unknown) => void): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    stop()
      .catch(onError)
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
}
