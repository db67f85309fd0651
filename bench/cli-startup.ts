import path from 'node:path';
import { median, runCommand } from './lib/run-command';

// CLI start-up: `node bin/reminder-desk.mjs --version` (whatever the bin runs) vs a bare `node -e ""`,
// alternated so both see the same machine load; medians of `runs` each.

const REPO = path.resolve(import.meta.dirname, '..');

export interface StartupResult {
  runs: number;
  cliMs: number;
  bareMs: number;
  ratio: number;
}

export async function benchCliStartup(runs = 15): Promise<StartupResult> {
  const cli: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await runCommand(process.execPath, [path.join(REPO, 'bin/reminder-desk.mjs'), '--version']);
    if (run.code !== 0) throw new Error(`reminder-desk --version failed: ${run.stderr}`);
    cli.push(run.ms);
    bare.push((await runCommand(process.execPath, ['-e', ''])).ms);
  }
  const cliMs = median(cli);
  const bareMs = median(bare);
  return { runs, cliMs, bareMs, ratio: cliMs / bareMs };
}
