import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDesktopApp, type DesktopAppOptions, type DesktopElectron, type DesktopEngine } from '../../src-main/electron/desktop-app';
import { MemorySecretStore } from '../../src-main/core/settings/secrets';
import type { MenuItemSpec } from '../../src-main/electron/tray';
import { FakeBrowserWindow, FakeDialog, FakeElectronApp, FakeIpcMain, FakePowerMonitor, FakeSafeStorage, FakeTray, spyHandlers } from './fake-electron';

vi.mock('electron', () => {
  throw new Error('the desktop app takes the Electron modules as parameters');
});

// The desktop app with automatic reminders: started with the switch-gated scheduler, the window hides into the tray
// while the switch is on, a wake from sleep checks reminders at once.

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-tray-'));
  FakeBrowserWindow.instances = [];
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function launch(automaticOn: boolean) {
  const app = new FakeElectronApp();
  const powerMonitor = new FakePowerMonitor();
  const trays: FakeTray[] = [];
  const notices: string[] = [];
  const { handlers } = spyHandlers();
  let noticeShown = false;
  const engine = {
    start: vi.fn(async (_opts?: { automaticReminders?: boolean }) => {}),
    stop: vi.fn(async () => {}),
    handlers: () => handlers,
    events: new EventEmitter(),
    batches: {
      exportFile: vi.fn(async () => ({ savedTo: null })),
      automatic: {
        isOn: () => automaticOn,
        set: vi.fn((enabled: boolean) => (automaticOn = enabled)),
        backgroundNotice: { shown: () => noticeShown, markShown: () => void (noticeShown = true) },
      },
      wake: vi.fn(),
    },
  } satisfies DesktopEngine;
  const tray = {
    Tray: class extends FakeTray {
      constructor(readonly icon: string) {
        super();
        trays.push(this);
      }
    },
    Menu: { buildFromTemplate: (items: MenuItemSpec[]) => items },
    Notification: Object.assign(
      class {
        constructor(private readonly opts: { title: string; body: string }) {}
        show(): void {
          notices.push(this.opts.title);
        }
      },
      { isSupported: () => true },
    ),
  };
  const electron = { app, BrowserWindow: FakeBrowserWindow, dialog: new FakeDialog(), ipcMain: new FakeIpcMain(), safeStorage: new FakeSafeStorage(), shell: { openExternal: async () => {} }, powerMonitor, tray };
  const options: DesktopAppOptions = {
    electron: electron as unknown as DesktopElectron,
    openEngine: async () => engine,
    mainDir: '/opt/reminder-desk/out/main',
    argv: [],
    env: {},
    dataDir,
    secrets: new MemorySecretStore(),
    log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    writeStderr: () => {},
  };
  await runDesktopApp(options);
  const window = FakeBrowserWindow.instances[0]!;
  const close = (): boolean => {
    let prevented = false;
    window.emit('close', { preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { app, engine, trays, notices, window, close, powerMonitor };
}

describe('desktop app: automatic reminders in the background', () => {
  it('starts the switch-gated scheduler; with the switch on, closing hides the window into the tray and says so once', async () => {
    const t = await launch(true);
    expect(t.engine.start).toHaveBeenCalledWith({ automaticReminders: true });
    expect(t.close()).toBe(true);
    expect(t.window.visible).toBe(false);
    expect(t.trays).toHaveLength(1);
    expect(t.notices).toEqual(['Reminder Desk keeps running']);
    t.close();
    expect(t.notices).toHaveLength(1);
    // Pause from the tray turns the switch off.
    (t.trays[0]!.menu as MenuItemSpec[])[1]!.click!();
    expect(t.engine.batches.automatic.set).toHaveBeenCalledWith(false);
    t.powerMonitor.emit('resume');
    expect(t.engine.batches.wake).toHaveBeenCalledTimes(1);
  });

  it('with the switch off, closing the window closes it (no tray)', async () => {
    const t = await launch(false);
    expect(t.close()).toBe(false);
    expect(t.trays).toHaveLength(0);
  });
});
