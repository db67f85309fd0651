import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, shell } from 'electron';
import type { ApiHandlers } from '../core/api/contract';
import { Engine } from '../core/engine';
import { createLogger } from '../core/logging/logger';
import { defaultDataDir } from '../core/settings/load-settings';
import { appEntryUrl, resolveAppOrigin } from './app-origin';
import { createExportHandler } from './export-dialog';
import { forwardEvents, registerIpcGate } from './ipc-gate';
import { findSqliteNativeBinding } from './native-binding';
import { createDesktopSecretStore } from './safe-storage-cipher';
import { quitAfterCleanShutdown } from './shutdown';
import { createMainWindow, hardenAllWebContents } from './window';

// The Electron entry: wires the plain-Node core to one hardened window. All logic lives in the small modules
// imported above (tested under vitest with a fake Electron); this file only puts them in order.

const log = createLogger('desktop');
const here = path.dirname(fileURLToPath(import.meta.url));

// One data folder for the desktop app, the CLI and the browser preview (REMINDER_DESK_DATA_DIR overrides it);
// Chromium's own caches go to a subfolder so they do not sit between settings.yaml and the database.
app.setName('Reminder Desk');
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);
app.setPath('sessionData', path.join(dataDir, 'browser-data'));
app.enableSandbox();

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error('desktop app could not start', { error });
  process.stderr.write(`Reminder Desk could not start: ${message}\n`);
  dialog.showErrorBox('Reminder Desk could not start', `${message}\n\nData folder: ${dataDir}`);
  app.exit(1);
}

async function start(): Promise<void> {
  const origin = resolveAppOrigin({
    rendererUrl: process.env.ELECTRON_RENDERER_URL,
    rendererIndexFile: path.join(here, '../renderer/index.html'),
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
  const engine = await Engine.open({
    dataDir,
    secrets: createDesktopSecretStore(dataDir, safeStorage),
    nativeBinding: findSqliteNativeBinding({ env: process.env, appPath: app.getAppPath(), isPackaged: app.isPackaged }),
    practice: process.argv.includes('--practice') ? true : undefined,
  });
  quitAfterCleanShutdown(app, () => engine.stop(), (error) => log.error('engine did not stop cleanly', { error }));
  try {
    await engine.start();
  } catch (error) {
    // fail() exits without 'before-quit': close what did start (listeners, database) first.
    await engine.stop().catch(() => {});
    throw error;
  }

  const core = engine.handlers();
  const handlers: ApiHandlers = {
    ...core,
    'batches/export': createExportHandler({
      assertBatchExists: (batchId) => core['batches/progress']({ batchId }),
      showSaveDialog: (options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)),
      exportBatch: (batchId, filePath) => engine.batches.exportLog(batchId, filePath),
      defaultFolder: app.getPath('documents'),
    }),
  };
  registerIpcGate({ ipcMain, handlers, getWindow: () => window, app: origin });

  const mainWindow = createMainWindow(BrowserWindow, { preloadPath: path.join(here, '../preload/preload.cjs'), devTools: !app.isPackaged });
  window = mainWindow;
  const stopForwarding = forwardEvents(engine.events, mainWindow.webContents);
  mainWindow.on('closed', () => {
    stopForwarding();
    window = null;
  });
  await mainWindow.loadURL(appEntryUrl(origin));
}

if (app.requestSingleInstanceLock()) {
  start().catch(fail);
} else {
  // Another Reminder Desk is already running (it gets focused through 'second-instance'): two engines on one
  // database would dial the same patients twice.
  app.quit();
}
