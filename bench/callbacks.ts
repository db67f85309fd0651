import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import twilio from 'twilio';
import { CallbackServer } from '../src-main/core/callbacks/callback-server';
import { openDatabase } from '../src-main/core/store/database';

const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
const REQUESTS = 6_000;

interface Measured {
  rps: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, signedUrl: string): Promise<Measured> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: 8,
    amount: REQUESTS,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          // Distinct calls and sequence numbers: every request is a real insert, not a duplicate no-op.
          const params = {
            CallSid: `CA${String(Math.floor(n / 4)).padStart(32, '0')}`,
            AccountSid: `AC${'0'.repeat(32)}`,
            CallStatus: ['initiated', 'ringing', 'in-progress', 'completed'][n % 4]!,
            SequenceNumber: String(n % 4),
            Timestamp: new Date().toUTCString(),
          };
          const body = new URLSearchParams(params).toString();
          const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, signedUrl, params);
          return { ...req, body, headers: { ...req.headers, 'x-twilio-signature': signature } };
        },
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

/** Callbacks per second through the real server (signature check + durable commit) vs a bare 204 server. */
export async function benchCallbackServer(work: string) {
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as { port: number }).port;
  const baseline = await load(`http://127.0.0.1:${barePort}/status`, `http://127.0.0.1:${barePort}/status`);
  await new Promise<void>((resolve) => bare.close(() => resolve()));

  const db = openDatabase(path.join(work, 'callbacks.sqlite'));
  const publicUrl = 'https://bench.example.test/status';
  const server = new CallbackServer({
    db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [publicUrl],
    voice: { reminderTwiml: () => null, gatherTwiml: () => '<Response/>' },
  });
  const { localUrl } = await server.start();
  const subject = await load(`${localUrl}/status`, publicUrl);
  await server.stop();
  db.close();

  if (subject.non2xx > 0) throw new Error(`callback server answered ${subject.non2xx} requests with non-2xx during the benchmark`);
  return [
    {
      name: `callbacks: ${REQUESTS} signed POST /status`,
      subject: baseline.rps / subject.rps,
      baseline: 1,
      unit: 'x',
      maxRatio: 60,
      note: `${subject.rps.toFixed(0)} req/s (p99 ${subject.p99} ms) vs bare ${baseline.rps.toFixed(0)} req/s; each commit is fsynced`,
    },
  ];
}
