import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackServer, type CallbackServerOptions } from '../../../src-main/core/callbacks/callback-server';
import { EXCERPT_MARKER } from '../../../src-main/core/callbacks/inspector-excerpt';
import { configureLogging, type LogLevel } from '../../../src-main/core/logging/logger';
import { getCallAttempt, setAttemptConfirmation } from '../../../src-main/core/store/call-attempts';
import { callbackRequestsBytes, listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { listCallEvents } from '../../../src-main/core/store/status-events';
import { buildGatherReplyTwiml } from '../../../src-main/core/twilio/reminder-twiml';
import { AUTH_TOKEN, eventually, form, NOW, openTestStore, placeCalls, PUBLIC_BASE, STATUS_URL, statusParams, type TestStore } from './callback-fixtures';

// The public listener under the attacks of issue 9 (loopback only, bounded in count and time): the inspector
// cannot fill the disk, stalled bodies and forged signatures cannot starve valid callbacks, a captured keypad
// answer cannot be replayed, and rejected requests do not write a log line each.

let store: TestStore;
const servers: CallbackServer[] = [];
const sockets: net.Socket[] = [];
const agents: http.Agent[] = [];

beforeEach(() => {
  store = openTestStore();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) await server.stop();
  configureLogging({ sinks: [] });
  store.close();
});

async function startServer(overrides: Partial<CallbackServerOptions> = {}): Promise<{ server: CallbackServer; port: number }> {
  const server = new CallbackServer({
    db: store.db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [STATUS_URL],
    voice: {
      reminderTwiml: () => null,
      gatherTwiml(attemptId, digits) {
        const reply = buildGatherReplyTwiml(digits, {});
        if (reply.confirmation) setAttemptConfirmation(store.db, attemptId, reply.confirmation, new Date(NOW).toISOString());
        return reply.twiml;
      },
    },
    clock: () => NOW,
    stopTimeoutMs: 200,
    ...overrides,
  });
  servers.push(server);
  const { port } = await server.start();
  return { server, port };
}

function keepAliveAgent(maxSockets: number): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  agents.push(agent);
  return agent;
}

/** One POST; resolves with the status and how long the answer took. */
function post(port: number, path: string, body: string | Buffer, headers: Record<string, string>, agent?: http.Agent): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent: agent ?? false, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A valid, signed status callback for call `sid`. */
function validCallback(port: number, sid: string, sequence: number): Promise<{ status: number; ms: number }> {
  const params = statusParams(sid, sequence % 2 ? 'ringing' : 'initiated', sequence);
  return post(port, '/status', form(params), { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, params) });
}

/** A 55 KB form that is not Twilio's, unsigned. */
const BIG_UNSIGNED = `CallSid=CA${'f'.repeat(32)}&Junk=${'x'.repeat(55 * 1024)}`;

