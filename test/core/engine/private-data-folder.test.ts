// Patient data must not be readable by other users of the computer: 0700 folders, 0600 files, on a
// fresh install and on one made before the rule (issue 9.5).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import { lockDataDir } from '../../../src-main/core/store/data-dir-lock';
import { EngineHarness, sampleBatch, until } from './engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

function modeOf(file: string): number {
  return fs.lstatSync(file).mode & 0o777;
}

/** Every folder and file under dir with its permission bits, as "relative/path: 0600". */
function modesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      out.push(`${path.relative(dir, full)}: ${modeOf(full).toString(8).padStart(4, '0')}`);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

describe('private data folder', () => {
  it('creates the folder 0700 and every file the app writes 0600 (database, WAL/SHM, exports, logs, lock, settings, simulator state)', async () => {
    const dataDir = path.join(harness.tempDir(), 'fresh');
    const engine = await harness.practice({}, dataDir);
    // harness.practice writes no settings into a fresh sub-folder: the app's own settings write is what we check.
    // Fast pace, no retries, all-day hours: with the defaults (1 call/s, retries) the batch took 17 s.
    const saved = await invokeOperation(engine.handlers(), 'settings/update', {
      callsPerSecond: 50,
      maxRetries: 0,
      callTimeoutSeconds: 10,
      callingHours: { start: '00:00', end: '23:59' },
    });
    expect(saved.ok).toBe(true);
    const release = lockDataDir(path.join(dataDir, 'lock-check'));
    const batchId = await sampleBatch(engine);
    await engine.batches.run(batchId, { waitSeconds: 20 });
    await engine.batches.exportLog(batchId, path.join(dataDir, 'exports', 'log.csv'));
    await until(() => fs.existsSync(path.join(dataDir, 'simulator-state.json')));

    expect(modeOf(dataDir)).toBe(0o700);
    const listed = modesUnder(dataDir);
    for (const name of ['reminder-desk.sqlite', 'reminder-desk.sqlite-wal', 'reminder-desk.sqlite-shm', 'exports/log.csv', 'logs/reminder-desk.log', 'settings.yaml', 'simulator-state.json', 'lock-check/engine.lock']) {
      expect(listed).toContain(`${name}: 0600`);
    }
    expect(listed.filter((line) => !line.endsWith(': 0600') && !line.endsWith(': 0700'))).toEqual([]);
    release();
  });

  it('fixes an install made before the rule when the engine opens it', async () => {
    const dataDir = harness.tempDir();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'settings.yaml'), 0o644);
    fs.writeFileSync(path.join(dataDir, 'reminder-desk.sqlite'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(dataDir, 'exports'), { mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, 'exports', 'old.csv'), 'name\nAda\n', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'exports', 'old.csv'), 0o644);
    fs.symlinkSync('/etc/hostname', path.join(dataDir, 'link-elsewhere'));
    const before = modeOf('/etc/hostname');

    await harness.open(dataDir);

    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'settings.yaml'))).toBe(0o600);
    expect(modeOf(path.join(dataDir, 'reminder-desk.sqlite'))).toBe(0o600);
    expect(modeOf(path.join(dataDir, 'exports'))).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'exports', 'old.csv'))).toBe(0o600);
    expect(modeOf('/etc/hostname')).toBe(before); // links are not followed
  });
});
