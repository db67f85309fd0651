import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { developmentContentSecurityPolicy, CONTENT_SECURITY_POLICY } from '../../src-main/electron/content-security-policy';
import { runDesktopApp, type DesktopAppOptions, type DesktopElectron, type DesktopEngine, type OpenEngine } from '../../src-main/electron/desktop-app';
import { IPC_INVOKE_CHANNEL } from '../../src-main/electron/ipc-channels';
import { RELOADED_MESSAGE } from '../../src-main/electron/renderer-recovery';
import { MemorySecretStore } from '../../src-main/core/settings/secrets';
import { APP_INDEX_URL, eventFrom, FakeBrowserWindow, FakeDialog, FakeElectronApp, FakeIpcMain, FakeSafeStorage, FakeWebContents, spyHandlers } from './fake-electron';

vi.mock('electron', () => {
  throw new Error('the desktop app takes the Electron modules as parameters');
});

// The whole start-up and shutdown of the desktop app, driven through the fake Electron: runDesktopApp is what
// main.ts runs with the real modules.

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-desktop-'));
  FakeBrowserWindow.instances = [];
  FakeBrowserWindow.loadError = null;
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function fakeEngine() {
  const { spies, handlers } = spyHandlers();
  const engine = {
    start: vi.fn(async () => {}),
    stop: vi.fn(async () => {}),
    handlers: vi.fn(() => handlers),
    events: new EventEmitter(),
    batches: { exportLog: vi.fn(async () => ({ savedTo: null })) },
  };
  return { engine, spies };
}

function setup(over: { app?: FakeElectronApp; env?: NodeJS.ProcessEnv; argv?: string[]; resourcesPath?: string; dataDir?: string } = {}) {
  const app = over.app ?? new FakeElectronApp();
  const dialog = new FakeDialog();
  const ipcMain = new FakeIpcMain();
  const powerMonitor = new EventEmitter();
  const { engine, spies } = fakeEngine();
  const openEngine = vi.fn<OpenEngine>(async () => engine as DesktopEngine);
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const electron = { app, BrowserWindow: FakeBrowserWindow, dialog, ipcMain, safeStorage: new FakeSafeStorage(), shell: { openExternal: async () => {} }, powerMonitor };
  const options: DesktopAppOptions = {
    electron: electron as unknown as DesktopElectron,
    openEngine,
    mainDir: '/opt/reminder-desk/out/main',
    argv: over.argv ?? [],
    env: over.env ?? {},
    dataDir: over.dataDir ?? dataDir,
    secrets: new MemorySecretStore(),
    log,
    writeStderr: () => {},
    ...(over.resourcesPath ? { resourcesPath: over.resourcesPath } : {}),
  };
  const exited = vi.fn();
  app.on('exited', exited);
  const window = () => FakeBrowserWindow.instances[0]!;
  return { app, dialog, ipcMain, powerMonitor, engine, spies, openEngine, log, options, exited, window, run: () => runDesktopApp(options) };
}

describe('runDesktopApp: start-up', () => {
  it('creates the data folder and its browser-data subfolder before handing them to app.setPath', async () => {
    const nested = path.join(dataDir, 'not', 'there', 'yet');
    const t = setup({ dataDir: nested });
    await t.run();
    expect(t.app.paths.get('userData')).toBe(nested);
    expect(t.app.paths.get('sessionData')).toBe(path.join(nested, 'browser-data'));
    expect(t.app.calls).toContain('enableSandbox');
    expect(t.window().loaded).toEqual([APP_INDEX_URL]);
  });

  it("starts when getPath('documents') throws (redirected or OneDrive-managed Documents), and exports open in the home folder", async () => {
    const t = setup();
    t.app.getPathImpl = (name) => {
      if (name === 'documents') throw new Error("Failed to get 'documents' path");
      return '/home/desk';
    };
    await t.run();
    expect(t.app.exitCode).toBeNull();
    expect(t.dialog.errorBoxes).toEqual([]);
    expect(t.engine.stop).not.toHaveBeenCalled();
    expect(t.window().loaded).toEqual([APP_INDEX_URL]);

    const answer = await t.ipcMain.invoke(IPC_INVOKE_CHANNEL, eventFrom(), { operation: 'batches/export', args: { batchId: 'b1' } });
    expect(answer).toEqual({ ok: true, value: { savedTo: null, downloadUrl: null } });
    expect(t.dialog.saveDialogs[0]?.defaultPath).toBe(path.join('/home/desk', 'reminder-log-b1.csv'));
  });

  it('hands the engine the data folder, --practice and where the sample appointments are', async () => {
    const t = setup({ argv: ['electron', '.', '--practice'] });
    await t.run();
    expect(t.openEngine).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir, practice: true, sampleAppointmentsFile: path.join('/opt/reminder-desk', 'resources', 'sample-appointments.csv') }),
    );
  });

  it('finds the sample next to app.asar in a packaged app', async () => {
    const app = new FakeElectronApp();
    app.isPackaged = true;
    const t = setup({ app, resourcesPath: '/opt/Reminder Desk/resources' });
    await t.run();
    expect(t.openEngine).toHaveBeenCalledWith(expect.objectContaining({ practice: undefined, sampleAppointmentsFile: path.join('/opt/Reminder Desk/resources', 'sample-appointments.csv') }));
  });

  it('quits at once, opening nothing, when another Reminder Desk holds the single-instance lock', async () => {
    const t = setup({ app: new FakeElectronApp({ singleInstance: false }) });
    await t.run();
    expect(t.openEngine).not.toHaveBeenCalled();
    expect(t.exited).toHaveBeenCalledOnce();
  });

  it('reports a data folder it cannot create and exits without opening the engine', async () => {
    const blocker = path.join(dataDir, 'a-file');
    fs.writeFileSync(blocker, '');
    const t = setup({ dataDir: path.join(blocker, 'Reminder Desk') });
    await t.run();
    expect(t.openEngine).not.toHaveBeenCalled();
    expect(t.dialog.errorBoxes[0]?.title).toBe('Reminder Desk could not start');
    expect(t.app.exitCode).toBe(1);
  });
});

