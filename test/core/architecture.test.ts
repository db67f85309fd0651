import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The core runs under the CLI, the browser preview and Electron. The lint rule forbids importing electron there;
// this test proves it on the files themselves, so the rule cannot be silently switched off.
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const coreDir = path.resolve(__dirname, '../../src-main/core');

describe('architecture', () => {
  it('src-main/core never imports electron', () => {
    const files = sourceFiles(coreDir);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return /(from\s+|import\s*\(\s*|require\s*\(\s*)['"](electron|electron\/[^'"]*)['"]/.test(text) || /['"][./]+\/electron\//.test(text);
    });
    expect(offenders.map((f) => path.relative(coreDir, f))).toEqual([]);
  });

  it('the renderer imports nothing from the core but the API contract and domain types', () => {
    const rendererDir = path.resolve(__dirname, '../../src-renderer');
    // A renderer that moved or vanished must fail here, not pass with nothing checked.
    expect(fs.existsSync(rendererDir), `${rendererDir} is missing`).toBe(true);
    const files = sourceFiles(rendererDir);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.filter((file) => {
      const imports = [...fs.readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]*src-main[^'"]*)['"]/g)].map((m) => m[1]!);
      return imports.some((spec) => !/src-main\/core\/(api\/contract|domain)$/.test(spec));
    });
    expect(offenders).toEqual([]);
  });
});
