import fs from 'node:fs';
import path from 'node:path';

// better-sqlite3 is a native addon and must match the ABI of the runtime that loads it. node_modules holds the
// Node build (the CLI and tests use it); `npm start` builds a second copy for Electron into .electron-native/.
// A packaged app needs neither: electron-builder rebuilt node_modules for Electron when it packaged.

export const ELECTRON_NATIVE_DIR = '.electron-native';
export const SQLITE_BINDING_FILE = 'better_sqlite3.node';

export function findSqliteNativeBinding(opts: {
  env: NodeJS.ProcessEnv;
  appPath: string;
  isPackaged: boolean;
  exists?: (file: string) => boolean;
}): string | undefined {
  const exists = opts.exists ?? fs.existsSync;
  // A packaged app ships its own rebuilt addon and never loads native code named by the environment.
  if (opts.isPackaged) return undefined;
  const fromEnv = opts.env.REMINDER_DESK_SQLITE_BINDING?.trim();
  if (fromEnv) {
    const file = path.resolve(fromEnv);
    if (!exists(file)) throw new Error(`REMINDER_DESK_SQLITE_BINDING points to ${file}, which does not exist`);
    return file;
  }
  const local = path.join(opts.appPath, ELECTRON_NATIVE_DIR, SQLITE_BINDING_FILE);
  return exists(local) ? local : undefined;
}