describe('runDesktopApp: a failure once the engine runs stops it', () => {
  it('stops the engine when the window cannot load, then reports and exits', async () => {
    FakeBrowserWindow.loadError = new Error('ERR_FILE_NOT_FOUND (-6) loading index.html');
    const t = setup();
    await t.run();
    expect(t.engine.start).toHaveBeenCalledOnce();
    expect(t.engine.stop).toHaveBeenCalledOnce();
    expect(t.dialog.errorBoxes[0]?.content).toContain('ERR_FILE_NOT_FOUND');
    expect(t.app.exitCode).toBe(1);
  });

  it('stops the engine when building the handlers fails after start', async () => {
    const t = setup();
    t.engine.handlers.mockImplementation(() => {
      throw new Error('handler table broken');
    });
    await t.run();
    expect(t.engine.stop).toHaveBeenCalledOnce();
    expect(t.app.exitCode).toBe(1);
  });

  it('stops what did start when engine.start() itself fails', async () => {
    const t = setup();
    t.engine.start.mockRejectedValue(new Error('port 8080 is in use'));
    await t.run();
    expect(t.engine.stop).toHaveBeenCalledOnce();
    expect(t.dialog.errorBoxes[0]?.content).toContain('port 8080 is in use');
    expect(t.app.exitCode).toBe(1);
  });

  it('reports the start-up error even when stopping fails too', async () => {
    FakeBrowserWindow.loadError = new Error('no renderer');
    const t = setup();
    t.engine.stop.mockRejectedValue(new Error('disk gone'));
    await t.run();
    expect(t.dialog.errorBoxes[0]?.content).toContain('no renderer');
    expect(t.app.exitCode).toBe(1);
  });
});

describe('runDesktopApp: clean stop on every way out', () => {
  it('stops the engine before quitting', async () => {
    const t = setup();
    await t.run();
    t.app.quit();
    await vi.waitFor(() => expect(t.exited).toHaveBeenCalledOnce());
    expect(t.engine.stop).toHaveBeenCalledOnce();
  });

  it("stops the engine on the window's session-end (Windows shutdown or log-off, where before-quit never comes)", async () => {
    const t = setup();
    await t.run();
    t.window().emit('session-end', {});
    await vi.waitFor(() => expect(t.exited).toHaveBeenCalledOnce());
    expect(t.engine.stop).toHaveBeenCalledOnce();
  });

  it("stops the engine on powerMonitor's shutdown, delaying the system shutdown meanwhile", async () => {
    const t = setup();
    await t.run();
    const event = { preventDefault: vi.fn() };
    t.powerMonitor.emit('shutdown', event);
    await vi.waitFor(() => expect(t.exited).toHaveBeenCalledOnce());
    expect(event.preventDefault).toHaveBeenCalled();
    expect(t.engine.stop).toHaveBeenCalledOnce();
  });
});

describe('runDesktopApp: the window', () => {
  it('reloads after a renderer crash and tells staff', async () => {
    const t = setup();
    await t.run();
    t.window().webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(t.window().webContents.reloads).toBe(1);
    await vi.waitFor(() => expect(t.dialog.messages).toEqual([{ message: RELOADED_MESSAGE, type: 'warning' }]));
    expect(t.engine.stop).not.toHaveBeenCalled();
  });

  it('forwards engine events to the window', async () => {
    const t = setup();
    await t.run();
    t.engine.events.emit('appointments-changed', { reason: 'import' });
    expect(t.window().webContents.sent).toEqual([{ event: 'appointments-changed', payload: { reason: 'import' } }]);
  });

  it("gives electron-vite's dev server the dev-only policy header, and a packaged app never", async () => {
    const dev = setup({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    await dev.run();
    expect(dev.window().loaded).toEqual(['http://localhost:5173/']);
    const devContents = new FakeWebContents();
    dev.app.emit('web-contents-created', {}, devContents);
    const devHeaders = vi.fn();
    devContents.session.headersListener!({ url: 'http://localhost:5173/', responseHeaders: {} }, devHeaders);
    expect(devHeaders).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [developmentContentSecurityPolicy('any-inline')] } });

    FakeBrowserWindow.instances = [];
    const app = new FakeElectronApp();
    app.isPackaged = true;
    const packaged = setup({ app, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    await packaged.run();
    expect(packaged.window().loaded).toEqual([APP_INDEX_URL]);
    const contents = new FakeWebContents();
    packaged.app.emit('web-contents-created', {}, contents);
    const headers = vi.fn();
    contents.session.headersListener!({ url: 'https://example.org/', responseHeaders: {} }, headers);
    expect(headers).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
});
