import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { SimulatorOptions } from '../../../../src-main/core/practice/simulator/twilio-simulator';
import { PRACTICE_ACCOUNT_SID, PRACTICE_AUTH_TOKEN, TwilioSimulator } from '../../../../src-main/core/practice/simulator/twilio-simulator';
import { createTestTwilioClient } from '../../../helpers/twilio-test-client';
import { WebhookReceiver } from './webhook-receiver';

const FROM = '+15005550006';
const ALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];
const TIME_SCALE = 0.005;

let receiver: WebhookReceiver;
const simulators: TwilioSimulator[] = [];

async function startSimulator(options: SimulatorOptions = {}): Promise<{ simulator: TwilioSimulator; client: twilio.Twilio }> {
  const simulator = new TwilioSimulator({ timeScale: TIME_SCALE, seed: 42, ...options });
  simulators.push(simulator);
  await simulator.start();
  return { simulator, client: createTestTwilioClient(simulator.baseUrl, simulator.accountSid, simulator.authToken) };
}

function placeCall(client: twilio.Twilio, to: string, extra: Partial<Parameters<twilio.Twilio['calls']['create']>[0]> = {}) {
  return client.calls.create({
    to,
    from: FROM,
    url: receiver.url('/twiml'),
    statusCallback: receiver.url('/status'),
    statusCallbackEvent: ALL_EVENTS,
    statusCallbackMethod: 'POST',
    timeout: 20,
    machineDetection: 'Enable',
    ...extra,
  });
}

async function expectRestError(promise: Promise<unknown>, status: number, code: number): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(twilio.RestException);
  expect(error).toMatchObject({ status, code });
}

beforeEach(async () => {
  receiver = new WebhookReceiver({ authToken: PRACTICE_AUTH_TOKEN });
  await receiver.start();
});

afterEach(async () => {
  for (const simulator of simulators.splice(0)) await simulator.stop();
  await receiver.stop();
});

