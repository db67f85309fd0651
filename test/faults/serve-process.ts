import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import twilio from 'twilio';

// `reminder-desk serve` as a child process (the real CLI, real database file), with a Twilio auth token in its
// environment and the clinic's own status URL in settings, so a test can post callbacks signed like Twilio's.

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const AUTH_TOKEN = 'faults-auth-token-0123456789abcdef';
export const STATUS_URL = 'https://faults.example.test/status';

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

export function writeServeSettings(dir: string): string {
  const file = path.join(dir, 'settings.yaml');
  fs.writeFileSync(
    file,
    ['server:', '  host: 127.0.0.1', '  port: 0', 'calling:', `  status_callback_url: ${STATUS_URL}`, 'tunnel:', '  provider: none', 'twilio:', '  api_base_url: http://127.0.0.1:9', ''].join('\n'),
  );
  return file;
}

export function startServe(dir: string, timeoutMs = 60_000): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(31)}1`, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: '+15005550006' };
  for (const key of ['NGROK_AUTHTOKEN', 'REMINDER_DESK_DATA_DIR', 'CI']) delete env[key];
  const child = spawn(process.execPath, [path.join(REPO, 'bin/reminder-desk.mjs'), 'serve', '--config', path.join(dir, 'settings.yaml'), '--data-dir', path.join(dir, 'data')], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in time:\n${output}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /callback server on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, port: Number(match[1]), exited });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });
}

export function callbackParams(callSid: string, sequenceNumber: number): Record<string, string> {
  const statuses = ['initiated', 'ringing', 'in-progress', 'completed'];
  return {
    AccountSid: `AC${'0'.repeat(31)}1`,
    CallSid: callSid,
    CallStatus: statuses[sequenceNumber % 4]!,
    SequenceNumber: String(sequenceNumber),
    Timestamp: new Date().toUTCString(),
  };
}

/** Posts one signed status callback; resolves with the status code, or null when the connection died. */
export function postCallback(port: number, agent: http.Agent, params: Record<string, string>): Promise<number | null> {
  const body = new URLSearchParams(params).toString();
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, params);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/status',
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), 'X-Twilio-Signature': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}
