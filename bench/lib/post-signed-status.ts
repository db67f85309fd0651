import http from 'node:http';
import twilio from 'twilio';

// One signed status callback as Twilio posts it (form body, X-Twilio-Signature over the URL and params), for the
// board and freshness benches and their sender process.

export const STATUS_SEQUENCE = ['initiated', 'ringing', 'in-progress', 'completed'] as const;

/** Posts sequence `seq` (0..3 = initiated..completed) of a call; resolves with the HTTP status. */
export function postSignedStatus(target: { statusUrl: string; authToken: string }, agent: http.Agent, callSid: string, seq: number): Promise<number> {
  const params = {
    AccountSid: `AC${'0'.repeat(31)}1`,
    CallSid: callSid,
    CallStatus: STATUS_SEQUENCE[seq]!,
    SequenceNumber: String(seq),
    Timestamp: new Date().toUTCString(),
  };
  const body = new URLSearchParams(params).toString();
  const url = new URL(target.statusUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'X-Twilio-Signature': twilio.getExpectedTwilioSignature(target.authToken, target.statusUrl, params),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
