import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findSqliteNativeBinding } from '../../src-main/electron/native-binding';

vi.mock('electron', () => {
  throw new Error('not needed');
});

const appPath = path.resolve('/work/reminder-desk');
const local = path.join(appPath, '.electron-native', 'better_sqlite3.node');

describe('findSqliteNativeBinding', () => {
  it('uses REMINDER_DESK_SQLITE_BINDING when set, and says clearly when that file is missing', () => {
    const file = path.resolve('/builds/better_sqlite3.node');
    expect(findSqliteNativeBinding({ env: { REMINDER_DESK_SQLITE_BINDING: file }, appPath, isPackaged: false, exists: (f) => f === file })).toBe(file);
    expect(() => findSqliteNativeBinding({ env: { REMINDER_DESK_SQLITE_BINDING: file }, appPath, isPackaged: false, exists: () => false })).toThrow(/does not exist/);
  });

  it('uses the Electron build that npm start made in .electron-native/', () => {
    expect(findSqliteNativeBinding({ env: {}, appPath, isPackaged: false, exists: (f) => f === local })).toBe(local);
    expect(findSqliteNativeBinding({ env: {}, appPath, isPackaged: false, exists: () => false })).toBeUndefined();
  });

  it('leaves a packaged app to its own (rebuilt) node_modules', () => {
    expect(findSqliteNativeBinding({ env: {}, appPath, isPackaged: true, exists: () => true })).toBeUndefined();
    // ...and never loads native code named by an environment variable.
    expect(findSqliteNativeBinding({ env: { REMINDER_DESK_SQLITE_BINDING: '/tmp/evil.node' }, appPath, isPackaged: true, exists: () => true })).toBeUndefined();
  });
});
