// The data folder holds health data (appointments, call logs, exports) and secrets: only the user who runs
// Reminder Desk may read it. Folders are 0700 and files 0600 whoever creates them (us, SQLite's -wal/-shm,
// which copy the database file's mode, a rotated log); `secureDataDir` fixes installs made before this rule.
// On Windows the modes are no-ops: the per-user profile folder's ACL is what protects the data there.

import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A folder tree deeper than this under the data folder is not ours (logs/, exports/ are one level). */
const MAX_DEPTH = 4;

/** Creates the folder (and missing parents) private to the user; an existing folder is made private too. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodQuietly(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates an empty file readable only by the user before a library opens it (SQLite copies the database
 * file's mode onto its -wal and -shm files), or makes an existing one private.
 */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodQuietly(file, PRIVATE_FILE_MODE);
}

/**
 * Makes the data folder and everything Reminder Desk keeps in it private: 0700 folders, 0600 files.
 * Symbolic links are not followed (a link could point anywhere on the disk). Returns how many entries changed.
 */
export function secureDataDir(dataDir: string): number {
  ensurePrivateDir(dataDir);
  return secureTree(dataDir, 0);
}

function secureTree(dir: string, depth: number): number {
  let changed = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (chmodIfWider(full, PRIVATE_DIR_MODE)) changed += 1;
      if (depth < MAX_DEPTH) changed += secureTree(full, depth + 1);
    } else if (entry.isFile()) {
      if (chmodIfWider(full, PRIVATE_FILE_MODE)) changed += 1;
    }
  }
  return changed;
}

function chmodIfWider(file: string, mode: number): boolean {
  try {
    const current = fs.lstatSync(file).mode & 0o777;
    if ((current & ~mode) === 0) return false;
    fs.chmodSync(file, current & mode);
    return true;
  } catch {
    return false; // removed meanwhile, or not ours to change: the start must not fail over it
  }
}

function chmodQuietly(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch {
    // A folder owned by someone else (a shared mount): the open that follows reports the real problem.
  }
}
