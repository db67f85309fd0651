import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { compareFuses, expectedFuses, FUSE_INDEX } from '../../scripts/lib/fuse-check.mjs';

// The post-signing check, run by the real @electron/fuses reader against a file laid out like an Electron
// binary's fuse wire (the sentinel, version 1, length, one byte per fuse): the Electron runtime is not here.

const REPO = path.resolve(import.meta.dirname, '../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;
const builderConfig = YAML.parse(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };

/** A fake executable whose fuse wire is set as `fuses` says (names as in electron-builder.yml). */
function fakeElectronBinary(dir: string, fuses: Record<string, boolean>): string {
  const wire = Buffer.alloc(8, OFF);
  for (const [name, on] of Object.entries(fuses)) wire[FUSE_INDEX[name]!] = on ? ON : OFF;
  const file = path.join(dir, 'Reminder Desk.exe');
  fs.writeFileSync(file, Buffer.concat([Buffer.from('MZ…padding…'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.from('…rest of the binary')]));
  return file;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-fuses-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const checkFuses = (...args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(REPO, 'scripts/check-fuses.mjs'), ...args], { cwd: REPO }).then(
    (result) => ({ code: 0, stdout: result.stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: `${error.stdout}${error.stderr}` }),
  );

describe('the post-signing fuse check', () => {
  it('expects what electron-builder.yml flips', () => {
    expect(expectedFuses(builderConfig)).toEqual({
      runAsNode: 'off',
      enableCookieEncryption: 'on',
      enableNodeOptionsEnvironmentVariable: 'off',
      enableNodeCliInspectArguments: 'off',
      enableEmbeddedAsarIntegrityValidation: 'on',
      onlyLoadAppFromAsar: 'on',
    });
    expect(compareFuses({ runAsNode: 'off' }, { version: '1' })).toEqual([{ fuse: 'runAsNode', expected: 'off', actual: 'missing', ok: false }]);
  });

  it('passes a binary whose wire matches electron-builder.yml', async () => {
    const result = await checkFuses('--app', fakeElectronBinary(dir, builderConfig.electronFuses));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('All fuses as configured');
  });

  it('fails when signing left a fuse different, and says how to rebuild for Windows', async () => {
    const result = await checkFuses('--app', fakeElectronBinary(dir, { ...builderConfig.electronFuses, enableEmbeddedAsarIntegrityValidation: false }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL enableEmbeddedAsarIntegrityValidation: expected on, found off');
    expect(result.stdout).toContain('-c.electronFuses.enableEmbeddedAsarIntegrityValidation=false');
  });

  it('accepts integrity validation off when the Windows build was made without it', async () => {
    const app = fakeElectronBinary(dir, { ...builderConfig.electronFuses, enableEmbeddedAsarIntegrityValidation: false });
    expect((await checkFuses('--app', app, '--without-asar-integrity')).code).toBe(0);
  });

  it('fails when the wire cannot be found at all', async () => {
    const file = path.join(dir, 'broken.exe');
    fs.writeFileSync(file, 'no sentinel here');
    const result = await checkFuses('--app', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Could not read the fuses/);
  });
});