describe('TwilioSimulator call outcomes', () => {
  const expectations = [
    { to: '+15551230100', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'human', digits: '1' },
    { to: '+15551230101', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'human', digits: '2' },
    { to: '+15551230102', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'human', digits: null },
    { to: '+15551230103', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'machine_end_beep', digits: null },
    { to: '+15551230104', statuses: ['initiated', 'busy'], sip: '486', answeredBy: null, digits: null },
    { to: '+15551230105', statuses: ['initiated', 'ringing', 'no-answer'], sip: '487', answeredBy: null, digits: null },
    { to: '+15551230106', statuses: ['initiated', 'failed'], sip: '503', answeredBy: null, digits: null },
    { to: '+15551230108', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'human', digits: null },
    { to: '+15551230109', statuses: ['initiated', 'ringing', 'canceled'], sip: '487', answeredBy: null, digits: null },
    { to: '+15551230142', statuses: ['initiated', 'ringing', 'in-progress', 'completed'], sip: '200', answeredBy: 'human', digits: '1' },
  ];

  it('plays every outcome of the table with the right final status, event sequence and signed callbacks', async () => {
    const { simulator, client } = await startSimulator();
    const created = await Promise.all(expectations.map((expected) => placeCall(client, expected.to)));
    for (const call of created) expect(call.status).toBe('queued');
    await simulator.waitForCallsToFinish(10_000);

    for (const [index, expected] of expectations.entries()) {
      const sid = (created[index] as { sid: string }).sid;
      const callbacks = receiver.statusCallbacks(sid);
      expect(callbacks.map((params) => params.CallStatus)).toEqual(expected.statuses);
      expect(callbacks.map((params) => params.SequenceNumber)).toEqual(expected.statuses.map((_, i) => String(i)));
      for (const params of callbacks) {
        expect(params).toMatchObject({ CallSid: sid, AccountSid: PRACTICE_ACCOUNT_SID, From: FROM, To: expected.to, ApiVersion: '2010-04-01', Direction: 'outbound-api', CallbackSource: 'call-progress-events' });
        expect(params.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      }
      const final = callbacks.at(-1) as Record<string, string>;
      expect(final.SipResponseCode).toBe(expected.sip);
      expect(final.AnsweredBy).toBe(expected.answeredBy ?? undefined);
      const answered = expected.answeredBy !== null;
      expect(Number(final.CallDuration) > 0).toBe(answered);
      expect(final.Duration).toBe(answered ? String(Math.ceil(Number(final.CallDuration) / 60)) : undefined);

      const resource = await client.calls(sid).fetch();
      expect(resource.status).toBe(expected.statuses.at(-1));
      expect(resource.answeredBy).toBe(expected.answeredBy);
      expect(resource.duration).toBe(final.CallDuration);
      expect(resource.startTime).toBeInstanceOf(Date);
      expect(resource.endTime).toBeInstanceOf(Date);

      const twimlFetches = receiver.on('/twiml').filter((request) => request.params.CallSid === sid);
      expect(twimlFetches).toHaveLength(answered ? 1 : 0);
      const gathers = receiver.on('/gather').filter((request) => request.params.CallSid === sid);
      expect(gathers.map((request) => request.params.Digits)).toEqual(expected.digits === null ? [] : [expected.digits]);
    }
    const longCall = (created[7] as { sid: string }).sid;
    expect(Number((await client.calls(longCall).fetch()).duration)).toBeGreaterThanOrEqual(58);
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received.filter((request) => !request.signatureValid)).toEqual([]);
    expect(simulator.callbackDeliveries.every((delivery) => delivery.fate === 'delivered')).toBe(true);
  });

  it("rejects a number ending in 07 at creation with 400 / 21211, and creates no call", async () => {
    const { simulator, client } = await startSimulator();
    await expectRestError(placeCall(client, '+15551230107'), 400, 21211);
    expect(simulator.listCalls()).toEqual([]);
  });

  it('rings a no-answer call for its Timeout', async () => {
    const { simulator, client } = await startSimulator();
    const call = await placeCall(client, '+15551230105', { timeout: 45 });
    await simulator.waitForCallsToFinish(10_000);
    const steps = simulator.getCall(call.sid)?.steps ?? [];
    expect(steps.map((step) => step.kind)).toEqual(['initiated', 'ringing', 'end']);
    expect(steps.at(-1)?.delayMs).toBe(45_000);
  });

  it('sends only the completed callback when no StatusCallbackEvent is given', async () => {
    const { simulator, client } = await startSimulator();
    const call = await client.calls.create({ to: '+15551230100', from: FROM, url: receiver.url('/twiml'), statusCallback: receiver.url('/status') });
    await simulator.waitForCallsToFinish(10_000);
    const callbacks = receiver.statusCallbacks(call.sid);
    expect(callbacks.map((params) => [params.CallStatus, params.SequenceNumber])).toEqual([['completed', '0']]);
    expect(callbacks[0]?.AnsweredBy).toBeUndefined();
  });

  it('lets the Call resource follow the progress, so polling works without callbacks', async () => {
    const { simulator, client } = await startSimulator();
    const seen: string[] = [];
    simulator.on('call-updated', (call) => {
      if (seen.at(-1) !== call.status) seen.push(call.status);
    });
    const call = await client.calls.create({ to: '+15551230102', from: FROM, url: receiver.url('/twiml') });
    expect((await client.calls(call.sid).fetch()).status).toBe('queued');
    await simulator.waitForCallsToFinish(10_000);
    expect(seen).toEqual(['queued', 'ringing', 'in-progress', 'completed']);
    const fetched = await client.calls(call.sid).fetch();
    expect(fetched.status).toBe('completed');
    expect(fetched.answeredBy).toBeNull(); // no machine detection was asked for
    expect(receiver.on('/status')).toEqual([]);
  });
});

