import net from 'node:net';
import Database from 'better-sqlite3';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CallbackServer,
  LAST_REJECTION_REASON_KEY,
  REJECT_REASON_HEADER,
  REJECTED_SIGNATURES_KEY,
  SELF_TEST_HEADER,
  type CallbackServerOptions,
} from '../../../src-main/core/callbacks/callback-server';
import { MISSING_AUTH_TOKEN_REASON, MISSING_SIGNATURE_REASON, NO_MATCH_REASON } from '../../../src-main/core/callbacks/signature-diagnostics';
import { getCounter, getMeta } from '../../../src-main/core/store/app-meta';
import { getCallAttempt, setAttemptConfirmation } from '../../../src-main/core/store/call-attempts';
import { listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { countOrphanEvents, listCallEvents, recordCallPlaced, type RecordResult, type StatusEventInput } from '../../../src-main/core/store/status-events';
import { buildGatherReplyTwiml, buildReminderTwiml } from '../../../src-main/core/twilio/reminder-twiml';
import {
  AUTH_TOKEN,
  callSid,
  dialCalls,
  eventually,
  NOW,
  openTestStore,
  placeCalls,
  request,
  STATUS_URL,
  statusParams,
  type TestStore,
} from './callback-fixtures';
import { derivedCallState } from '../../helpers/call-state';

let store: TestStore;
const servers: CallbackServer[] = [];

beforeEach(() => {
  store = openTestStore();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  store.close();
});

interface Harness {
  server: CallbackServer;
  port: number;
  recorded: { result: RecordResult; event: StatusEventInput }[];
  rejected: { count: number; reason: string | null; path: string }[];
  gatherUrls: Map<number, string>;
}

async function startServer(overrides: Partial<CallbackServerOptions> = {}): Promise<Harness> {
  const recorded: Harness['recorded'] = [];
  const rejected: Harness['rejected'] = [];
  const gatherUrls = new Map<number, string>();
  const server = new CallbackServer({
    db: store.db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [STATUS_URL, 'https://old-tunnel.ngrok-free.app/status'],
    voice: {
      // Simple hooks for the test: the real ones (the engine's) render the appointment's message.
      reminderTwiml(attemptId, gatherActionUrl) {
        if (!getCallAttempt(store.db, attemptId)?.callSid) return null;
        gatherUrls.set(attemptId, gatherActionUrl);
        return buildReminderTwiml({ message: 'This is a reminder of your appointment.', gatherActionUrl });
      },
      gatherTwiml(attemptId, digits) {
        const reply = buildGatherReplyTwiml(digits, { gatherActionUrl: gatherUrls.get(attemptId) ?? null });
        if (reply.confirmation) setAttemptConfirmation(store.db, attemptId, reply.confirmation, new Date(NOW).toISOString());
        return reply.twiml;
      },
    },
    onStatusRecorded: (result, event) => recorded.push({ result, event }),
    onRejected: (info) => rejected.push(info),
    clock: () => NOW,
    ...overrides,
  });
  servers.push(server);
  const { port, localUrl } = await server.start();
  expect(localUrl).toBe(`http://127.0.0.1:${port}`);
  return { server, port, recorded, rejected, gatherUrls };
}

function inspectorRows(callSidFilter?: string) {
  return listCallbackRequests(store.db, { limit: 1000, callSid: callSidFilter });
}

describe('status callbacks and signatures', () => {
  it('accepts a callback signed for the exact URL registered on the call and stores it before answering 204', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port, server, recorded } = await startServer();
    const other = new Database(store.file, { readonly: true });
    let eventsWhenAnswered = -1;
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), {
      signUrl: STATUS_URL,
      // Another connection, at the moment the response arrives: the commit must already be visible.
      onResponse: () => {
        eventsWhenAnswered = (other.prepare('SELECT COUNT(*) AS n FROM status_events').get() as { n: number }).n;
      },
    });
    other.close();
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(eventsWhenAnswered).toBe(1);
    expect(getCallAttempt(store.db, attempt!.id)).toMatchObject({ status: 'ringing', statusSource: 'callback', lastSequenceNumber: 1 });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.result).toMatchObject({ stored: true, applied: true });
    expect(server.stats()).toEqual({ rejectedSignatures: 0, lastCallbackAt: new Date(NOW).toISOString(), rejectionReason: null });
  });

  it('rejects a wrong token with 403, counts it persistently, stores no event and says to check the token', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port, server, rejected } = await startServer();
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'completed', 3), { signUrl: STATUS_URL, token: 'someone-elses-token' });
    expect(res.status).toBe(403);
    expect(res.body).toBe('');
    expect(res.headers[REJECT_REASON_HEADER.toLowerCase()]).toBeUndefined();
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
    expect(getCallAttempt(store.db, attempt!.id)!.status).toBeNull();
    expect(server.stats()).toMatchObject({ rejectedSignatures: 1, rejectionReason: NO_MATCH_REASON, lastCallbackAt: null });
    expect(rejected).toEqual([{ count: 1, reason: NO_MATCH_REASON, path: '/status' }]);
    await eventually(() => getCounter(store.db, REJECTED_SIGNATURES_KEY) === 1);
    expect(getMeta(store.db, LAST_REJECTION_REASON_KEY)).toBe(NO_MATCH_REASON);

    // The count and the reason survive a restart.
    await server.stop();
    const again = await startServer();
    expect(again.server.stats()).toMatchObject({ rejectedSignatures: 1, rejectionReason: NO_MATCH_REASON });
  });

  it('names both URLs when Twilio signs https but the call was registered with http', async () => {
    const registered = 'http://abc.ngrok-free.app/status';
    const [dialled] = dialCalls(store.db, 1, { statusCallbackUrl: registered });
    recordCallPlaced(store.db, dialled!.id, callSid(7), new Date(NOW).toISOString());
    const { port, server } = await startServer();
    const res = await request(port, '/status', statusParams(callSid(7), 'ringing', 1), { signUrl: 'https://abc.ngrok-free.app/status' });
    expect(res.status).toBe(403);
    const reason =
      'Callbacks are being rejected: Twilio signs https://abc.ngrok-free.app/status but this server expects http://abc.ngrok-free.app/status.';
    expect(server.stats()).toMatchObject({ rejectedSignatures: 1, rejectionReason: reason });
    const row = await eventually(() => inspectorRows(callSid(7))[0]);
    expect(row).toMatchObject({ signatureVerdict: 'invalid', rejectionReason: reason, responseStatus: 403 });
  });

  it('never validates against a URL rebuilt from the Host header', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer();
    const local = `http://127.0.0.1:${port}/status`;
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), { signUrl: local });
    expect(res.status).toBe(403);
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
  });

  it('only accepts the URL registered on that call, not another known one', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer();
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), { signUrl: 'https://old-tunnel.ngrok-free.app/status' });
    expect(res.status).toBe(403);
  });

  it('rejects a request without a signature, and every request when no auth token is set', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const first = await startServer();
    const missing = await request(first.port, '/status', statusParams(attempt!.callSid!, 'ringing', 1));
    expect(missing.status).toBe(403);
    expect(first.server.stats().rejectionReason).toBe(MISSING_SIGNATURE_REASON);
    await eventually(() => inspectorRows()[0]?.signatureVerdict === 'missing');

    const noToken = await startServer({ getAuthToken: () => null });
    const res = await request(noToken.port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), { signUrl: STATUS_URL });
    expect(res.status).toBe(403);
    expect(noToken.server.stats()).toMatchObject({ rejectedSignatures: 2, rejectionReason: MISSING_AUTH_TOKEN_REASON });
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
  });

  it('answers 400 to an unknown CallStatus but keeps the request in the inspector', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer();
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'teleported', 1), { signUrl: STATUS_URL });
    expect(res.status).toBe(400);
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
    const row = await eventually(() => inspectorRows()[0]);
    expect(row).toMatchObject({ responseStatus: 400, signatureVerdict: 'valid', callSid: attempt!.callSid });
    expect(row.rejectionReason).toContain('unknown call status "teleported"');
  });

  it('answers 500 and acknowledges nothing when the database cannot store the event', async () => {
    const [attempt] = placeCalls(store.db, 1);
    store.db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON status_events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const { port, server, recorded } = await startServer();
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'completed', 3, { CallDuration: '12' }), { signUrl: STATUS_URL });
    expect(res.status).toBe(500);
    expect(res.body).toBe('');
    expect(listCallEvents(store.db, attempt!.callSid!)).toEqual([]);
    expect(getCallAttempt(store.db, attempt!.id)!.status).toBeNull();
    expect(recorded).toEqual([]);
    expect(server.stats().lastCallbackAt).toBeNull();
  });

  it('keeps a callback for an unknown CallSid as an orphan, adopted once the SID is stored', async () => {
    const [dialled] = dialCalls(store.db, 1);
    const sid = callSid(42);
    const { port, recorded } = await startServer();
    const ringing = await request(port, '/status', statusParams(sid, 'ringing', 1), { signUrl: STATUS_URL });
    const answered = await request(port, '/status', statusParams(sid, 'in-progress', 2, { AnsweredBy: 'human' }), {
      signUrl: 'https://old-tunnel.ngrok-free.app/status',
    });
    expect([ringing.status, answered.status]).toEqual([204, 204]);
    expect(countOrphanEvents(store.db)).toBe(2);
    expect(recorded.map((r) => r.result.attempt)).toEqual([null, null]);

    // An orphan must still be signed for a URL this installation registered.
    const forged = await request(port, '/status', statusParams(callSid(43), 'completed', 3), { signUrl: 'https://evil.example/status' });
    expect(forged.status).toBe(403);
    expect(countOrphanEvents(store.db)).toBe(2);

    const placed = recordCallPlaced(store.db, dialled!.id, sid, new Date(NOW).toISOString());
    expect(placed).toMatchObject({ status: 'in-progress', answered: true, answeredBy: 'human', lastSequenceNumber: 2 });
    expect(countOrphanEvents(store.db)).toBe(0);
  });
});

