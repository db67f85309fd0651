import { EVENT_NAMES, type ApiEvents, type ApiHandlers, type Envelope, type EventName } from '../core/api/contract';
import { invokeOperation } from '../core/api/invoke-operation';
import { createLogger, type Logger } from '../core/logging/logger';
import { isAppUrl, type AppOrigin } from './app-origin';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels';

// The one door from the window into the core. Every request is checked twice: WHO sent it (our window's top
// frame showing our own page) and WHAT it asks (a declared operation with arguments that pass the contract's
// schema, checked inside invokeOperation). Anything else gets an error value and never reaches a handler.

/** The parts of Electron's WebFrameMain the gate looks at. */
export interface GateFrame {
  readonly url: string;
  readonly parent: unknown;
  readonly routingId: number;
  readonly processId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the gate looks at. */
export interface GateEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: GateFrame | null;
}

/** The parts of the main BrowserWindow the gate looks at. */
export interface GateWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly id: number; readonly mainFrame: GateFrame };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: GateEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface EventReceiver {
  isDestroyed(): boolean;
  send(channel: string, message: unknown): void;
}

export interface ApiEventSource {
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): unknown;
  off<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): unknown;
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: 'no-window' | 'other-webcontents' | 'frame-gone' | 'subframe' | 'untrusted-url' };

/** Pure: is a frame showing this URL allowed to call the API? */
export function isTrustedSender(frameUrl: string, app: AppOrigin): boolean {
  return isAppUrl(frameUrl, app);
}

/** Checks one IPC event against the main window: same webContents, its top frame, our own page. */
export function checkSender(event: GateEvent, window: GateWindow | null, app: AppOrigin): SenderVerdict {
  if (!window || window.isDestroyed()) return { trusted: false, reason: 'no-window' };
  if (event.sender.id !== window.webContents.id) return { trusted: false, reason: 'other-webcontents' };
  const frame = event.senderFrame;
  // Electron gives null when the frame navigated away or was destroyed after sending: its page is no longer ours.
  if (!frame) return { trusted: false, reason: 'frame-gone' };
  const top = window.webContents.mainFrame;
  if (frame.parent !== null || frame.routingId !== top.routingId || frame.processId !== top.processId) return { trusted: false, reason: 'subframe' };
  if (!isTrustedSender(frame.url, app)) return { trusted: false, reason: 'untrusted-url' };
  return { trusted: true };
}

const REFUSED: Envelope<never> = { ok: false, error: { kind: 'unavailable', message: 'This window is not allowed to use Reminder Desk.' } };

function describeUrl(url: string | undefined): string {
  if (!url) return 'none';
  try {
    const parsed = new URL(url);
    // Enough to recognise the page in a log without copying query strings that may carry data.
    return parsed.protocol === 'file:' ? `file://${parsed.pathname}` : parsed.origin;
  } catch {
    return 'unparsable';
  }
}

export interface IpcGateOptions {
  ipcMain: IpcMainLike;
  handlers: ApiHandlers;
  /** The window allowed to call; read on every request because it is created after the gate and may be re-created. */
  getWindow: () => GateWindow | null;
  app: AppOrigin;
  log?: Pick<Logger, 'warn' | 'error'>;
}

/** Registers the invoke channel; returns a function that removes it. */
export function registerIpcGate(opts: IpcGateOptions): () => void {
  const log = opts.log ?? createLogger('ipc');
  opts.ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: GateEvent, request: unknown): Promise<Envelope<unknown>> => {
    const verdict = checkSender(event, opts.getWindow(), opts.app);
    if (!verdict.trusted) {
      log.warn('IPC request from an unknown sender dropped', { reason: verdict.reason, frame: describeUrl(event.senderFrame?.url) });
      return REFUSED;
    }
    if (typeof request !== 'object' || request === null || !('operation' in request)) {
      return { ok: false, error: { kind: 'validation', message: 'A request must name an operation.' } };
    }
    const { operation, args } = request as { operation: unknown; args?: unknown };
    return invokeOperation(
      opts.handlers,
      operation,
      args,
      (name, error) => log.error('operation failed', { operation: name, error }),
      (name, error) => log.warn('operation refused', { operation: name, kind: error.kind, details: error.details }),
    );
  });
  return () => opts.ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}

/**
 * Pushes every declared ApiEvents event to the window as `{ event, payload }`. Only names in the contract's
 * EVENT_NAMES are subscribed, so anything else the engine emits stays in the main process.
 * Returns a function that unsubscribes (call it when the window closes).
 */
export function forwardEvents(source: ApiEventSource, target: EventReceiver): () => void {
  const listeners = EVENT_NAMES.map((event) => {
    const listener = (payload: ApiEvents[typeof event]) => {
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { event, payload });
    };
    source.on(event, listener);
    return () => source.off(event, listener);
  });
  return () => {
    for (const off of listeners) off();
  };
}
