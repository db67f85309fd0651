import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// One running engine per data folder. Two engines resuming the same batch (say `reminder-desk serve` and the
// desktop app on one data folder) would each dial it: the database claim in markDialing stops a double dial, and
// this lock stops the second engine from starting at all, with a message that says who holds the folder.

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** Data folders locked by engines of this process (a lock file with our own pid but not listed here is stale). */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

function isStale(info: LockInfo | null, dir: string): boolean {
  if (!info || typeof info.pid !== 'number') return true;
  if (info.host !== os.hostname()) return false; // a shared folder used from another computer: never assume it died
  if (info.pid === process.pid) return !heldHere.has(dir);
  return !isAlive(info.pid);
}

/** Takes the data folder for this engine; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, 'engine.lock');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      heldHere.add(dir);
      return () => {
        heldHere.delete(dir);
        if (readLock(file)?.pid === info.pid) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(file);
      if (!isStale(holder, dir)) {
        throw new DataDirLockedError(
          `Reminder Desk is already running on this data folder (process ${holder!.pid} on ${holder!.host}, since ${holder!.startedAt}); ` +
            `stop it first, or use another --data-dir`,
        );
      }
      fs.rmSync(file, { force: true }); // left by a process that died: take it over
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dir}`);
}