describe('self-test contract', () => {
  it('echoes the SelfTest value on a valid request and stores no status event', async () => {
    const { port, server } = await startServer();
    const params = { CallSid: 'CAselftest', SelfTest: 'nonce-123' };
    const res = await request(port, '/status', params, { signUrl: STATUS_URL });
    expect(res.status).toBe(200);
    expect(res.headers[SELF_TEST_HEADER.toLowerCase()]).toBe('nonce-123');
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM status_events').get()).toEqual({ n: 0 });
    expect(server.stats()).toMatchObject({ rejectedSignatures: 0, lastCallbackAt: null });

    // A self-test through an older public URL still proves the path works.
    const old = await request(port, '/status', params, { signUrl: 'https://old-tunnel.ngrok-free.app/status' });
    expect(old.status).toBe(200);
  });

  it('puts the plain reason in a header when a self-test is rejected', async () => {
    const { port } = await startServer({ knownStatusCallbackUrls: () => ['http://abc.ngrok-free.app/status'] });
    const res = await request(port, '/status', { SelfTest: 'n-1' }, { signUrl: 'https://abc.ngrok-free.app/status' });
    expect(res.status).toBe(403);
    expect(res.headers[SELF_TEST_HEADER.toLowerCase()]).toBeUndefined();
    expect(res.headers[REJECT_REASON_HEADER.toLowerCase()]).toBe(
      'Callbacks are being rejected: Twilio signs https://abc.ngrok-free.app/status but this server expects http://abc.ngrok-free.app/status.',
    );
  });
});

