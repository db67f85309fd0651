// Where the engine running on a data folder (the app or `serve`) receives callbacks right now, for other
// processes: `reminder-desk tunnel check` probes that engine's URL instead of starting a second one. Written
// on start and whenever the route changes, removed on stop; a file left by a crash names a dead pid and is
// ignored. 0600, like everything in the data folder; it holds no secret (URLs are in the logs too).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { CallbackMode } from '../domain';

export const RUNTIME_FILE = 'engine-runtime.json';

const runtimeSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  practice: z.boolean(),
  mode: z.string(),
  /** The callback server on this computer (loopback). */
  localBaseUrl: z.string().nullable(),
  /** The URL Twilio posts status callbacks to now; null when calls are polled. */
  statusCallbackUrl: z.string().nullable(),
});

export type EngineRuntime = z.infer<typeof runtimeSchema> & { mode: CallbackMode };

export function runtimeFile(dataDir: string): string {
  return path.join(dataDir, RUNTIME_FILE);
}

/** Atomically replaces the file (a reader never sees half of it). */
export function publishEngineRuntime(dataDir: string, runtime: Omit<EngineRuntime, 'pid' | 'host'>): void {
  const file = runtimeFile(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ pid: process.pid, host: os.hostname(), ...runtime }), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Removes the file if this process wrote it (a newer engine's file is not ours to remove). */
export function withdrawEngineRuntime(dataDir: string): void {
  const file = runtimeFile(dataDir);
  if (readRuntimeFile(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}

function readRuntimeFile(file: string): EngineRuntime | null {
  try {
    const parsed = runtimeSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? (parsed.data as EngineRuntime) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The engine running on this data folder now, or null. A file from another computer (a shared folder) is
 * taken at its word; one from this computer whose process is gone was left by a crash.
 */
export function runningEngine(dataDir: string): EngineRuntime | null {
  const runtime = readRuntimeFile(runtimeFile(dataDir));
  if (!runtime) return null;
  if (runtime.host === os.hostname() && !isAlive(runtime.pid)) return null;
  return runtime;
}
