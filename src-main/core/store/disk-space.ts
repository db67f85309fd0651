import fs from 'node:fs';

// Free space where the data folder lives. A full disk makes SQLite fail every write (valid callbacks answered
// 500) and can stop the engine from starting (ENOSPC); noticing it early lets the listener stop keeping
// anything optional and lets staff see it in the connection status and the log before it bites.

/** Below this many free bytes the data folder's disk counts as low. */
export const LOW_DISK_BYTES = 200 * 1024 * 1024;

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
  low: boolean;
}

export type StatFs = (dir: string) => { bavail: number | bigint; bsize: number | bigint; blocks: number | bigint };

/** Free space for the app (blocks available to unprivileged users) on the disk holding `dir`; null when unknown. */
export function diskSpace(dir: string, opts: { lowBytes?: number; statfs?: StatFs } = {}): DiskSpace | null {
  let stats: ReturnType<StatFs>;
  try {
    stats = (opts.statfs ?? fs.statfsSync)(dir);
  } catch {
    return null;
  }
  const freeBytes = Number(stats.bavail) * Number(stats.bsize);
  const totalBytes = Number(stats.blocks) * Number(stats.bsize);
  return { freeBytes, totalBytes, low: freeBytes < (opts.lowBytes ?? LOW_DISK_BYTES) };
}

/** One line for the connection status and the log. */
export function describeLowDisk(space: DiskSpace): string {
  return `Low disk space: ${Math.floor(space.freeBytes / (1024 * 1024))} MB free where the data folder is; the callback inspector keeps only valid callbacks until space is freed`;
}