describe('TwilioSimulator TwiML and Gather', () => {
  it('fetches TwiML with the voice webhook parameters and posts the key to the Gather action resolved against it', async () => {
    const { simulator, client } = await startSimulator();
    const call = await placeCall(client, '+15551230101');
    await simulator.waitForCallsToFinish(10_000);
    const [fetch] = receiver.on('/twiml');
    expect(fetch).toMatchObject({ method: 'POST', signatureValid: true });
    expect(fetch?.params).toMatchObject({ CallSid: call.sid, CallStatus: 'in-progress', Direction: 'outbound-api', ApiVersion: '2010-04-01', AnsweredBy: 'human', From: FROM, To: '+15551230101' });
    const [gather] = receiver.on('/gather');
    expect(gather).toMatchObject({ url: receiver.url('/gather'), signatureValid: true });
    expect(gather?.params).toMatchObject({ CallSid: call.sid, Digits: '2', CallStatus: 'in-progress' });
    expect(simulator.getCall(call.sid)?.digitsSent).toBe('2');
  });

  it('uses GET with the parameters in the signed query when Method / StatusCallbackMethod say so', async () => {
    const { simulator, client } = await startSimulator();
    const call = await placeCall(client, '+15551230102', { method: 'GET', statusCallbackMethod: 'GET', statusCallbackEvent: ['completed'] });
    await simulator.waitForCallsToFinish(10_000);
    const requests = receiver.received.map((request) => [request.path, request.method, request.params.CallSid, request.signatureValid]);
    expect(requests).toEqual([
      ['/twiml', 'GET', call.sid, true],
      ['/status', 'GET', call.sid, true],
    ]);
  });

  it('posts the key to an absolute Gather action of inline Twiml, and nowhere for a relative one', async () => {
    const { simulator, client } = await startSimulator();
    const absolute = `<Response><Gather action="${receiver.url('/gather')}" numDigits="1"><Say>Press 1</Say></Gather></Response>`;
    const relative = '<Response><Gather action="/gather" numDigits="1"><Say>Press 1</Say></Gather></Response>';
    const first = await client.calls.create({ to: '+15551230100', from: FROM, twiml: absolute });
    const second = await client.calls.create({ to: '+15551230200', from: FROM, twiml: relative });
    await simulator.waitForCallsToFinish(10_000);
    expect(receiver.on('/gather').map((request) => [request.params.CallSid, request.params.Digits, request.signatureValid])).toEqual([[first.sid, '1', true]]);
    expect(simulator.getCall(second.sid)?.digitsSent).toBeNull();
    expect(receiver.on('/twiml')).toEqual([]);
  });

  it('posts no key when the TwiML hangs up before any Gather', async () => {
    const hangUpFirst = new WebhookReceiver({ authToken: PRACTICE_AUTH_TOKEN, twiml: '<?xml version="1.0"?><Response><Say>Bye</Say><Hangup/><Gather action="/gather"/></Response>' });
    await hangUpFirst.start();
    try {
      const { simulator, client } = await startSimulator();
      await client.calls.create({ to: '+15551230100', from: FROM, url: hangUpFirst.url('/twiml') });
      await simulator.waitForCallsToFinish(10_000);
      expect(hangUpFirst.on('/twiml')).toHaveLength(1);
      expect(hangUpFirst.on('/gather')).toEqual([]);
    } finally {
      await hangUpFirst.stop();
    }
  });
});

