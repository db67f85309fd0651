import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTwilioAccount, createTwilioClient, describeTwilioError, isRateLimited } from '../../../src-main/core/twilio/twilio-client';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'f'.repeat(32);
const CALL_SID = `CA${'1'.repeat(32)}`;

interface Seen {
  method: string;
  url: string;
  body: string;
  authUser: string | null;
}

function callJson(overrides: Record<string, unknown> = {}) {
  return {
    sid: CALL_SID,
    account_sid: ACCOUNT_SID,
    to: '+12125550100',
    from: '+15005550006',
    status: 'completed',
    date_created: 'Tue, 14 Jan 2030 15:00:00 +0000',
    start_time: 'Tue, 14 Jan 2030 15:00:05 +0000',
    end_time: 'Tue, 14 Jan 2030 15:00:40 +0000',
    duration: '35',
    answered_by: 'human',
    ...overrides,
  };
}

let servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A loopback stand-in for api.twilio.com that answers each request with `respond`. */
async function fakeTwilio(respond: (req: Seen) => { status: number; body: unknown } | null) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const entry = { method: req.method!, url: req.url!, body, authUser: auth ? Buffer.from(auth[1]!, 'base64').toString().split(':')[0]! : null };
      seen.push(entry);
      const answer = respond(entry);
      if (!answer) return; // never answer: a hung Twilio
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function errorBody(status: number, code: number, message: string) {
  return { status, body: { status, code, message, more_info: `https://www.twilio.com/docs/errors/${code}` } };
}

describe('createTwilioClient against twilio.api_base_url', () => {
  it('sends calls.create to the configured base URL with Twilio\'s form encoding and parses the Call', async () => {
    const twilio = await fakeTwilio(() => ({ status: 201, body: callJson({ status: 'queued', start_time: null, end_time: null, duration: null, answered_by: null }) }));
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.baseUrl });

    const call = await client.calls.create({
      to: '+12125550100',
      from: '+15005550006',
      twiml: '<Response><Say>Hi</Say></Response>',
      statusCallback: 'https://abc123.ngrok.io/status',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
      timeout: 30,
      machineDetection: 'Enable',
    });

    expect(call).toEqual({
      sid: CALL_SID,
      to: '+12125550100',
      from: '+15005550006',
      status: 'queued',
      dateCreated: new Date('2030-01-14T15:00:00Z'),
      startTime: null,
      endTime: null,
      duration: null,
      answeredBy: null,
    });
    const [request] = twilio.seen;
    expect(request).toMatchObject({ method: 'POST', url: `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, authUser: ACCOUNT_SID });
    const form = new URLSearchParams(request!.body);
    expect(form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    expect(Object.fromEntries([...form].filter(([k]) => k !== 'StatusCallbackEvent'))).toEqual({
      To: '+12125550100',
      From: '+15005550006',
      Twiml: '<Response><Say>Hi</Say></Response>',
      StatusCallback: 'https://abc123.ngrok.io/status',
      StatusCallbackMethod: 'POST',
      Timeout: '30',
      MachineDetection: 'Enable',
    });
  });

  it('fetches and lists calls, and checks an account for the setup wizard', async () => {
    const twilio = await fakeTwilio((req) => {
      if (req.url.startsWith(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json`)) return { status: 200, body: callJson() };
      if (req.url.startsWith(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`)) {
        return { status: 200, body: { calls: [callJson()], next_page_uri: null, page: 0, page_size: 50, uri: req.url } };
      }
      if (req.url === `/2010-04-01/Accounts/${ACCOUNT_SID}.json`) return { status: 200, body: { sid: ACCOUNT_SID, friendly_name: 'Main St Clinic', status: 'active' } };
      if (req.url.startsWith(`/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json`)) {
        return { status: 200, body: { incoming_phone_numbers: [{ phone_number: '+15005550006', friendly_name: 'Front desk' }], next_page_uri: null, page: 0, page_size: 50, uri: req.url } };
      }
      return errorBody(404, 20404, 'not found');
    });
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: `${twilio.baseUrl}/` });

    const fetched = await client.calls.fetch(CALL_SID);
    expect(fetched).toMatchObject({ status: 'completed', duration: 35, answeredBy: 'human', startTime: new Date('2030-01-14T15:00:05Z') });
    const listed = await client.calls.list({ to: '+12125550100', from: '+15005550006', startTimeAfter: new Date('2030-01-14T14:58:00Z') });
    expect(listed.map((c) => c.sid)).toEqual([CALL_SID]);
    const listUrl = new URL(twilio.seen[1]!.url, twilio.baseUrl);
    expect(Object.fromEntries(listUrl.searchParams)).toMatchObject({ To: '+12125550100', From: '+15005550006', 'StartTime>': '2030-01-14T14:58:00Z' });

    expect(await checkTwilioAccount(client)).toEqual({ friendlyName: 'Main St Clinic', numbers: [{ phoneNumber: '+15005550006', friendlyName: 'Front desk' }] });
  });
});

describe('describeTwilioError', () => {
  async function failureOf(answer: { status: number; body: unknown } | null, timeoutMs?: number) {
    const twilio = await fakeTwilio(() => answer);
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.baseUrl, ...(timeoutMs ? { timeoutMs } : {}) });
    return client.calls.create({ to: '+12125550107', from: '+15005550006', twiml: '<Response/>' }).then(
      () => {
        throw new Error('expected the create to fail');
      },
      (err: unknown) => describeTwilioError(err),
    );
  }

  it('429 / 20429 is a retryable rate limit', async () => {
    const info = await failureOf(errorBody(429, 20429, 'Too Many Requests'));
    expect(info).toEqual({ status: 429, code: 20429, message: 'Too Many Requests (Twilio error 20429)', retryable: true });
    expect(isRateLimited(info)).toBe(true);
  });

  it('400 / 21211 (invalid To) is not retryable', async () => {
    const info = await failureOf(errorBody(400, 21211, "The 'To' number +12125550107 is not a valid phone number."));
    expect(info).toMatchObject({ status: 400, code: 21211, retryable: false });
    expect(isRateLimited(info)).toBe(false);
  });

  it('5xx is retryable', async () => {
    expect(await failureOf(errorBody(503, 20500, 'Service Unavailable'))).toMatchObject({ status: 503, retryable: true });
  });

  it('a request that gets no answer within the timeout is retryable, with no status', async () => {
    const info = await failureOf(null, 200);
    expect(info).toMatchObject({ status: null, code: null, retryable: true });
    expect(info.message).toMatch(/^Could not reach Twilio/);
  });

  it('a refused connection is retryable; anything unknown is not', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: `http://127.0.0.1:${port}` });
    const info = await client.calls.fetch(CALL_SID).catch((err: unknown) => describeTwilioError(err));
    expect(info).toMatchObject({ status: null, retryable: true });
    expect(describeTwilioError(new Error('boom'))).toEqual({ status: null, code: null, message: 'boom', retryable: false });
  });
});
