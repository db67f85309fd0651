import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import twilio from 'twilio';
import { upsertAppointments } from '../../../src-main/core/store/appointments';
import { createBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import { closeDatabase, databaseFile, openDatabase, type Db } from '../../../src-main/core/store/database';
import { recordCallPlaced } from '../../../src-main/core/store/status-events';
import type { CallAttempt } from '../../../src-main/core/domain';

// Shared set-up for the callback tests: a real SQLite file in a temp dir, calls placed the way the dispatcher
// places them, and a raw HTTP client that signs like Twilio (node:http, so Host and other headers are ours to set).

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const PUBLIC_BASE = 'https://abc.ngrok-free.app';
export const STATUS_URL = `${PUBLIC_BASE}/status`;
export const NOW = Date.parse('2026-11-24T09:00:00.000Z');

export interface TestStore {
  db: Db;
  file: string;
  dir: string;
  close(): void;
}

export function openTestStore(): TestStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-callbacks-'));
  const file = databaseFile(dir);
  const db = openDatabase(file);
  return {
    db,
    file,
    dir,
    close() {
      closeDatabase(db);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, '0')}`;
}

/** Creates `count` appointments in one batch and dials each (state `dialing`, URLs registered), without a SID yet. */
export function dialCalls(db: Db, count: number, opts: { statusCallbackUrl?: string | null; publicBase?: string } = {}): CallAttempt[] {
  const at = new Date(NOW).toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    dedupeKey: `id:${i}:${Math.random()}`,
    externalId: null,
    name: `Patient ${i}`,
    phoneNumber: `+1415555${String(1000 + i).padStart(4, '0')}`,
    email: null,
    appointmentAt: '2026-11-25T09:30:00-05:00',
    location: null,
  }));
  const { ids } = upsertAppointments(db, rows, null, at);
  const batch = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date(NOW) });
  const base = opts.publicBase ?? PUBLIC_BASE;
  for (const attempt of listBatchAttempts(db, batch.id)) {
    markDialing(db, attempt.id, {
      statusCallbackUrl: opts.statusCallbackUrl === undefined ? STATUS_URL : opts.statusCallbackUrl,
      twimlUrl: `${base}/twiml?attempt=${attempt.id}`,
      from: '+15005550006',
      to: '+14155551000',
      now: at,
    });
  }
  return listBatchAttempts(db, batch.id);
}

/** Dials and stores a SID for each call (attempt i gets callSid(i + offset)). */
export function placeCalls(db: Db, count: number, offset = 1): CallAttempt[] {
  return dialCalls(db, count).map((attempt, i) => recordCallPlaced(db, attempt.id, callSid(i + offset), new Date(NOW).toISOString()));
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface PostOptions {
  /** The URL Twilio signed; omit to send no signature. */
  signUrl?: string;
  token?: string;
  signature?: string;
  headers?: Record<string, string>;
  contentType?: string | null;
  method?: string;
  body?: string;
  /** Runs when the response headers arrive, before the body is read (to look at the database at that moment). */
  onResponse?: (res: http.IncomingMessage) => void;
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function request(port: number, target: string, params: Record<string, string>, opts: PostOptions = {}): Promise<RawResponse> {
  const body = opts.body ?? form(params);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.contentType !== null) headers['Content-Type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
  if (opts.signature !== undefined) headers['X-Twilio-Signature'] = opts.signature;
  else if (opts.signUrl !== undefined) headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(opts.token ?? AUTH_TOKEN, opts.signUrl, params);
  const method = opts.method ?? 'POST';
  if (method !== 'GET' && method !== 'HEAD') headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers, agent: false }, (res) => {
      opts.onResponse?.(res);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(method === 'GET' || method === 'HEAD' ? undefined : body);
  });
}

/** Twilio's status callback parameters for one event of a call. */
export function statusParams(sid: string, callStatus: string, sequenceNumber: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: 'AC00000000000000000000000000000001',
    ApiVersion: '2010-04-01',
    CallSid: sid,
    CallStatus: callStatus,
    CallbackSource: 'call-progress-events',
    Called: '+14155551000',
    Caller: '+15005550006',
    Direction: 'outbound-api',
    From: '+15005550006',
    To: '+14155551000',
    SequenceNumber: String(sequenceNumber),
    Timestamp: new Date(NOW + sequenceNumber * 5000).toUTCString().replace('GMT', '+0000'),
    ...extra,
  };
}

/** Polls until `check` returns a value (the inspector is written right after the response, not before). */
export async function eventually<T>(check: () => T | null | undefined | false, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