describe('TwilioSimulator delivery switches', () => {
  /** Per call, the SequenceNumbers in the order they arrived. */
  function arrivalOrders(sids: string[]): number[][] {
    return sids.map((sid) => receiver.statusCallbacks(sid).map((params) => Number(params.SequenceNumber)));
  }

  it('shuffles and duplicates callbacks deterministically while SequenceNumbers stay consistent', async () => {
    const run = async (): Promise<{ orders: number[][]; sids: string[] }> => {
      const { simulator, client } = await startSimulator({ shuffleCallbacks: true, duplicateCallbacks: true, seed: 7 });
      const sids: string[] = [];
      for (let i = 0; i < 8; i += 1) sids.push((await placeCall(client, `+1555123${String(i).padStart(2, '0')}00`)).sid);
      await simulator.waitForCallsToFinish(10_000);
      return { orders: arrivalOrders(sids), sids };
    };
    const first = await run();
    const allOrders = first.orders;
    expect(allOrders.some((order) => order.some((sequence, i) => i > 0 && sequence < (order[i - 1] as number)))).toBe(true);
    expect(allOrders.some((order) => new Set(order).size < order.length)).toBe(true);

    for (const sid of first.sids) {
      const callbacks = receiver.statusCallbacks(sid);
      const bySequence = new Map<string, Record<string, string>>();
      for (const params of callbacks) {
        const earlier = bySequence.get(params.SequenceNumber as string);
        // A duplicate is the same event: same status, same timestamp, same everything.
        if (earlier) expect(params).toEqual(earlier);
        bySequence.set(params.SequenceNumber as string, params);
      }
      const inOrder = [...bySequence.entries()].sort(([a], [b]) => Number(a) - Number(b));
      expect(inOrder.map(([sequence]) => sequence)).toEqual(['0', '1', '2', '3']);
      expect(inOrder.map(([, params]) => params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    }
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);

    // The same seed and the same calls give the same per-call arrival orders.
    receiver.received.length = 0;
    const second = await run();
    expect(second.orders).toEqual(first.orders);
  });

  it('drops callbacks: the dropped ones never arrive, the rest keep their SequenceNumbers', async () => {
    const { simulator, client } = await startSimulator({ dropCallbacks: 0.4, seed: 3 });
    const sids: string[] = [];
    for (let i = 0; i < 6; i += 1) sids.push((await placeCall(client, `+1555123${i}000`)).sid);
    await simulator.waitForCallsToFinish(10_000);
    const dropped = simulator.callbackDeliveries.filter((delivery) => delivery.fate === 'dropped');
    expect(dropped.length).toBeGreaterThan(0);
    for (const sid of sids) {
      const sent = simulator.callbackDeliveries.filter((delivery) => delivery.callSid === sid && delivery.kind === 'status-callback');
      const arrived = receiver.statusCallbacks(sid).map((params) => Number(params.SequenceNumber));
      expect(sent.map((delivery) => delivery.sequenceNumber).sort()).toEqual([0, 1, 2, 3]);
      expect(arrived).toEqual(sent.filter((delivery) => delivery.fate === 'delivered').map((delivery) => delivery.sequenceNumber));
      expect((await client.calls(sid).fetch()).status).toBe('completed');
    }
  });

  it('records a failed callback (refused or non-2xx) and does not retry it', async () => {
    const failing = new WebhookReceiver({ authToken: PRACTICE_AUTH_TOKEN, failingPaths: { '/status': 500 } });
    await failing.start();
    const closed = new WebhookReceiver({ authToken: PRACTICE_AUTH_TOKEN });
    await closed.start();
    const refusedUrl = closed.url('/status');
    await closed.stop();
    try {
      const { simulator, client } = await startSimulator();
      const serverError = await placeCall(client, '+15551230104', { statusCallback: failing.url('/status') });
      const refused = await placeCall(client, '+15551230106', { statusCallback: refusedUrl });
      await simulator.waitForCallsToFinish(10_000);
      const deliveries = (sid: string) => simulator.callbackDeliveries.filter((delivery) => delivery.callSid === sid && delivery.kind === 'status-callback');
      expect(deliveries(serverError.sid).map((delivery) => [delivery.sequenceNumber, delivery.fate, delivery.status])).toEqual([
        [0, 'failed', 500],
        [1, 'failed', 500],
      ]);
      expect(failing.on('/status')).toHaveLength(2);
      expect(deliveries(refused.sid).map((delivery) => [delivery.sequenceNumber, delivery.fate, delivery.error])).toEqual([
        [0, 'failed', 'ECONNREFUSED'],
        [1, 'failed', 'ECONNREFUSED'],
      ]);
      expect(simulator.getCall(refused.sid)?.status).toBe('failed');
    } finally {
      await failing.stop();
    }
  });
});

describe('TwilioSimulator REST surface', () => {
  it('answers every Nth Calls create with 429 / 20429, which the client throws as RestException', async () => {
    const { simulator, client } = await startSimulator({ rateLimitEvery: 3 });
    await placeCall(client, '+15551230100');
    await placeCall(client, '+15551230200');
    await expectRestError(placeCall(client, '+15551230300'), 429, 20429);
    await placeCall(client, '+15551230300');
    expect(simulator.listCalls().map((call) => call.to)).toEqual(['+15551230100', '+15551230200', '+15551230300']);
  });

  it('refuses wrong credentials with 401 / 20003', async () => {
    const { simulator, client } = await startSimulator();
    const wrong = createTestTwilioClient(simulator.baseUrl, simulator.accountSid, 'f'.repeat(32));
    await expectRestError(wrong.api.v2010.accounts(simulator.accountSid).fetch(), 401, 20003);
    await expectRestError(placeCall(wrong, '+15551230100'), 401, 20003);
    const otherAccount = createTestTwilioClient(simulator.baseUrl, `AC${'1'.repeat(32)}`, simulator.authToken);
    await expectRestError(otherAccount.calls.list(), 401, 20003);
    expect(simulator.listCalls()).toEqual([]);
    const account = await client.api.v2010.accounts(simulator.accountSid).fetch();
    expect(account).toMatchObject({ sid: PRACTICE_ACCOUNT_SID, status: 'active' });
  });

  it('answers validation errors with Twilio codes', async () => {
    const { simulator, client } = await startSimulator({ phoneNumbers: [FROM, '+15005550001'] });
    await expectRestError(client.calls.create({ to: '+15551230100', from: '+15551239999', url: receiver.url('/twiml') }), 400, 21210);
    await expectRestError(client.calls.create({ to: '+15551230100', from: 'not-a-number', url: receiver.url('/twiml') }), 400, 21212);
    await expectRestError(client.calls.create({ to: '555-0100', from: FROM, url: receiver.url('/twiml') }), 400, 21211);
    await expectRestError(client.calls.create({ to: '+15551230100', from: FROM, url: 'ftp://example.test/twiml' }), 400, 21205);
    await expectRestError(client.calls.create({ to: '+15551230100', from: FROM, url: receiver.url('/twiml'), timeout: 'soon' as unknown as number }), 400, 20001);
    // The official client refuses a missing `to` itself; a raw request gets Twilio's answer.
    const raw = await fetch(`${simulator.baseUrl}/2010-04-01/Accounts/${simulator.accountSid}/Calls.json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${simulator.accountSid}:${simulator.authToken}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: FROM, Url: receiver.url('/twiml') }).toString(),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ code: 21201, message: "No 'To' number is specified", more_info: 'https://www.twilio.com/docs/errors/21201', status: 400 });
    const placed = await client.calls.create({ to: '+15551230100', from: '+15005550001', url: receiver.url('/twiml') });
    expect(placed.from).toBe('+15005550001');
  });

  it('answers an unknown call SID with 404 / 20404', async () => {
    const { client } = await startSimulator();
    await expectRestError(client.calls(`CA${'0'.repeat(32)}`).fetch(), 404, 20404);
  });

  it('lists calls newest first with To, Status and StartTime filters and Twilio paging', async () => {
    const { simulator, client } = await startSimulator();
    const before = new Date(Date.now() - 1000);
    const busy = await placeCall(client, '+15551230104');
    const answered = await placeCall(client, '+15551230100');
    const other = await placeCall(client, '+15551230200');
    expect((await client.calls.list()).map((call) => call.sid)).toEqual([other.sid, answered.sid, busy.sid]);
    expect((await client.calls.list({ to: '+15551230100' })).map((call) => call.sid)).toEqual([answered.sid]);
    expect((await client.calls.list({ startTimeAfter: before })).map((call) => call.sid)).toHaveLength(3);
    expect(await client.calls.list({ startTimeBefore: before })).toEqual([]);
    await simulator.waitForCallsToFinish(10_000);
    expect((await client.calls.list({ status: 'busy' })).map((call) => call.sid)).toEqual([busy.sid]);
    expect((await client.calls.list({ from: '+15005550009' }))).toEqual([]);

    // Page size 1: the client follows next_page_uri through three pages.
    const paged = await client.calls.list({ pageSize: 1 });
    expect(paged.map((call) => call.sid)).toEqual([other.sid, answered.sid, busy.sid]);
    const listRequests = simulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/Calls.json') && request.query.PageSize === '1');
    expect(listRequests.map((request) => request.query.Page ?? '0')).toEqual(['0', '1', '2']);
    const lastPage = listRequests.at(-1)?.responseBody as Record<string, unknown>;
    expect(lastPage).toMatchObject({ page: 2, page_size: 1, start: 2, end: 2, next_page_uri: null });
  });

  it('lists the IncomingPhoneNumbers of the account', async () => {
    const { client } = await startSimulator({ phoneNumbers: ['+15005550006', '+15005550001'] });
    const numbers = await client.incomingPhoneNumbers.list();
    expect(numbers.map((number) => number.phoneNumber)).toEqual(['+15005550006', '+15005550001']);
    expect(numbers[0]?.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(numbers[0]?.capabilities).toMatchObject({ voice: true });
  });

  it('stops cleanly mid-call: timers and callbacks cease', async () => {
    const { simulator, client } = await startSimulator({ timeScale: 0.005 });
    const call = await placeCall(client, '+15551230108');
    await new Promise<void>((resolve) => simulator.on('call-updated', (updated) => updated.status === 'in-progress' && resolve()));
    await simulator.stop();
    const deliveriesAtStop = simulator.callbackDeliveries.length;
    const receivedAtStop = receiver.received.length;
    // The long call would hang up ~60 simulated seconds later (0.3 s here); wait past that.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(simulator.callbackDeliveries.length).toBe(deliveriesAtStop);
    expect(receiver.received.length).toBe(receivedAtStop);
    expect(simulator.getCall(call.sid)?.status).toBe('in-progress');
  });
});