describe('9.1 the inspector cannot fill the disk', () => {
  it('2,000 unsigned 55 KB posts keep the inspector within its budget while valid callbacks are all acknowledged', { timeout: 60_000 }, async () => {
    const calls = placeCalls(store.db, 20);
    const budget = 512 * 1024;
    // No tarpit here (see 9.3): this test is about what reaches the disk, so every post is answered at once.
    const { port } = await startServer({ inspectorBudgetBytes: budget, rejectionTarpitMs: 0 });
    const agent = keepAliveAgent(16);
    let sent = 0;
    const statuses = new Map<number, number>();
    const attacker = async () => {
      while (sent < 2000) {
        sent += 1;
        const { status } = await post(port, '/status', BIG_UNSIGNED, {}, agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const valid = (async () => {
      const results = [];
      for (const [i, call] of calls.entries()) {
        results.push(await validCallback(port, call.callSid!, 1));
        await new Promise((r) => setTimeout(r, 10 + i));
      }
      return results;
    })();
    await Promise.all([...Array.from({ length: 16 }, attacker), valid]);
    expect(statuses.get(403)).toBe(2000);
    expect((await valid).map((r) => r.status)).toEqual(Array(20).fill(204));
    await eventually(() => listCallbackRequests(store.db, { limit: 5000 }).length > 0);

    // Within budget, every valid callback's row kept (rejected rows go first), rejected rows only as excerpts.
    expect(callbackRequestsBytes(store.db)).toBeLessThanOrEqual(budget);
    const rows = listCallbackRequests(store.db, { limit: 5000 });
    expect(rows.filter((r) => r.signatureVerdict === 'valid')).toHaveLength(20);
    const rejected = rows.filter((r) => r.signatureVerdict !== 'valid');
    expect(rejected.length).toBeGreaterThan(100);
    for (const row of rejected) {
      expect(JSON.stringify(row.params).length).toBeLessThan(1_000);
      expect(row.bodyBytes).toBe(Buffer.byteLength(BIG_UNSIGNED));
    }
    for (const call of calls) expect(listCallEvents(store.db, call.callSid!)).toHaveLength(1);
    // 110 MB were posted; the data folder holds a few MB at most (database + WAL).
    const folderBytes = fs.readdirSync(store.dir).reduce((sum, name) => sum + fs.statSync(`${store.dir}/${name}`).size, 0);
    expect(folderBytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('keeps no row of a rejected request while the disk is low, still stores valid callbacks, and says so', async () => {
    const [call] = placeCalls(store.db, 1);
    const { server, port } = await startServer({ checkDiskSpace: () => ({ freeBytes: 50 * 1024 * 1024, totalBytes: 1e10, low: true }) });
    expect(server.diskWarning()).toMatch(/^Low disk space: 50 MB free/);
    for (let i = 0; i < 20; i++) expect((await post(port, '/status', BIG_UNSIGNED, {})).status).toBe(403);
    expect((await validCallback(port, call!.callSid!, 1)).status).toBe(204);
    const rows = await eventually(() => (listCallbackRequests(store.db, { limit: 100 }).length === 1 ? listCallbackRequests(store.db, { limit: 100 }) : null));
    expect(rows[0]!.signatureVerdict).toBe('valid');
    expect(server.stats().rejectedSignatures).toBe(20);
  });

  it('keeps an excerpt of a rejected body, never the body itself', async () => {
    const { port } = await startServer();
    const params = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`Field${i}`, 'y'.repeat(1000)]));
    expect((await post(port, '/status', form(params), {})).status).toBe(403);
    const [row] = await eventually(() => (listCallbackRequests(store.db, { limit: 10 }).length ? listCallbackRequests(store.db, { limit: 10 }) : null));
    expect(row!.params![EXCERPT_MARKER]).toMatch(/more field\(s\) not kept/);
    expect(row!.params!.Field0!.length).toBeLessThan(100);
  });
});

/** Opens a connection that sends headers and the start of a chunked body, then nothing. */
function stalledBody(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nCallS\r\n');
      resolve(socket);
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
}

describe('9.2 slow bodies cannot starve valid callbacks', () => {
  it('80 stalled connections, reopened as they are cut, and 30 valid callbacks all acknowledged in under 1 s', { timeout: 30_000 }, async () => {
    const calls = placeCalls(store.db, 30);
    const { port } = await startServer();
    let stop = false;
    const keepStalling = async () => {
      while (!stop) {
        const socket = await stalledBody(port);
        await new Promise((resolve) => socket.once('close', resolve));
      }
    };
    const stallers = Array.from({ length: 80 }, keepStalling);
    await new Promise((r) => setTimeout(r, 100));
    const results = [];
    for (const call of calls) {
      results.push(await validCallback(port, call.callSid!, 1));
      await new Promise((r) => setTimeout(r, 50)); // spread over ~2 s: past the stalled bodies' 2 s deadline
    }
    stop = true;
    for (const socket of sockets) socket.destroy();
    await Promise.all(stallers);
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(204));
    expect(Math.max(...results.map((r) => r.ms)), results.map((r) => Math.round(r.ms)).join(',')).toBeLessThan(1_000);
  });
});

describe('9.3 forged signatures stay cheap', () => {
  it('30 forging connections (62 KB, 9,000 repeated values, Host tricks) and 20 valid callbacks all acknowledged in under 1 s', { timeout: 30_000 }, async () => {
    const calls = placeCalls(store.db, 21);
    const { server, port } = await startServer();
    // Two shapes: 9,000 repeated values (refused before any HMAC: more fields than any Twilio callback), and
    // 250 fields of 240 bytes, which go through the signature check (for a known CallSid: its registered URL).
    const manyValues = `CallSid=${calls[0]!.callSid}&${Array.from({ length: 9000 }, (_, i) => `X=${i}`).join('&')}`;
    const wideFields = `CallSid=${calls[0]!.callSid}&${Array.from({ length: 250 }, (_, i) => `F${i}=${'v'.repeat(240)}`).join('&')}`;
    expect(Math.min(manyValues.length, wideFields.length)).toBeGreaterThan(60_000);
    const headers = {
      'X-Twilio-Signature': Buffer.alloc(20, 7).toString('base64'),
      Host: 'evil.example:8443',
      'X-Forwarded-Host': 'a.example, b.example',
      'X-Original-Host': 'c.example:9',
    };
    // The attackers run in their own thread (see forging-worker.mjs), as they would on another machine.
    const worker = new Worker(new URL('../../helpers/forging-worker.mjs', import.meta.url), {
      workerData: { port, connections: 30, bodies: [manyValues, wideFields, wideFields], headers, path: '/status?x=1&y=2&z=3' },
    });
    const done = new Promise<Record<string, number>>((resolve, reject) => {
      worker.on('message', (message: { type: string; statuses?: Record<string, number> }) => {
        if (message.type === 'done') resolve(message.statuses!);
      });
      worker.on('error', reject);
    });
    await new Promise((resolve) => worker.once('message', resolve)); // the flood is on
    await validCallback(port, calls[20]!.callSid!, 1); // warm-up, not measured
    const results = [];
    for (const call of calls.slice(0, 20)) {
      results.push(await validCallback(port, call.callSid!, 1));
      await new Promise((r) => setTimeout(r, 25));
    }
    worker.postMessage('stop');
    const statuses = await done;
    await worker.terminate();
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect(Math.max(...results.map((r) => r.ms)), results.map((r) => Math.round(r.ms)).join(',')).toBeLessThan(1_000);
    expect(statuses['400']).toBeGreaterThan(0);
    expect(statuses['403']).toBeGreaterThan(30);
    expect(server.stats().rejectedSignatures).toBe(statuses['403']);
    // Only a sample was diagnosed (3 at once, then one per 10 s); the rest got the one cheap comparison.
    await server.stop();
    const reasons = listCallbackRequests(store.db, { limit: 100_000 }).filter((r) => r.signatureVerdict === 'invalid').map((r) => r.rejectionReason);
    expect(reasons).toHaveLength(statuses['403']!);
    expect(reasons.filter((r) => !/not diagnosed further/.test(r ?? '')).length).toBeLessThanOrEqual(3);
  });
});

describe('9.7 a replayed keypad answer changes nothing', () => {
  it('a captured, signed press-1 replayed after the patient pressed 2 and the call ended is ignored and shown in the inspector', async () => {
    const [call, other, unanswered] = placeCalls(store.db, 3);
    let now = NOW;
    const { port } = await startServer({ clock: () => now });
    const press = (attempt: typeof call, digits: string, sid = attempt!.callSid!) => {
      const params = { CallSid: sid, Digits: digits, CallStatus: 'in-progress' };
      const actionUrl = `${PUBLIC_BASE}/gather?attempt=${attempt!.id}`;
      return post(port, `/gather?attempt=${attempt!.id}`, form(params), { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, actionUrl, params) });
    };
    const status = (attempt: typeof call, callStatus: string, seq: number) => {
      const params = statusParams(attempt!.callSid!, callStatus, seq);
      return post(port, '/status', form(params), { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, params) });
    };
    expect((await status(call, 'in-progress', 2)).status).toBe(204);
    // Another call's CallSid, signed for this attempt's action URL: not this call.
    expect((await press(call, '1', other!.callSid!)).body).toContain('<Hangup/>');
    expect((await press(call, '2')).status).toBe(200);
    expect(getCallAttempt(store.db, call!.id)!.confirmation).toBe('cancelled');

    expect((await status(call, 'completed', 3)).status).toBe(204);
    const replay = await press(call, '1');
    expect(replay.status).toBe(200);
    expect(replay.body).toContain('<Hangup/>');
    expect(replay.body).not.toContain('confirmed');
    expect(getCallAttempt(store.db, call!.id)!.confirmation).toBe('cancelled');

    // A call nobody answered by keypad: a press replayed after the call ended (past the race allowance) is ignored.
    expect((await status(unanswered, 'completed', 3)).status).toBe(204);
    now = NOW + 10 * 60_000;
    expect((await press(unanswered, '1')).body).toContain('<Hangup/>');
    expect(getCallAttempt(store.db, unanswered!.id)!.confirmation).toBeNull();

    const gathers = await eventually(() => {
      const rows = listCallbackRequests(store.db, { limit: 100 }).filter((r) => r.path === '/gather');
      return rows.length === 4 ? rows : null;
    });
    expect(gathers.map((r) => [r.signatureVerdict, r.rejectionReason])).toEqual([
      ['valid', expect.stringContaining('not the call this attempt placed')],
      ['valid', null],
      ['valid', expect.stringContaining('already answered (cancelled)')],
      ['valid', expect.stringContaining('already ended (completed)')],
    ]);
  });
});

