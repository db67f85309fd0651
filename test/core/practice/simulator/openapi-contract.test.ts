import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { TwilioSimulator } from '../../../../src-main/core/practice/simulator/twilio-simulator';
import {
  ContractViolation,
  assertConformsToCreateCall,
  assertConformsToFetchCall,
  assertConformsToListCalls,
  assertIsCallListPage,
  assertIsCallResource,
} from '../../../helpers/twilio-openapi';
import { createTestTwilioClient } from '../../../helpers/twilio-test-client';
import { WebhookReceiver } from './webhook-receiver';

const FROM = '+15005550006';

function violation(run: () => void): ContractViolation {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a contract violation');
}

describe('Twilio OpenAPI helpers', () => {
  const validCall = (): Record<string, unknown> => ({
    sid: `CA${'a'.repeat(32)}`,
    date_created: 'Tue, 31 Aug 2010 20:36:28 +0000',
    date_updated: 'Tue, 31 Aug 2010 20:36:44 +0000',
    parent_call_sid: null,
    account_sid: `AC${'a'.repeat(32)}`,
    to: '+14158675309',
    to_formatted: '(415) 867-5309',
    from: '+14158675308',
    from_formatted: '(415) 867-5308',
    phone_number_sid: null,
    status: 'completed',
    start_time: 'Tue, 31 Aug 2010 20:36:29 +0000',
    end_time: 'Tue, 31 Aug 2010 20:36:44 +0000',
    duration: '15',
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `/2010-04-01/Accounts/AC${'a'.repeat(32)}/Calls/CA${'a'.repeat(32)}.json`,
    subresource_uris: {},
  });

  it('accepts a Call resource, nulls included (OpenAPI nullable)', () => {
    expect(() => assertIsCallResource(validCall())).not.toThrow();
  });

  it('lists every problem of a bad Call resource', () => {
    const call: Record<string, unknown> = { ...validCall(), status: 'initiated', date_created: '2010-08-31T20:36:28Z', extra: 1 };
    delete call.duration;
    const error = violation(() => assertIsCallResource(call));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        "body: missing field 'duration'",
        "body: unknown field 'extra'",
        expect.stringContaining('status: must be equal to one of the allowed values'),
        'date_created: must match format "date-time-rfc-2822"',
      ]),
    );
    expect(error.message).toContain("does not conform to Twilio's OpenAPI description");
  });

  it('reads a CreateCall form as Twilio does: one StatusCallbackEvent is an array, numbers are coerced', () => {
    expect(() =>
      assertConformsToCreateCall(
        `To=%2B15551230100&From=%2B15005550006&Url=https%3A%2F%2Fexample.test%2Ftwiml&StatusCallbackEvent=completed&Timeout=30&Record=true`,
        `/2010-04-01/Accounts/AC${'a'.repeat(32)}/Calls.json`,
      ),
    ).not.toThrow();
  });

  it('rejects a CreateCall form with wrong types, formats, unknown fields or a bad path', () => {
    const error = violation(() =>
      assertConformsToCreateCall({ To: '+15551230100', Timeout: 'soon', StatusCallbackMethod: 'PUT', StatusCallbackEvents: 'completed', Url: 'not a url' }, '/2010-04-01/Accounts/ACnope/Calls.json'),
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        "form: missing field 'From'",
        'form Timeout: must be integer',
        "form: unknown field 'StatusCallbackEvents'",
        'form Url: must match format "uri"',
        expect.stringContaining('form StatusCallbackMethod: must be equal to one of the allowed values'),
        expect.stringContaining('path parameter AccountSid: must match pattern'),
      ]),
    );
  });

  it('checks FetchCall and ListCall requests', () => {
    const account = `AC${'b'.repeat(32)}`;
    expect(() => assertConformsToFetchCall(`/2010-04-01/Accounts/${account}/Calls/CA${'c'.repeat(32)}.json`, 'GET')).not.toThrow();
    expect(violation(() => assertConformsToFetchCall(`/2010-04-01/Accounts/${account}/Calls/CA${'c'.repeat(32)}.json`, 'POST')).problems).toEqual(['method POST is not GET']);
    expect(violation(() => assertConformsToFetchCall(`/2010-04-01/Accounts/${account}/Calls/12.json`, 'GET')).problems).toEqual(
      expect.arrayContaining([expect.stringContaining('path parameter Sid')]),
    );
    expect(() => assertConformsToListCalls(`/2010-04-01/Accounts/${account}/Calls.json`, 'GET', { 'StartTime>': '2026-01-01T00:00:00Z', PageSize: '2' })).not.toThrow();
    expect(violation(() => assertConformsToListCalls(`/2010-04-01/Accounts/${account}/Calls.json`, 'GET', { Sort: 'asc', Status: 'initiated' })).problems).toEqual(
      expect.arrayContaining(['query parameter Sort: not declared by the operation', expect.stringContaining('query parameter Status: must be equal to one of')]),
    );
  });
});

