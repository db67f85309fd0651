import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(REPO, 'bin', 'reminder-desk.mjs');
export const SAMPLE_CSV = path.join(REPO, 'resources', 'sample-appointments.csv');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An environment with no Twilio or ngrok secrets leaking in from the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'NGROK_AUTHTOKEN', 'REMINDER_DESK_DATA_DIR']) delete env[key];
  return { ...env, ...extra };
}

export function spawnCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temp data dir with a settings.yaml for fast, port-0 runs. */
export function tempDataDir(settingsYaml = FAST_SETTINGS): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-cli-'));
  fs.writeFileSync(path.join(dir, 'settings.yaml'), settingsYaml);
  return dir;
}

export const FAST_SETTINGS = `# fast test settings
server:
  port: 0
calling:
  calls_per_second: 50
scheduling:
  timezone: America/New_York
simulator:
  time_scale: 0.01
`;