describe('convergence over HTTP', () => {
  /** Deterministic PRNG (mulberry32) so a failing permutation can be reproduced from its seed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled<T>(items: readonly T[], next: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  const scenarios: Record<string, (sid: string) => Record<string, string>[]> = {
    answered: (sid) => [
      statusParams(sid, 'initiated', 0),
      statusParams(sid, 'ringing', 1),
      statusParams(sid, 'in-progress', 2, { AnsweredBy: 'human' }),
      statusParams(sid, 'completed', 3, { CallDuration: '42', Duration: '1' }),
    ],
    busy: (sid) => [statusParams(sid, 'initiated', 0), statusParams(sid, 'ringing', 1), statusParams(sid, 'busy', 2, { CallDuration: '0' })],
    failed: (sid) => [statusParams(sid, 'initiated', 0), statusParams(sid, 'failed', 1, { ErrorCode: '31005', ErrorMessage: 'Connection error' })],
  };

  function derived(attemptId: number) {
    const a = getCallAttempt(store.db, attemptId)!;
    return { ...derivedCallState(a), updatedAt: a.updatedAt };
  }

  it('shuffled and duplicated callbacks, sent concurrently, end in the same state as in order', async () => {
    const permutations = 12;
    const names = Object.keys(scenarios);
    const attempts = placeCalls(store.db, names.length * (permutations + 1));
    const { port } = await startServer();
    const post = (params: Record<string, string>) => request(port, '/status', params, { signUrl: STATUS_URL });

    for (const [s, name] of names.entries()) {
      const base = attempts[s * (permutations + 1)]!;
      for (const params of scenarios[name]!(base.callSid!)) expect((await post(params)).status).toBe(204);
      const expected = derived(base.id);
      expect(expected.isFinal).toBe(true);

      for (let p = 1; p <= permutations; p += 1) {
        const seed = s * 1000 + p;
        const next = random(seed);
        const attempt = attempts[s * (permutations + 1) + p]!;
        const events = scenarios[name]!(attempt.callSid!);
        const withDuplicates = [...events, ...events.filter(() => next() < 0.5)];
        const order = shuffled(withDuplicates, next);
        const statuses = await Promise.all(order.map(post));
        expect(statuses.map((r) => r.status), `seed ${seed}`).toEqual(order.map(() => 204));
        expect(derived(attempt.id), `${name}, seed ${seed}`).toEqual(expected);
        expect(listCallEvents(store.db, attempt.callSid!)).toHaveLength(events.length);
      }
    }
  });
});

describe('the public surface', () => {
  it('404s unknown paths, 405s wrong methods, 415s non-form bodies', async () => {
    const { port } = await startServer();
    for (const target of ['/', '/admin', '/status.json', '/api/batches', '/../etc/passwd', '/twiml/extra']) {
      const res = await request(port, target, {}, { signUrl: STATUS_URL });
      expect(res.status, target).toBe(404);
      expect(res.body, target).toBe('');
    }
    const get = await request(port, '/status', {}, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const options = await request(port, '/status', {}, { method: 'OPTIONS', contentType: null });
    expect(options.status).toBe(405);
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
    const json = await request(port, '/status', {}, { contentType: 'application/json', body: '{"CallSid":"CA1"}' });
    expect(json.status).toBe(415);
    // A request target URL parsing chokes on is answered, not thrown.
    const odd = await rawExchange(port, 'POST http://[bad/status HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    expect(odd).toMatch(/^HTTP\/1\.1 400 /);
    // /twiml without a usable attempt id does not exist.
    expect((await request(port, '/twiml?attempt=abc', {}, {})).status).toBe(404);
    expect((await request(port, '/gather', {}, {})).status).toBe(404);
  });

  it('413s a body announced too large, and one streamed past the limit without a length', async () => {
    const { port } = await startServer({ maxBodyBytes: 1024 });
    const announced = await rawExchange(port, 'POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n');
    expect(announced).toMatch(/^HTTP\/1\.1 413 /);

    const chunk = 'A='.padEnd(1100, 'x');
    const streamed = await rawExchange(
      port,
      `POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    );
    expect(streamed).toMatch(/^HTTP\/1\.1 413 /);
    const rows = await eventually(() => (inspectorRows().length === 2 ? inspectorRows() : null));
    expect(rows.map((r) => r.responseStatus)).toEqual([413, 413]);
  });

  it('cuts a client that sends its body too slowly', async () => {
    const { port } = await startServer({ requestTimeoutMs: 200 });
    const answer = await rawExchange(
      port,
      'POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nCallSid=CA',
    );
    // Node answers 408 and closes; the point is that the connection does not stay open.
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts a client that never finishes its headers', async () => {
    const { port } = await startServer({ requestTimeoutMs: 200 });
    const answer = await rawExchange(port, 'POST /status HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a request still sending its body holds no handler slot; a full reading pool cuts its oldest reader', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer({ maxConcurrentRequests: 1, maxReadingRequests: 1 });
    // Headers sent (the 100 Continue proves the server took the request), body never finished.
    const holder = await startRequest(port, 'POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n');
    const res = await request(port, '/status', statusParams(attempt!.callSid!, 'ringing', 1), { signUrl: STATUS_URL });
    expect(res.status).toBe(204);
    // The stalled reader was the oldest when the valid callback needed the only reading slot: cut with a 408.
    await holder.closed;
    expect(holder.received()).toMatch(/HTTP\/1\.1 408 /);
  });

  it('serves /health only to direct loopback requests', async () => {
    const { port } = await startServer();
    const direct = await request(port, '/health', {}, { method: 'GET', contentType: null });
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.body)).toEqual({ ok: true });
    const proxied: Record<string, string>[] = [
      { 'X-Forwarded-For': '203.0.113.9' },
      { 'X-Forwarded-Host': 'abc.ngrok-free.app' },
      { Forwarded: 'for=203.0.113.9;proto=https' },
      { 'ngrok-skip-browser-warning': '1' },
      { Host: 'evil.example' },
    ];
    for (const header of proxied) {
      const res = await request(port, '/health', {}, { method: 'GET', contentType: null, headers: header });
      expect(res.status, JSON.stringify(header)).toBe(404);
      expect(res.body).toBe('');
    }
    expect((await request(port, '/health', {}, {})).status).toBe(405);
  });
});

describe('voice endpoints', () => {
  it('serves the reminder TwiML only when signed for the call’s TwiML URL, with the gather action URL it checks later', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port, gatherUrls } = await startServer();
    const params = { CallSid: attempt!.callSid!, CallStatus: 'in-progress', AnsweredBy: 'human', To: '+14155551000' };
    const twimlUrl = attempt!.twimlUrl!;
    const res = await request(port, `/twiml?attempt=${attempt!.id}`, params, { signUrl: twimlUrl });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    const actionUrl = `https://abc.ngrok-free.app/gather?attempt=${attempt!.id}`;
    expect(gatherUrls.get(attempt!.id)).toBe(actionUrl);
    expect(res.body).toContain(`action="${actionUrl}"`);
    expect(res.body).toContain('<Say>This is a reminder of your appointment.</Say>');

    expect((await request(port, `/twiml?attempt=${attempt!.id}`, params, {})).status).toBe(403);
    expect((await request(port, `/twiml?attempt=${attempt!.id}`, params, { signUrl: STATUS_URL })).status).toBe(403);
    // An attempt this server never dialled has no URL to match.
    expect((await request(port, '/twiml?attempt=999', params, { signUrl: `https://abc.ngrok-free.app/twiml?attempt=999` })).status).toBe(403);
  });

  it('404s the TwiML when the voice hook has none for a signed request', async () => {
    const [dialled] = dialCalls(store.db, 1); // no CallSid stored: the test hook returns null
    const { port } = await startServer();
    const res = await request(port, `/twiml?attempt=${dialled!.id}`, { CallSid: callSid(5) }, { signUrl: dialled!.twimlUrl! });
    expect(res.status).toBe(404);
  });

  it('records the key press through the gather hook when signed for the gather action URL', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer();
    const actionUrl = `https://abc.ngrok-free.app/gather?attempt=${attempt!.id}`;
    const params = { CallSid: attempt!.callSid!, Digits: '1', FinishedOnKey: '' };
    expect((await request(port, `/gather?attempt=${attempt!.id}`, params, { signUrl: attempt!.twimlUrl! })).status).toBe(403);
    expect(getCallAttempt(store.db, attempt!.id)!.confirmation).toBeNull();

    const res = await request(port, `/gather?attempt=${attempt!.id}`, params, { signUrl: actionUrl });
    expect(res.status).toBe(200);
    expect(res.body).toContain('your appointment is confirmed');
    expect(getCallAttempt(store.db, attempt!.id)!.confirmation).toBe('confirmed');
  });
});

describe('callback inspector', () => {
  it('keeps every request with headers stripped of secrets, the form body, verdict, status and latency', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port } = await startServer();
    const params = statusParams(attempt!.callSid!, 'ringing', 1);
    await request(port, '/status?source=test', params, {
      signUrl: `${STATUS_URL}?source=test`,
      headers: { Authorization: 'Basic c2VjcmV0', Cookie: 'session=abc', 'X-Forwarded-Host': 'abc.ngrok-free.app' },
    });
    await request(port, '/nowhere', {}, {});
    const rows = await eventually(() => (inspectorRows().length === 2 ? inspectorRows() : null));
    const [status, notFound] = rows;
    expect(status).toMatchObject({
      method: 'POST',
      path: '/status',
      query: 'source=test',
      params,
      callSid: attempt!.callSid,
      signatureVerdict: 'invalid', // the call was registered without the query
      responseStatus: 403,
      receivedAt: new Date(NOW).toISOString(),
    });
    expect(status!.headers['x-forwarded-host']).toBe('abc.ngrok-free.app');
    for (const secret of ['x-twilio-signature', 'authorization', 'cookie']) expect(status!.headers[secret]).toBeUndefined();
    expect(JSON.stringify(status)).not.toContain('c2VjcmV0');
    expect(status!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(notFound).toMatchObject({ path: '/nowhere', responseStatus: 404, signatureVerdict: 'not-checked', params: null });
  });

  it('prunes requests older than the retention period on start and on demand, by the injected clock', async () => {
    let now = NOW;
    const day = 86_400_000;
    const insert = store.db.prepare(
      `INSERT INTO callback_requests (received_at, method, path, headers, body, signature_verdict, response_status, latency_ms) VALUES (?, 'POST', '/status', '{}', '', 'valid', 204, 1)`,
    );
    insert.run(new Date(NOW - 8 * day).toISOString());
    insert.run(new Date(NOW - 2 * day).toISOString());
    const { server } = await startServer({ clock: () => now, inspectorRetentionDays: 7 });
    expect(inspectorRows().map((r) => r.receivedAt)).toEqual([new Date(NOW - 2 * day).toISOString()]);
    now = NOW + 6 * day;
    expect(server.pruneInspector()).toBe(1);
    expect(inspectorRows()).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('stop() lets a request in flight finish, then refuses connections', async () => {
    const [attempt] = placeCalls(store.db, 1);
    const { port, server } = await startServer();
    const params = statusParams(attempt!.callSid!, 'ringing', 1);
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, params);
    const inFlight = await startRequest(
      port,
      `POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: ${signature}\r\nContent-Length: ${body.length}\r\n`,
    );
    const stopped = server.stop();
    inFlight.socket.write(body);
    await inFlight.closed;
    expect(inFlight.received()).toMatch(/HTTP\/1\.1 204 /);
    await stopped;
    expect(getCallAttempt(store.db, attempt!.id)!.status).toBe('ringing');
    await expect(request(port, '/health', {}, { method: 'GET', contentType: null })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stop() cuts a stalled request after the bounded wait', async () => {
    const { port, server } = await startServer({ stopTimeoutMs: 50 });
    const stalled = await startRequest(port, 'POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n');
    await server.stop();
    await stalled.closed;
    expect(stalled.received()).not.toMatch(/ 204 /);
  });
});

/** Sends a request's headers with `Expect: 100-continue` and resolves once the server has taken the request. */
async function startRequest(port: number, head: string): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (data: string) => {
      received += data;
      if (received.includes('100 Continue')) resolve();
    });
    socket.once('close', () => reject(new Error(`closed before 100 Continue: ${received}`)));
    socket.write(`${head}Expect: 100-continue\r\n\r\n`);
  });
  return { socket, received: () => received, closed };
}

/** Writes raw bytes and returns everything the server sends until it closes the connection. */
function rawExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(payload));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      received += data;
    });
    socket.on('close', () => resolve(received));
    socket.on('error', (error) => (received ? resolve(received) : reject(error)));
  });
}
