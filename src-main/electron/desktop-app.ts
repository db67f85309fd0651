import fs from 'node:fs';
import path from 'node:path';
import type { App, BrowserWindow, Dialog, PowerMonitor, Shell } from 'electron';
import type { ApiHandlers } from '../core/api/contract';
import type { EngineOptions } from '../core/engine';
import { createLogger, type Logger } from '../core/logging/logger';
import { defaultDataDir } from '../core/settings/load-settings';
import type { SecretStore } from '../core/settings/secrets';
import { appEntryUrl, resolveAppOrigin } from './app-origin';
import { createExportHandler, resolveExportFolder } from './export-dialog';
import { forwardEvents, registerIpcGate, type ApiEventSource, type IpcMainLike } from './ipc-gate';
import { findSqliteNativeBinding } from './native-binding';
import { reloadAfterRendererCrash } from './renderer-recovery';
import { createDesktopSecretStore, type SafeStorageLike } from './safe-storage-cipher';
import { quitAfterCleanShutdown } from './shutdown';
import { createMainWindow, hardenAllWebContents, type BrowserWindowConstructor } from './window';
import { desktopBackgroundMode, type TrayElectron, type TrayEngine } from './tray';

// The desktop app's start-up and shutdown, in order. main.ts hands it the real Electron modules; the tests hand it
// fakes (test/electron/fake-electron.ts), which is how every step below is checked without an Electron runtime.
// Two rules shape it: nothing optional (Documents, a keyring) can stop the app from starting, and once the engine
// has started, every way out — a failure, a quit, a Windows log-off, a system shutdown — stops it first.

/** The Electron modules the shell uses. */
export interface DesktopElectron {
  app: Pick<App, 'setName' | 'setPath' | 'getPath' | 'enableSandbox' | 'requestSingleInstanceLock' | 'whenReady' | 'on' | 'quit' | 'exit' | 'getAppPath' | 'isPackaged'>;
  BrowserWindow: BrowserWindowConstructor;
  dialog: Pick<Dialog, 'showErrorBox' | 'showSaveDialog' | 'showMessageBox'>;
  ipcMain: IpcMainLike;
  safeStorage: SafeStorageLike;
  shell: Pick<Shell, 'openExternal'>;
  powerMonitor: Pick<PowerMonitor, 'on'>;
  /** Issue 10's background mode (tray icon while automatic reminders are on); absent: no tray. */
  tray?: Omit<TrayElectron, 'powerMonitor' | 'app'>;
}

/** The parts of the core Engine the shell drives. */
export interface DesktopEngine {
  start(opts?: { automaticReminders?: boolean }): Promise<void>;
  stop(): Promise<void>;
  handlers(): ApiHandlers;
  readonly events: ApiEventSource;
  readonly batches: { exportLog(batchId: string, filePath: string): Promise<{ savedTo: string | null }> } & Partial<TrayEngine['batches']>;
}

export type OpenEngine = (opts: Pick<EngineOptions, 'dataDir' | 'secrets' | 'nativeBinding' | 'practice' | 'sampleAppointmentsFile'>) => Promise<DesktopEngine>;

export interface DesktopAppOptions {
  electron: DesktopElectron;
  openEngine: OpenEngine;
  /** The folder of the built main bundle (out/main): the renderer and preload are found from it. */
  mainDir: string;
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** process.resourcesPath in a packaged app (where extraResources land). */
  resourcesPath?: string;
  /** Tests: where the data folder is (default: the shared data folder of the CLI and preview). */
  dataDir?: string;
  /** Tests: a secret store instead of the safeStorage one. */
  secrets?: SecretStore;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  writeStderr?: (line: string) => void;
}

export const SAMPLE_APPOINTMENTS_FILE = 'sample-appointments.csv';

/** The sample CSV the practice wizard can load: an extra resource when packaged, resources/ in the repository. */
export function sampleAppointmentsPath(opts: { isPackaged: boolean; appPath: string; resourcesPath?: string | undefined }): string {
  return opts.isPackaged && opts.resourcesPath
    ? path.join(opts.resourcesPath, SAMPLE_APPOINTMENTS_FILE)
    : path.join(opts.appPath, 'resources', SAMPLE_APPOINTMENTS_FILE);
}

/**
 * Runs the desktop app: prepares folders before 'ready', then opens the engine, window and IPC. Resolves once
 * the window has loaded (or the app has given up with an error box). Never rejects.
 */
