import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Logger } from '../../src-main/core/logging/logger';
import { EVENT_NAMES } from '../../src-main/core/api/contract';
import { resolveAppOrigin, type AppOrigin } from '../../src-main/electron/app-origin';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-main/electron/ipc-channels';
import { checkSender, forwardEvents, isTrustedSender, registerIpcGate, type GateWindow } from '../../src-main/electron/ipc-gate';
import { APP_INDEX_URL, eventFrom, fakeWindow, FakeIpcMain, frame, handlersCalled, spyHandlers, type HandlerSpies } from './fake-electron';

// The gate is plain code over Electron-shaped objects: loading Electron here would be a design error.
vi.mock('electron', () => {
  throw new Error('the IPC gate must not need the Electron runtime');
});

const fileApp: AppOrigin = { kind: 'file', indexUrl: APP_INDEX_URL };
const devApp: AppOrigin = { kind: 'dev-server', origin: 'http://localhost:5173', url: 'http://localhost:5173/' };

describe('isTrustedSender', () => {
  it.each([
    [APP_INDEX_URL, true],
    [`${APP_INDEX_URL}#/batches`, true],
    [`${APP_INDEX_URL}?view=timeline`, true],
    ['file:///opt/reminder-desk/out/renderer/other.html', false],
    ['file:///etc/passwd', false],
    ['file://evil-host/opt/reminder-desk/out/renderer/index.html', false],
    ['https://evil.example/index.html', false],
    ['http://localhost:5173/', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('production app: %s → %s', (url, trusted) => {
    expect(isTrustedSender(url, fileApp)).toBe(trusted);
  });

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.tsx#x', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    ['https://localhost:5173/', false],
    [APP_INDEX_URL, false],
  ])('dev server: %s → %s', (url, trusted) => {
    expect(isTrustedSender(url, devApp)).toBe(trusted);
  });
});

describe('resolveAppOrigin', () => {
  it('uses the built index.html unless a dev server is given', () => {
    expect(resolveAppOrigin({ rendererUrl: undefined, rendererIndexFile: '/opt/reminder-desk/out/renderer/index.html', isPackaged: false })).toEqual(fileApp);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app, so an environment variable cannot repoint the window', () => {
    expect(resolveAppOrigin({ rendererUrl: 'http://localhost:5173', rendererIndexFile: '/opt/reminder-desk/out/renderer/index.html', isPackaged: true })).toEqual(fileApp);
  });

  it('accepts only a loopback dev server', () => {
    expect(resolveAppOrigin({ rendererUrl: 'http://localhost:5173', rendererIndexFile: '/x/index.html', isPackaged: false })).toEqual(devApp);
    expect(() => resolveAppOrigin({ rendererUrl: 'https://evil.example', rendererIndexFile: '/x/index.html', isPackaged: false })).toThrow(/loopback/);
    expect(() => resolveAppOrigin({ rendererUrl: 'file:///tmp/x.html', rendererIndexFile: '/x/index.html', isPackaged: false })).toThrow(/loopback/);
  });
});

describe('checkSender', () => {
  const window = fakeWindow();
  it('trusts the main window top frame on our page', () => {
    expect(checkSender(eventFrom(), window, fileApp)).toEqual({ trusted: true });
  });
  it.each<[string, Parameters<typeof eventFrom>[0], GateWindow | null, string]>([
    ['no window yet', {}, null, 'no-window'],
    ['window destroyed', {}, fakeWindow({ destroyed: true }), 'no-window'],
    ['another webContents', { senderId: 2 }, window, 'other-webcontents'],
    ['frame gone (navigated away after sending)', { senderFrame: null }, window, 'frame-gone'],
    ['a subframe on our own URL', { senderFrame: frame(APP_INDEX_URL, { parent: frame(APP_INDEX_URL), routingId: 5 }) }, window, 'subframe'],
    ['a frame with another routing id', { senderFrame: frame(APP_INDEX_URL, { routingId: 9 }) }, window, 'subframe'],
    ['a frame in another renderer process', { senderFrame: frame(APP_INDEX_URL, { processId: 99 }) }, window, 'subframe'],
    ['the top frame showing a foreign page', { senderFrame: frame('https://evil.example/') }, window, 'untrusted-url'],
  ])('drops %s', (_label, event, win, reason) => {
    expect(checkSender(eventFrom(event), win, fileApp)).toEqual({ trusted: false, reason });
  });
});

describe('registerIpcGate', () => {
  let ipcMain: FakeIpcMain;
  let handlers: HandlerSpies;
  let log: { warn: Mock<Logger['warn']>; error: Mock<Logger['error']> };
  let window: GateWindow | null;

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    const table = spyHandlers();
    handlers = table.spies;
    log = { warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
    window = fakeWindow();
    registerIpcGate({ ipcMain, handlers: table.handlers, getWindow: () => window, app: fileApp, log });
  });

  const call = (request: unknown, event = eventFrom()) => ipcMain.invoke(IPC_INVOKE_CHANNEL, event, request);

  it('registers exactly one channel', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
  });

  it('passes a good call through with the schema-parsed arguments', async () => {
    await expect(call({ operation: 'appointments/timeline', args: { appointmentId: 42 } })).resolves.toEqual({
      ok: true,
      value: { handledBy: 'appointments/timeline', args: { appointmentId: 42 } },
    });
    // Defaults from the schema are filled in before the handler sees the arguments.
    await expect(call({ operation: 'callbacks/list', args: {} })).resolves.toMatchObject({ ok: true, value: { args: { limit: 200 } } });
    expect(handlersCalled(handlers)).toEqual(['appointments/timeline', 'callbacks/list']);
  });

  it.each([
    ['another webContents', eventFrom({ senderId: 3 })],
    ['a subframe', eventFrom({ senderFrame: frame(APP_INDEX_URL, { parent: frame(APP_INDEX_URL), routingId: 4 }) })],
    ['a foreign page in the top frame', eventFrom({ senderFrame: frame('https://evil.example/phish') })],
    ['a local file that is not the app', eventFrom({ senderFrame: frame('file:///home/me/Downloads/evil.html') })],
    ['a destroyed frame', eventFrom({ senderFrame: null })],
  ])('drops a request from %s without running any handler', async (_label, event) => {
    const reply = await call({ operation: 'app/get-state', args: {} }, event);
    expect(reply).toEqual({ ok: false, error: { kind: 'unavailable', message: expect.stringMatching(/not allowed/) } });
    expect(handlersCalled(handlers)).toEqual([]);
    expect(log.warn).toHaveBeenCalledWith('IPC request from an unknown sender dropped', expect.objectContaining({ reason: expect.any(String) }));
  });

  it('logs where a dropped request came from without its query string', async () => {
    await call({ operation: 'app/get-state', args: {} }, eventFrom({ senderFrame: frame('https://evil.example/p?token=abc') }));
    expect(log.warn).toHaveBeenCalledWith(expect.any(String), { reason: 'untrusted-url', frame: 'https://evil.example' });
  });

  it('drops everything once the window is gone', async () => {
    window = null;
    await expect(call({ operation: 'app/get-state', args: {} })).resolves.toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(handlersCalled(handlers)).toEqual([]);
  });

  it.each(['app/delete-everything', '__proto__', 'constructor', 'toString', 42, null])('refuses the unknown operation %s', async (operation) => {
    await expect(call({ operation, args: {} })).resolves.toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(handlersCalled(handlers)).toEqual([]);
  });

  it.each([
    ['a negative id', 'appointments/timeline', { appointmentId: -1 }],
    ['an id given as text', 'appointments/timeline', { appointmentId: '42' }],
    ['missing arguments', 'batches/pause', {}],
    ['an unexpected key on an operation without arguments', 'app/get-state', { evil: true }],
    ['a javascript: callback URL', 'setup/configure-callbacks', { mode: 'own-url', statusCallbackUrl: 'javascript:alert(1)' }],
    ['an unknown callback mode', 'setup/configure-callbacks', { mode: 'carrier-pigeon' }],
    ['a malformed Account SID', 'setup/check-twilio', { accountSid: 'AC123', authToken: 'x'.repeat(32) }],
    ['a batch neither by ids nor by day', 'batches/start', {}],
    ['a day that is not YYYY-MM-DD', 'appointments/list', { day: '12/01/2025' }],
  ])('rejects %s by schema without running the handler', async (_label, operation, args) => {
    const reply = await call({ operation, args });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.any(String) } });
    expect(handlersCalled(handlers)).toEqual([]);
  });

  it.each([[null], ['app/get-state'], [42], [[]], [{ args: {} }]])('rejects a request that names no operation: %j', async (request) => {
    await expect(call(request)).resolves.toMatchObject({ ok: false, error: { kind: expect.stringMatching(/validation|not-found/) } });
    expect(handlersCalled(handlers)).toEqual([]);
  });

  it('turns a handler crash into a generic error value and logs it', async () => {
    handlers['connection/status']!.mockRejectedValueOnce(new Error('socket exploded'));
    await expect(call({ operation: 'connection/status', args: {} })).resolves.toEqual({
      ok: false,
      error: { kind: 'internal', message: expect.stringMatching(/log file/) },
    });
    expect(log.error).toHaveBeenCalledWith('operation failed', expect.objectContaining({ operation: 'connection/status' }));
  });

  it('can be removed again', () => {
    const other = new FakeIpcMain();
    const dispose = registerIpcGate({ ipcMain: other, handlers: spyHandlers().handlers, getWindow: () => window, app: fileApp, log });
    dispose();
    expect(other.handlers.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  function target(destroyed = false) {
    return { isDestroyed: () => destroyed, send: vi.fn() };
  }

  it('sends every declared event to the window as { event, payload }', () => {
    const engine = new EventEmitter();
    const win = target();
    forwardEvents(engine, win);
    for (const event of EVENT_NAMES) engine.emit(event, { from: event });
    expect(win.send.mock.calls).toEqual(EVENT_NAMES.map((event) => [IPC_EVENT_CHANNEL, { event, payload: { from: event } }]));
  });

  it('forwards nothing the contract does not declare', () => {
    const engine = new EventEmitter();
    const win = target();
    forwardEvents(engine, win);
    engine.emit('internal-secret', { authToken: 'x' });
    engine.emit('tunnel-internal', { authtoken: 'y' });
    expect(win.send).not.toHaveBeenCalled();
  });

  it('sends nothing to a destroyed window and unsubscribes on request', () => {
    const engine = new EventEmitter();
    const gone = target(true);
    const stop = forwardEvents(engine, gone);
    engine.emit('call-updated', {});
    expect(gone.send).not.toHaveBeenCalled();
    stop();
    expect(EVENT_NAMES.map((event) => engine.listenerCount(event))).toEqual(EVENT_NAMES.map(() => 0));
  });
});
