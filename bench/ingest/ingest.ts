import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startChildServer, type ChildServer } from '../lib/child-server';
import { signedLoad, type LoadResult } from '../lib/signed-load';

// Callback ingest, side by side in one run, each receiver in its own process (the load generator in this one):
//   bare     node:http answering 204: the ceiling (no signature, no disk)
//   express  Express 5 + twilio.webhook() + one INSERT per request, WAL + synchronous=FULL, 2xx after commit
//   desk     `reminder-desk serve` (the real CLI), group-committed events + inspector rows, 2xx after commit
// Each gets a flat-out run and a run at a fixed 1,000 requests/s; then it is SIGKILLed and every callback it
// acknowledged is looked up in its database file.

export const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
export const PUBLIC_STATUS_URL = 'https://bench.example.test/status';
const REPO = path.resolve(import.meta.dirname, '..', '..');
const TSX = [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs')];

export interface IngestRun {
  receiver: 'bare' | 'express' | 'desk';
  label: string;
  flat: Omit<LoadResult, 'acknowledged'>;
  fixed: Omit<LoadResult, 'acknowledged'>;
  acknowledged: number;
  /** Acknowledged callbacks not found in the database after a SIGKILL (null: the receiver stores nothing). */
  missing: number | null;
}

export interface IngestConfig {
  connections: number;
  flatSeconds: number;
  fixedSeconds: number;
  fixedRate: number;
}

interface Receiver {
  receiver: IngestRun['receiver'];
  label: string;
  start(dir: string): Promise<ChildServer>;
  /** `${CallSid}/${SequenceNumber}` of every stored callback event. */
  stored(dir: string): Set<string> | null;
}

function readKeys(file: string, sql: string): Set<string> {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(db.prepare<[], { k: string }>(sql).all().map((r) => r.k));
  } finally {
    db.close();
  }
}

const RECEIVERS: Receiver[] = [
  {
    receiver: 'bare',
    label: 'bare node:http 204 (ceiling)',
    start: () => startChildServer(process.execPath, [...TSX, path.join(REPO, 'bench/ingest/bare-server.ts')], { ready: /listening on (\S+)/ }),
    stored: () => null,
  },
  {
    receiver: 'express',
    label: 'Express 5 + twilio.webhook() + INSERT',
    start: (dir) =>
      startChildServer(process.execPath, [...TSX, path.join(REPO, 'bench/express-baseline.ts'), path.join(dir, 'express.sqlite'), AUTH_TOKEN, PUBLIC_STATUS_URL], {
        ready: /listening on (\S+)/,
      }),
    stored: (dir) => readKeys(path.join(dir, 'express.sqlite'), "SELECT call_sid || '/' || sequence_number AS k FROM status_events"),
  },
  {
    receiver: 'desk',
    label: 'reminder-desk serve',
    start: (dir) => {
      const config = path.join(dir, 'settings.yaml');
      fs.writeFileSync(
        config,
        [
          'server:',
          '  host: 127.0.0.1',
          '  port: 0',
          'calling:',
          `  status_callback_url: ${PUBLIC_STATUS_URL}`,
          'tunnel:',
          '  provider: none',
          'twilio:',
          // Nothing is dialled in this run; should anything try, it stays on this computer.
          '  api_base_url: http://127.0.0.1:9',
          '',
        ].join('\n'),
      );
      const env: NodeJS.ProcessEnv = { ...process.env, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(31)}1`, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PHONE_NUMBER: '+15005550006' };
      delete env.NGROK_AUTHTOKEN;
      delete env.REMINDER_DESK_DATA_DIR;
      return startChildServer(process.execPath, [path.join(REPO, 'bin/reminder-desk.mjs'), 'serve', '--config', config, '--data-dir', path.join(dir, 'data')], {
        ready: /callback server on (http:\/\/127\.0\.0\.1:\d+)/,
        env,
      });
    },
    stored: (dir) =>
      readKeys(path.join(dir, 'data', 'reminder-desk.sqlite'), "SELECT call_sid || '/' || sequence_number AS k FROM status_events WHERE source = 'callback'"),
  },
];

function summary({ acknowledged: _a, ...rest }: LoadResult): Omit<LoadResult, 'acknowledged'> {
  return rest;
}

export async function benchIngest(work: string, config: IngestConfig, log: (line: string) => void): Promise<IngestRun[]> {
  const runs: IngestRun[] = [];
  let tag = 1;
  for (const receiver of RECEIVERS) {
    const dir = path.join(work, `ingest-${receiver.receiver}`);
    fs.mkdirSync(dir, { recursive: true });
    const server = await receiver.start(dir);
    let flat: LoadResult;
    let fixed: LoadResult;
    try {
      const url = `${server.url}/status`;
      const common = { url, signedUrl: PUBLIC_STATUS_URL, authToken: AUTH_TOKEN, connections: config.connections };
      // A short warm-up (JIT, page cache), not measured.
      await signedLoad({ ...common, durationSeconds: 1, runTag: tag++ });
      flat = await signedLoad({ ...common, durationSeconds: config.flatSeconds, runTag: tag++ });
      fixed = await signedLoad({ ...common, durationSeconds: config.fixedSeconds, overallRate: config.fixedRate, runTag: tag++ });
    } finally {
      // SIGKILL, not a clean stop: what was acknowledged must already be on disk.
      await server.stop('SIGKILL');
    }
    const stored = receiver.stored(dir);
    const acked = new Set([...flat.acknowledged, ...fixed.acknowledged]);
    const missing = stored ? [...acked].filter((key) => !stored.has(key)).length : null;
    runs.push({ receiver: receiver.receiver, label: receiver.label, flat: summary(flat), fixed: summary(fixed), acknowledged: acked.size, missing });
    log(
      `  ${receiver.label}: ${flat.rps.toFixed(0)} req/s flat out (p99 ${flat.p99} ms, non-2xx ${flat.non2xx}); at ${config.fixedRate}/s p50 ${fixed.p50} ms p99 ${fixed.p99} ms; missing ${missing ?? 'n/a'}`,
    );
  }
  return runs;
}
