import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The fault runs start the real `reminder-desk` command (bin/ runs the CLI built into out/cli/): build it from
// the sources under test first, so a stale build is never what gets killed.
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '..', '..', 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
}
