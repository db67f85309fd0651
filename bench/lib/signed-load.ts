import autocannon from 'autocannon';
import twilio from 'twilio';

// Signed Twilio status callbacks as autocannon load: every request is a distinct (CallSid, SequenceNumber),
// so each is a real insert, and every 2xx is remembered to check afterwards that it was really stored.

export interface LoadOptions {
  url: string;
  /** The URL the callbacks are signed for (what Twilio would have been given). */
  signedUrl: string;
  authToken: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unset = flat out. */
  overallRate?: number;
  /** Distinguishes the CallSids of separate runs against the same database. */
  runTag: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** `${CallSid}/${SequenceNumber}` of every acknowledged callback. */
  acknowledged: Set<string>;
}

const STATUSES = ['initiated', 'ringing', 'in-progress', 'completed'] as const;

export async function signedLoad(opts: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const acknowledged = new Set<string>();
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationSeconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [
      {
        setupRequest: (req, ctx: object) => {
          const context = ctx as { key?: string };
          n += 1;
          const callSid = `CA${opts.runTag.toString(16).padStart(4, '0')}${Math.floor(n / 4).toString(16).padStart(28, '0')}`;
          const seq = n % 4;
          const params = {
            AccountSid: `AC${'0'.repeat(31)}1`,
            ApiVersion: '2010-04-01',
            CallSid: callSid,
            CallStatus: STATUSES[seq]!,
            CallbackSource: 'call-progress-events',
            Direction: 'outbound-api',
            From: '+15005550006',
            To: '+14155550100',
            SequenceNumber: String(seq),
            Timestamp: new Date().toUTCString(),
          };
          context.key = `${callSid}/${seq}`;
          const body = new URLSearchParams(params).toString();
          const signature = twilio.getExpectedTwilioSignature(opts.authToken, opts.signedUrl, params);
          return { ...req, body, headers: { ...req.headers, 'x-twilio-signature': signature } };
        },
        onResponse: (status: number, _body: string, ctx: object) => {
          const { key } = ctx as { key?: string };
          if (status >= 200 && status < 300 && key) acknowledged.add(key);
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acknowledged,
  };
}
