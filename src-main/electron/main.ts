import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerMonitor, safeStorage, shell, Tray } from 'electron';
import { Engine } from '../core/engine';
import { runDesktopApp } from './desktop-app';

// The Electron entry: hands the real Electron modules to runDesktopApp (desktop-app.ts), which puts the plain-Node
// core, the window and IPC in order. Everything it does is tested under vitest with a fake Electron.

void runDesktopApp({
  electron: { app, BrowserWindow, dialog, ipcMain, safeStorage, shell, powerMonitor, tray: { Tray, Menu, Notification } },
  openEngine: (opts) => Engine.open(opts),
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  resourcesPath: process.resourcesPath,
});
