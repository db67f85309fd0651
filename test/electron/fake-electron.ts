import { EventEmitter } from 'node:events';
import { vi, type Mock } from 'vitest';
import { apiContract, type ApiHandlers } from '../../src-main/core/api/contract';
import type { GateEvent, GateFrame, GateWindow, IpcMainLike } from '../../src-main/electron/ipc-gate';

// Hand-written stand-ins for the few Electron objects the shell uses (the Electron runtime cannot run here).

export const APP_INDEX_URL = 'file:///opt/reminder-desk/out/renderer/index.html';

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: GateEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: GateEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke(channel, request)` from `event`'s frame would get back. */
  async invoke(channel: string, event: GateEvent, request: unknown): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, request);
  }
}

export function frame(url: string, over: Partial<GateFrame> = {}): GateFrame {
  return { url, parent: null, routingId: 1, processId: 7, ...over };
}

export function fakeWindow(opts: { id?: number; url?: string; destroyed?: boolean } = {}): GateWindow {
  return {
    isDestroyed: () => opts.destroyed ?? false,
    webContents: { id: opts.id ?? 1, mainFrame: frame(opts.url ?? APP_INDEX_URL) },
  };
}

/** An event sent from the main window's top frame (change what a test is about). */
export function eventFrom(over: { senderId?: number; senderFrame?: GateFrame | null } = {}): GateEvent {
  return { sender: { id: over.senderId ?? 1 }, senderFrame: over.senderFrame === undefined ? frame(APP_INDEX_URL) : over.senderFrame };
}

export type HandlerSpies = Record<string, Mock<(args: unknown) => Promise<unknown>>>;

/** Every operation of the contract as a spy that answers `{ handledBy: name, args }`. */
export function spyHandlers(): { spies: HandlerSpies; handlers: ApiHandlers } {
  const spies: HandlerSpies = {};
  for (const name of Object.keys(apiContract)) spies[name] = vi.fn(async (args: unknown) => ({ handledBy: name, args }));
  return { spies, handlers: spies as unknown as ApiHandlers };
}

export function handlersCalled(handlers: HandlerSpies): string[] {
  return Object.entries(handlers)
    .filter(([, spy]) => spy.mock.calls.length > 0)
    .map(([name]) => name);
}

/** A webContents with the events, window-open handler and session the hardening code touches. */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  constructor(readonly session: FakeSession = new FakeSession()) {
    super();
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits like Electron: returns whether a listener called preventDefault(). */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      if (this.headersListener) throw new Error('a second onHeadersReceived listener replaces the first in Electron');
      this.headersListener = listener;
    },
  };
}

/** Electron's Tray, as the background mode uses it. */
export class FakeTray extends EventEmitter {
  tooltip = '';
  menu: unknown = null;
  destroyed = false;
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** Electron's powerMonitor ('resume' after sleep). */
export class FakePowerMonitor extends EventEmitter {}
