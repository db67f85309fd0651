import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../../src-main/core/store/data-dir-lock';

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('data folder lock', () => {
  it('lets one engine at a time run on a data folder, and frees it on release', () => {
    const dir = dataDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/already running on this data folder \(process \d+/);
    release();
    expect(fs.existsSync(path.join(dir, 'engine.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('refuses while another live process holds it, and takes over from a dead one', async () => {
    const dir = dataDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const lock = path.join(dir, 'engine.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: child.pid, host: os.hostname(), startedAt: new Date().toISOString() }));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`process ${child.pid}`));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('treats a lock left by an engine of this same process that never released it as stale', () => {
    const dir = dataDir();
    const lock = path.join(dir, 'engine.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 'earlier' }));
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), startedAt: expect.not.stringMatching(/^earlier$/) });
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError); // taken over, and now really held
    release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('never takes over a lock written by another computer on a shared folder, even when no local process has its pid', async () => {
    const dir = dataDir();
    // A pid that surely names no process here: one that just exited.
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.on('exit', resolve));
    const lock = path.join(dir, 'engine.lock');
    const held = JSON.stringify({ pid: child.pid, host: 'front-desk-2', startedAt: '2026-12-01T08:00:00.000Z' });
    fs.writeFileSync(lock, held);

    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`(process ${child.pid} on front-desk-2, since 2026-12-01T08:00:00.000Z)`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(held);
  });
});
