// store/private-files.ts on its own: what the data folder's privacy rule changes and what it must leave alone.
// The engine's use of it (a fresh install, an old one fixed on open) is test/core/engine/private-data-folder.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile, secureDataDir } from '../../../src-main/core/store/private-files';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-private-'));
  dirs.push(dir);
  return dir;
}

const modeOf = (file: string): number => fs.lstatSync(file).mode & 0o777;

/** Writes `name` under dir with `mode`, whatever the umask. */
function fileWithMode(dir: string, name: string, mode: number): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
  fs.chmodSync(file, mode);
  return file;
}

describe('private files', () => {
  it('ensurePrivateDir creates missing parents 0700 and makes an existing folder 0700', () => {
    const root = tempDir();
    const nested = path.join(root, 'a', 'b');
    ensurePrivateDir(nested);
    expect(modeOf(nested)).toBe(0o700);
    const open = path.join(root, 'open');
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    ensurePrivateDir(open);
    expect(modeOf(open)).toBe(0o700);
  });

  it('ensurePrivateFile creates an empty 0600 file, and makes an existing one 0600 without touching its content', () => {
    const dir = tempDir();
    const fresh = path.join(dir, 'fresh.sqlite');
    ensurePrivateFile(fresh);
    expect({ mode: modeOf(fresh), size: fs.statSync(fresh).size }).toEqual({ mode: 0o600, size: 0 });
    const old = fileWithMode(dir, 'old.sqlite', 0o644);
    ensurePrivateFile(old);
    expect({ mode: modeOf(old), content: fs.readFileSync(old, 'utf8') }).toEqual({ mode: 0o600, content: 'x' });
  });

  it('secureDataDir narrows what others could read, counts each change, and leaves narrower modes as they are', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    const settings = fileWithMode(dir, 'settings.yaml', 0o644);
    const log = fileWithMode(dir, 'logs/reminder-desk.log', 0o664);
    fs.chmodSync(path.join(dir, 'logs'), 0o775);
    const readOnly = fileWithMode(dir, 'exports/kept.csv', 0o400);
    fs.chmodSync(path.join(dir, 'exports'), 0o700);

    // settings.yaml, logs/, logs/reminder-desk.log changed; exports/ and its 0400 file were already private.
    expect(secureDataDir(dir)).toBe(3);
    expect([modeOf(dir), modeOf(settings), modeOf(path.join(dir, 'logs')), modeOf(log), modeOf(path.join(dir, 'exports')), modeOf(readOnly)]).toEqual([
      0o700, 0o600, 0o700, 0o600, 0o700, 0o400,
    ]);
    expect(secureDataDir(dir)).toBe(0); // nothing left to change
  });

  it('never follows a symbolic link out of the data folder, and stops at a depth no folder of ours reaches', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    const outside = fileWithMode(elsewhere, 'not-ours.txt', 0o644);
    fs.symlinkSync(outside, path.join(dir, 'link-to-file'));
    fs.symlinkSync(elsewhere, path.join(dir, 'link-to-folder'));
    const atLimit = fileWithMode(dir, 'a/b/c/d/at-limit.txt', 0o644);
    const deep = fileWithMode(dir, 'a/b/c/d/e/deep.txt', 0o644);

    secureDataDir(dir);
    expect(modeOf(outside)).toBe(0o644);
    expect(modeOf(atLimit)).toBe(0o600); // four folders down: still ours
    expect(modeOf(path.join(dir, 'a/b/c/d/e'))).toBe(0o700); // the folder itself is narrowed...
    expect(modeOf(deep)).toBe(0o644); // ...but nothing is read below it
  });
});