describe('the simulator against the contract, driven by the official client', () => {
  let simulator: TwilioSimulator;
  let receiver: WebhookReceiver;
  let client: twilio.Twilio;

  beforeAll(async () => {
    simulator = new TwilioSimulator({ timeScale: 0.005, seed: 5 });
    await simulator.start();
    receiver = new WebhookReceiver({ authToken: simulator.authToken });
    await receiver.start();
    client = createTestTwilioClient(simulator.baseUrl, simulator.accountSid, simulator.authToken);
  });

  afterAll(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  it('every Calls create / fetch / list request conforms, and every response is a Call resource or list page', async () => {
    const sids: string[] = [];
    for (const ending of ['00', '03', '04', '05', '06', '09']) {
      const call = await client.calls.create({
        to: `+155512301${ending}`,
        from: FROM,
        url: receiver.url('/twiml'),
        statusCallback: receiver.url('/status'),
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        statusCallbackMethod: 'POST',
        timeout: 15,
        machineDetection: 'Enable',
      });
      sids.push(call.sid);
    }
    // A single event is sent as one plain key; inline TwiML is the other way to give instructions.
    await client.calls.create({ to: '+15551230200', from: FROM, twiml: new twilio.twiml.VoiceResponse().say('Hi').toString(), statusCallback: receiver.url('/status'), statusCallbackEvent: ['completed'] });
    for (const sid of sids) await client.calls(sid).fetch();
    await client.calls.list({ pageSize: 2, startTimeAfter: new Date(Date.now() - 60_000) });
    await simulator.waitForCallsToFinish(10_000);
    for (const sid of sids) await client.calls(sid).fetch();
    await client.calls.list({ status: 'completed' });

    const creates = simulator.requests.filter((request) => request.method === 'POST');
    const fetches = simulator.requests.filter((request) => request.method === 'GET' && /\/Calls\/CA\w+\.json$/.test(request.path));
    const lists = simulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/Calls.json'));
    expect([creates.length, fetches.length, lists.length]).toEqual([7, 12, 5]);
    for (const request of creates) {
      assertConformsToCreateCall(request.form, request.path);
      expect(request.status).toBe(201);
      assertIsCallResource(request.responseBody);
    }
    for (const request of fetches) {
      assertConformsToFetchCall(request.path, request.method, request.query);
      assertIsCallResource(request.responseBody);
    }
    for (const request of lists) {
      assertConformsToListCalls(request.path, request.method, request.query);
      assertIsCallListPage(request.responseBody);
    }
    // The final resources carry the terminal fields.
    const finals = fetches.slice(-sids.length).map((request) => request.responseBody as Record<string, unknown>);
    expect(finals.map((call) => call.status)).toEqual(['completed', 'completed', 'busy', 'no-answer', 'failed', 'canceled']);
    expect(finals.map((call) => call.answered_by)).toEqual(['human', 'machine_end_beep', null, null, null, null]);
  });
});
