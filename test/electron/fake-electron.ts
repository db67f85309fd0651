import { EventEmitter } from 'node:events';
import fs from 'node:fs';
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

// ---- the app's lifecycle: app, BrowserWindow, dialog, powerMonitor, safeStorage -----------------------------

/**
 * Electron's safeStorage: "v10" + a check byte + the value XOR-ed with the key. `checked: false` makes a wrong key
 * decrypt to garbage instead of throwing (as AES-CBC without a MAC can), `available: false` is a missing keyring.
 */
export class FakeSafeStorage {
  constructor(private readonly opts: { available?: boolean; key?: number; checked?: boolean } = {}) {}
  private get key(): number {
    return this.opts.key ?? 0x5a;
  }
  isEncryptionAvailable(): boolean {
    return this.opts.available ?? true;
  }
  encryptString(plain: string): Buffer {
    if (!this.isEncryptionAvailable()) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('v10'), Buffer.from([this.key]), Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ this.key))]);
  }
  decryptString(data: Buffer): string {
    if (!this.isEncryptionAvailable()) throw new Error('Decryption is not available.');
    if (data.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    if ((this.opts.checked ?? true) && data[3] !== this.key) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(data.subarray(4).map((byte) => byte ^ this.key)).toString('utf8');
  }
}

/** An event object whose preventDefault() is remembered, like Electron's. */
export function preventable(): { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Electron's `app`: quit() emits 'before-quit' and "exits" (emits 'exited') unless a listener prevents it. */
export class FakeElectronApp extends EventEmitter {
  readonly paths = new Map<string, string>();
  readonly calls: string[] = [];
  isPackaged = false;
  exitCode: number | null = null;
  quitCalls = 0;
  getPathImpl: (name: string) => string = (name) => `/home/desk/${name}`;
  constructor(private readonly opts: { singleInstance?: boolean; appPath?: string } = {}) {
    super();
  }
  setName(name: string): void {
    this.calls.push(`setName ${name}`);
  }
  setPath(name: string, value: string): void {
    // Electron throws for a folder that does not exist.
    if (!fs.existsSync(value)) throw new Error(`Failed to set path: ${value} does not exist`);
    this.paths.set(name, value);
  }
  getPath(name: string): string {
    return this.getPathImpl(name);
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    return this.opts.singleInstance ?? true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getAppPath(): string {
    return this.opts.appPath ?? '/opt/reminder-desk';
  }
  quit(): void {
    this.quitCalls += 1;
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('exited');
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

/** Electron's BrowserWindow with its webContents: records what the shell does to it. */
export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static loadError: Error | null = null;
  readonly loaded: string[] = [];
  destroyed = false;
  readonly webContents: FakeWebContents & { id: number; mainFrame: GateFrame; reloads: number; sent: unknown[]; reload(): void; send(channel: string, message: unknown): void; isDestroyed(): boolean };
  constructor(readonly options: unknown) {
    super();
    const contents = new FakeWebContents() as FakeBrowserWindow['webContents'];
    Object.assign(contents, { id: 1, mainFrame: frame(APP_INDEX_URL), reloads: 0, sent: [] });
    contents.reload = () => void (contents.reloads += 1);
    contents.send = (_channel, message) => void contents.sent.push(message);
    contents.isDestroyed = () => this.destroyed;
    this.webContents = contents;
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  visible = true;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  async loadURL(url: string): Promise<void> {
    if (FakeBrowserWindow.loadError) throw FakeBrowserWindow.loadError;
    this.loaded.push(url);
  }
}

export class FakeDialog {
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly messages: { message: string; type?: string }[] = [];
  readonly saveDialogs: { defaultPath: string }[] = [];
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveDialogs.push(args[args.length - 1] as { defaultPath: string });
    return { canceled: true };
  }
  async showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    const options = args[args.length - 1] as { message: string; type?: string };
    this.messages.push({ message: options.message, type: options.type });
    return { response: 0 };
  }
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
