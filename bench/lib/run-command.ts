import { spawn } from 'node:child_process';

export interface CommandRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssMb: number | null;
}

/** Runs a command to its end; wall time from spawn to exit, and the peak RSS it reported (see report-rss.mjs). */
export function runCommand(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CommandRun> {
  const start = performance.now();
  const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const rss = /__maxrss_kb=(\d+)/.exec(stderr);
      resolve({ ms, code, stdout, stderr, maxRssMb: rss ? Number(rss[1]) / 1024 : null });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