export async function runDesktopApp(opts: DesktopAppOptions): Promise<void> {
  const { app, dialog } = opts.electron;
  const log = opts.log ?? createLogger('desktop');
  const env = opts.env ?? process.env;
  const dataDir = opts.dataDir ?? defaultDataDir(env);
  const writeStderr = opts.writeStderr ?? ((line: string) => process.stderr.write(line));

  const fail = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log.error('desktop app could not start', { error });
    writeStderr(`Reminder Desk could not start: ${message}\n`);
    dialog.showErrorBox('Reminder Desk could not start', `${message}\n\nData folder: ${dataDir}`);
    app.exit(1);
  };

  try {
    // One data folder for the desktop app, the CLI and the browser preview (REMINDER_DESK_DATA_DIR overrides it);
    // Chromium's own caches go to a subfolder. setPath throws for a folder that does not exist: create both first.
    app.setName('Reminder Desk');
    const sessionData = path.join(dataDir, 'browser-data');
    fs.mkdirSync(sessionData, { recursive: true });
    app.setPath('userData', dataDir);
    app.setPath('sessionData', sessionData);
    app.enableSandbox();
  } catch (error) {
    fail(error);
    return;
  }

  if (!app.requestSingleInstanceLock()) {
    // Another Reminder Desk is already running (it gets focused through 'second-instance'): two engines on one
    // database would dial the same patients twice.
    app.quit();
    return;
  }
  await start(opts, { dataDir, env, log }).catch(fail);
}

async function start(opts: DesktopAppOptions, ctx: { dataDir: string; env: NodeJS.ProcessEnv; log: Pick<Logger, 'info' | 'warn' | 'error'> }): Promise<void> {
  const { app, dialog, ipcMain, shell, powerMonitor, safeStorage, BrowserWindow } = opts.electron;
  const origin = resolveAppOrigin({
    rendererUrl: ctx.env.ELECTRON_RENDERER_URL,
    rendererIndexFile: path.join(opts.mainDir, '../renderer/index.html'),
    isPackaged: app.isPackaged,
  });
  hardenAllWebContents(app, origin, { openExternal: (url) => shell.openExternal(url) });

  let window: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  // safeStorage is usable only after 'ready' on Windows and Linux.
  const engine = await opts.openEngine({
    dataDir: ctx.dataDir,
    secrets: opts.secrets ?? createDesktopSecretStore(ctx.dataDir, safeStorage),
    nativeBinding: findSqliteNativeBinding({ env: ctx.env, appPath: app.getAppPath(), isPackaged: app.isPackaged }),
    practice: (opts.argv ?? process.argv).includes('--practice') ? true : undefined,
    sampleAppointmentsFile: sampleAppointmentsPath({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: opts.resourcesPath }),
  });
  const shutdown = quitAfterCleanShutdown(app, () => engine.stop(), (error) => ctx.log.error('engine did not stop cleanly', { error }), { powerMonitor });

  // From here on the engine may be running: whatever fails, it is stopped before the error reaches fail(),
  // which exits without 'before-quit'.
  try {
    await engine.start({ automaticReminders: true }); // the scheduler runs while the "Automatic reminders" switch is on
    const core = engine.handlers();
    const handlers: ApiHandlers = {
      ...core,
      'batches/export': createExportHandler({
        assertBatchExists: (batchId) => core['batches/progress']({ batchId }),
        showSaveDialog: (options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
        exportBatch: (batchId, filePath) => engine.batches.exportLog(batchId, filePath),
        defaultFolder: () => resolveExportFolder((name) => app.getPath(name)),
      }),
    };
    registerIpcGate({ ipcMain, handlers, getWindow: () => window, app: origin });

    const mainWindow = createMainWindow(BrowserWindow, { preloadPath: path.join(opts.mainDir, '../preload/preload.cjs'), devTools: !app.isPackaged });
    window = mainWindow;
    shutdown.watchSessionEnd(mainWindow);
    reloadAfterRendererCrash(mainWindow, {
      notify: (message) => {
        if (mainWindow.isDestroyed()) return;
        dialog
          .showMessageBox(mainWindow, { type: 'warning', title: 'Reminder Desk', message, buttons: ['OK'] })
          .catch((error: unknown) => ctx.log.warn('could not show a message', { error }));
      },
    });
    const stopForwarding = forwardEvents(engine.events, mainWindow.webContents);
    const { automatic, wake } = engine.batches;
    if (opts.electron.tray && automatic && wake) {
      // While automatic reminders are on, closing hides the window and a tray icon keeps the schedule running.
      const iconPath = app.isPackaged && opts.resourcesPath ? path.join(opts.resourcesPath, 'tray-icon.png') : path.join(app.getAppPath(), 'resources/icons/icon.png');
      const tray = { ...opts.electron.tray, powerMonitor, app };
      const background = desktopBackgroundMode(tray, { batches: { automatic, wake: () => wake.call(engine.batches) } }, { iconPath, getWindow: () => window, openWindow: () => window?.show() });
      app.on('before-quit', () => background.onBeforeQuit());
      mainWindow.on('close', (event) => background.onWindowClose(event));
    }
    mainWindow.on('closed', () => {
      stopForwarding();
      window = null;
    });
    await mainWindow.loadURL(appEntryUrl(origin));
  } catch (error) {
    await engine.stop().catch((stopError: unknown) => ctx.log.error('engine did not stop cleanly', { error: stopError }));
    throw error;
  }
}