describe('9.8 rejected requests are summarised, not logged one by one', () => {
  it('300 rejected requests write no line each, and one summary line with the counts', async () => {
    const lines: { line: string; level: LogLevel }[] = [];
    configureLogging({ level: 'debug', sinks: [{ write: (line, level) => lines.push({ line, level }) }] });
    const { server, port } = await startServer({ rejectionLogIntervalMs: 60_000, rejectionTarpitMs: 0 });
    for (let i = 0; i < 100; i++) await post(port, '/status', 'CallSid=CA1', { 'X-Twilio-Signature': Buffer.alloc(20, i).toString('base64') });
    for (let i = 0; i < 100; i++) await post(port, '/status', 'CallSid=CA1', {});
    for (let i = 0; i < 100; i++) await post(port, '/nowhere', '', {});
    const warnings = () => lines.filter((l) => l.level === 'warn' || l.level === 'error');
    expect(warnings()).toEqual([]);
    await server.stop(); // flushes the summary
    expect(warnings()).toHaveLength(1);
    const summary = JSON.parse(warnings()[0]!.line) as { msg: string; rejected: Record<string, number> };
    expect(summary.msg).toMatch(/^Rejected 300 request/);
    expect(summary.rejected).toEqual({ '403 forged': 100, '403 unsigned': 100, '404': 100 });
  });
});
