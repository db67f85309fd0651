import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { insertCallbackRequest } from '../../src-main/core/store/callback-requests';
import { closeDatabase, databaseFile, openDatabase } from '../../src-main/core/store/database';
import { BIN, cleanEnv, runCli, tempDataDir } from './cli-helpers';

const exec = promisify(execFile);

function seedInspector(dataDir: string, rows: number): void {
  const db = openDatabase(databaseFile(dataDir));
  const insert = db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insertCallbackRequest(db, {
        receivedAt: new Date(Date.UTC(2026, 10, 25, 9, 0, 0, i)).toISOString(),
        method: 'POST',
        path: '/status',
        query: '',
        headers: {},
        params: { CallSid: `CA${String(i).padStart(32, '0')}`, CallStatus: 'ringing' },
        callSid: `CA${String(i).padStart(32, '0')}`,
        signatureVerdict: 'valid',
        rejectionReason: null,
        responseStatus: 204,
        latencyMs: 1,
      });
    }
  });
  insert();
  closeDatabase(db);
}

describe('the built CLI', () => {
  it('runs built JavaScript: the bin loads out/cli, never TypeScript', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bin = await import('node:fs').then((fs) => fs.readFileSync(BIN, 'utf8'));
    expect(bin).toContain('out/cli/main.js');
    expect(bin).not.toMatch(/tsx|\.ts['"]/);
  });

  it('flushes every line into a slow pipe before exiting (callbacks --json --limit 5000 | (sleep 2; wc -l))', async () => {
    const dataDir = tempDataDir();
    seedInspector(dataDir, 5000);
    const command = `"${process.execPath}" "${BIN}" --data-dir "${dataDir}" callbacks --json --limit 5000 | (sleep 2; wc -l)`;
    const { stdout } = await exec('bash', ['-c', command], { env: cleanEnv(), cwd: path.dirname(BIN) });
    expect(Number(stdout.trim())).toBe(5000);
  });
});

describe('reminder-desk sample', () => {
  it('writes the practice sample moved to the coming days, so run --simulate has appointments ahead to call', async () => {
    const dataDir = tempDataDir();
    const out = path.join(dataDir, 'sample.csv');
    const result = await runCli(['--data-dir', dataDir, 'sample', '--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const days = [...fs.readFileSync(out, 'utf8').matchAll(/\b\d{4}-\d{2}-\d{2}\b/g)].map((m) => Date.parse(`${m[0]}T23:59:59Z`));
    expect(days.length).toBe(8);
    for (const day of days) expect(day).toBeGreaterThan(Date.now());
  });
});
