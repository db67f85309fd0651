import { createLogger, type Logger } from '../core/logging/logger';

// A crashed or killed renderer leaves the window blank while the engine keeps calling patients. The window is
// reloaded (the page asks the engine for everything again, so nothing is lost) and staff are told why it blinked.
// A page that keeps crashing is not reloaded forever: after a few tries in a short time staff are told to restart.

/** Electron's RenderProcessGoneDetails, the part used here. */
export interface RenderProcessGoneDetails {
  reason: string;
  exitCode?: number;
}

export interface RecoverableWindow {
  isDestroyed(): boolean;
  readonly webContents: {
    on(event: 'render-process-gone', listener: (event: unknown, details: RenderProcessGoneDetails) => void): unknown;
    reload(): void;
  };
}

export const RELOADED_MESSAGE =
  'The Reminder Desk window stopped unexpectedly and was reloaded. Calls already under way were not affected; check the Reminder batches screen.';
export const GAVE_UP_MESSAGE =
  'The Reminder Desk window keeps stopping unexpectedly. Close Reminder Desk and open it again; your appointments and call records are kept.';

export interface RendererRecoveryOptions {
  /** Shows a message to staff (the main process uses a message box on the window). */
  notify: (message: string) => void;
  clock?: () => number;
  /** At most this many reloads within `windowMs`; default 3 in 60 s. */
  maxReloads?: number;
  windowMs?: number;
  log?: Pick<Logger, 'warn' | 'error'>;
}

export function reloadAfterRendererCrash(window: RecoverableWindow, opts: RendererRecoveryOptions): void {
  const clock = opts.clock ?? Date.now;
  const maxReloads = opts.maxReloads ?? 3;
  const windowMs = opts.windowMs ?? 60_000;
  const log = opts.log ?? createLogger('window');
  let recent: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    // 'clean-exit' is the renderer ending normally (the window closing), not a crash.
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const now = clock();
    recent = recent.filter((at) => now - at < windowMs);
    if (recent.length >= maxReloads) {
      log.error('renderer keeps crashing; not reloading again', { reason: details.reason, exitCode: details.exitCode });
      opts.notify(GAVE_UP_MESSAGE);
      return;
    }
    recent.push(now);
    log.warn('renderer gone; reloading the window', { reason: details.reason, exitCode: details.exitCode });
    window.webContents.reload();
    opts.notify(RELOADED_MESSAGE);
  });
}
