import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The architecture rules live in .dependency-cruiser.cjs (no import cycles, a plain-Node core, a renderer that sees
// only the contract and the vocabulary, SQL only in store/). `npm test` runs them (`npm run deps`); these tests prove
// the rules hold on the tree and that each rule really catches what it names, so it cannot be silently weakened.

const exec = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const DEPCRUISE = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function violations(paths: string[]): Promise<Violation[]> {
  const { stdout } = await exec(process.execPath, [DEPCRUISE, ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: REPO,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

describe('architecture', () => {
  it('the source tree breaks no dependency rule', async () => {
    expect(fs.existsSync(path.join(REPO, 'src-renderer'))).toBe(true);
    expect(await violations(['src-main', 'src-renderer'])).toEqual([]);
  }, 60_000);

  it('each rule catches what it names: a cycle, electron in the core, a renderer reaching into the core, SQLite outside store/', async () => {
    const dir = fs.mkdtempSync(path.join(REPO, 'src-main', 'core', '.arch-fixture-'));
    const rendererFile = path.join(REPO, 'src-renderer', 'src', `.arch-fixture-${path.basename(dir)}.ts`);
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = (): unknown => b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = (): unknown => a;\n");
      fs.writeFileSync(path.join(dir, 'shell.ts'), "import { app } from 'electron';\nexport const shell = app;\n");
      fs.writeFileSync(path.join(dir, 'sql.ts'), "import Database from 'better-sqlite3';\nexport const sql = Database;\n");
      fs.writeFileSync(rendererFile, "import { Engine } from '../../src-main/core/engine';\nexport const leak = Engine;\n");
      const found = await violations([path.relative(REPO, dir), path.relative(REPO, rendererFile)]);
      expect(new Set(found.map((v) => v.rule.name))).toEqual(new Set(['no-circular', 'core-is-plain-node', 'sql-only-in-store', 'renderer-sees-only-the-contract']));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(rendererFile, { force: true });
    }
  }, 60_000);

  it('SQL statements are written only in store/ (one module per table)', () => {
    const mainDir = path.join(REPO, 'src-main');
    const offenders = sourceFiles(mainDir)
      .filter((file) => !file.includes(`${path.sep}core${path.sep}store${path.sep}`))
      .filter((file) => /\.prepare\s*[<(]|\bdb\.(exec|pragma)\s*\(/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(REPO, file));
    expect(offenders).toEqual([]);
  });
});
