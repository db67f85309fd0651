import { afterEach, describe, expect, it } from 'vitest';
import { BatchRunner, type BatchRunnerOptions } from '../../../src-main/core/batches/batch-runner';
import type { CallbackTarget } from '../../../src-main/core/batches/place-reminder-call';
import { CallPoller } from '../../../src-main/core/calls/call-poller';
import type { SettingsInput } from '../../../src-main/core/settings/schema';
import { createBatch, getBatch } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/store/database';
import { listCallEvents, recordStatusEvent } from '../../../src-main/core/store/status-events';
import { addAppointments, FakeCallsApi, FakeTime, makeSettings, restError, tempDb } from './fixtures';

const FROM = '+15005550006';
const POLLING: CallbackTarget = { statusCallbackUrl: null, publicBaseUrl: null };
const TUNNEL: CallbackTarget = { statusCallbackUrl: 'https://abc123.ngrok.io/status', publicBaseUrl: 'https://abc123.ngrok.io' };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

function setup(opts: { settings?: SettingsInput; target?: CallbackTarget; phones?: string[] } = {}) {
  const store = tempDb();
  cleanups.push(store.cleanup);
  const time = new FakeTime();
  const fake = new FakeCallsApi(time.clock);
  const settings = makeSettings(opts.settings ?? {});
  const phones = opts.phones ?? ['+12125550100', '+12125550101', '+12125550102'];
  const appointmentIds = addAppointments(store.db, phones);
  const batch = createBatch(store.db, { appointmentIds, simulated: false, now: new Date(time.now) });
  const build = (db: Db, overrides: Partial<BatchRunnerOptions> = {}) => {
    const poller = new CallPoller({ db, calls: () => fake, clock: time.clock, timers: time.timers });
    const runner = new BatchRunner({
      db,
      calls: () => fake,
      settings: () => settings,
      fromNumber: () => FROM,
      callbackTarget: () => opts.target ?? POLLING,
      renderMessage: (appointment) => `Hello ${appointment.name}, see you soon.`,
      clock: time.clock,
      sleep: time.sleep,
      poller,
      ...overrides,
    });
    return { runner, poller };
  };
  return { ...store, time, fake, settings, batch, appointmentIds, build };
}

function createGaps(fake: FakeCallsApi): number[] {
  return fake.creates.slice(1).map((c, i) => c.at - fake.creates[i]!.at);
}

describe('BatchRunner dispatch', () => {
  it('paces calls.create at calling.calls_per_second and follows polled calls to their final status', async () => {
    const t = setup({ settings: { calling: { calls_per_second: 2 } }, phones: ['+12125550100', '+12125550101', '+12125550102', '+12125550103'] });
    t.fake.onCreate = () => ['ringing', 'in-progress', 'completed'];
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    expect(outcome).toEqual({ batchId: t.batch.id, state: 'completed', openCallSids: [] });
    expect(t.fake.creates).toHaveLength(4);
    for (const gap of createGaps(t.fake)) expect(gap).toBeGreaterThanOrEqual(500);
    const attempts = listBatchAttempts(t.db, t.batch.id);
    expect(attempts.map((a) => [a.status, a.statusSource, a.attempts])).toEqual(Array(4).fill(['completed', 'poll', 1]));
    expect(getBatch(t.db, t.batch.id)?.state).toBe('completed');
  });

  it('places no new call once the host is stopping; the batch stays running to resume next start', async () => {
    const t = setup();
    let stopping = false;
    t.fake.onCreate = () => {
      stopping = true; // shutdown begins while the first call is being placed
      return ['ringing', 'in-progress', 'completed'];
    };
    const { runner } = t.build(t.db, { isStopping: () => stopping });

    await expect(runner.runBatch(t.batch.id)).rejects.toThrow(/stopping/);

    expect(t.fake.creates).toHaveLength(1);
    expect(getBatch(t.db, t.batch.id)?.state).toBe('running');
    expect(listBatchAttempts(t.db, t.batch.id).map((a) => a.state)).toEqual(['placed', 'pending', 'pending']);
  });

  it('holds dialing outside calling hours and carries on when they begin', async () => {
    const t = setup();
    t.fake.onCreate = () => ['ringing', 'in-progress', 'completed'];
    const opensAt = t.time.now + 10 * 60_000; // calling hours begin in ten minutes
    const { runner } = t.build(t.db, { mayDial: () => t.time.now >= opensAt });

    const outcome = await runner.runBatch(t.batch.id);

    expect(outcome.state).toBe('completed');
    expect(t.fake.creates).toHaveLength(3);
    for (const create of t.fake.creates) expect(create.at).toBeGreaterThanOrEqual(opensAt);
  });

  it('sends the exact create parameters when a public URL exists', async () => {
    const t = setup({ settings: { calling: { call_timeout_seconds: 25, detect_voicemail: true } }, target: TUNNEL, phones: ['+12125550100'] });
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id, { waitSeconds: 0 });

    const attempt = listBatchAttempts(t.db, t.batch.id)[0]!;
    expect(t.fake.creates[0]!.params).toEqual({
      to: '+12125550100',
      from: FROM,
      url: `https://abc123.ngrok.io/twiml?attempt=${attempt.id}`,
      method: 'POST',
      statusCallback: 'https://abc123.ngrok.io/status',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
      timeout: 25,
      machineDetection: 'DetectMessageEnd',
    });
    expect(attempt.statusCallbackUrl).toBe('https://abc123.ngrok.io/status');
    expect(attempt.twimlUrl).toBe(`https://abc123.ngrok.io/twiml?attempt=${attempt.id}`);
    // Nobody posted callbacks in this test: the bounded wait ends and says which call is open.
    expect(outcome).toEqual({ batchId: t.batch.id, state: 'timed_out', openCallSids: [attempt.callSid] });
    expect(getBatch(t.db, t.batch.id)?.state).toBe('timed_out');
  });

  it('sends inline TwiML and no callback in polling mode, and omits AMD when detect_voicemail is off', async () => {
    const t = setup({ settings: { calling: { call_timeout_seconds: 40, detect_voicemail: false } }, phones: ['+12125550100'] });
    const { runner } = t.build(t.db);

    await runner.runBatch(t.batch.id);

    expect(t.fake.creates[0]!.params).toEqual({
      to: '+12125550100',
      from: FROM,
      timeout: 40,
      twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello Patient 0, see you soon.</Say></Response>',
    });
  });

  it('backs off exponentially on 429 / 20429 and then places every call once', async () => {
    const t = setup({ phones: ['+12125550100', '+12125550101'] });
    t.fake.onCreate = (_params, index) => {
      if (index < 3) throw restError(429, 20429, 'Too Many Requests');
      return ['completed'];
    };
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    expect(outcome.state).toBe('completed');
    expect(t.fake.creates).toHaveLength(5);
    const gaps = createGaps(t.fake);
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps[2]).toBeGreaterThanOrEqual(4000);
    const [first, second] = listBatchAttempts(t.db, t.batch.id);
    expect(first).toMatchObject({ state: 'placed', attempts: 4, status: 'completed', errorCode: null });
    expect(second).toMatchObject({ state: 'placed', attempts: 1, status: 'completed' });
  });

  it('rejects an invalid number (21211) with Twilio\'s code and message and never retries it', async () => {
    const t = setup({ phones: ['+12125550107', '+12125550100'] });
    t.fake.onCreate = (params) => {
      if (params.to.endsWith('07')) throw restError(400, 21211, "The 'To' number +12125550107 is not a valid phone number.");
      return ['completed'];
    };
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    expect(outcome.state).toBe('completed');
    expect(t.fake.creates.filter((c) => c.params.to === '+12125550107')).toHaveLength(1);
    const [rejected, placed] = listBatchAttempts(t.db, t.batch.id);
    expect(rejected).toMatchObject({ state: 'rejected', status: 'failed', isFinal: true, errorCode: '21211', attempts: 1 });
    expect(rejected!.errorMessage).toContain('is not a valid phone number');
    expect(placed).toMatchObject({ state: 'placed', status: 'completed' });
  });

  it('rejects, without dialling, a reminder whose message is too long for inline TwiML', async () => {
    const t = setup({ phones: ['+12125550100'] });
    const { runner } = t.build(t.db, { renderMessage: () => 'word '.repeat(900) });

    await runner.runBatch(t.batch.id);

    expect(t.fake.creates).toHaveLength(0);
    const [attempt] = listBatchAttempts(t.db, t.batch.id);
    expect(attempt).toMatchObject({ state: 'rejected', isFinal: true, attempts: 0 });
    expect(attempt!.errorMessage).toMatch(/too long for a phone call.*Shorten message\.message_template/);
  });

  it('does not dial again when a create failed without an answer but Twilio did create the call', async () => {
    const t = setup({ phones: ['+12125550100'] });
    t.fake.loseResponse.add(0);
    t.fake.onCreate = () => ['completed'];
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    expect(t.fake.creates).toHaveLength(1);
    expect(t.fake.lists).toHaveLength(1);
    const attempt = listBatchAttempts(t.db, t.batch.id)[0]!;
    expect(attempt).toMatchObject({ state: 'placed', callSid: [...t.fake.calls.keys()][0], status: 'completed' });
    expect(outcome.state).toBe('completed');
  });

  it('retries a 503 after calling.retry_delay_seconds when Twilio has no such call, and gives up after max_retries', async () => {
    const t = setup({ settings: { calling: { max_retries: 2, retry_delay_seconds: 60 } }, phones: ['+12125550100', '+12125550101'] });
    t.fake.onCreate = (params) => {
      if (params.to.endsWith('00')) throw restError(503, 20500, 'Service Unavailable');
      return ['completed'];
    };
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    const tries = t.fake.creates.filter((c) => c.params.to === '+12125550100');
    expect(tries).toHaveLength(3); // the first try + max_retries
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(60_000);
    // The other appointment was not held up behind the retry delay.
    expect(t.fake.creates[1]!.params.to).toBe('+12125550101');
    const [gaveUp] = listBatchAttempts(t.db, t.batch.id);
    expect(gaveUp).toMatchObject({ state: 'rejected', isFinal: true, errorCode: '20500', attempts: 3 });
    expect(gaveUp!.errorMessage).toMatch(/^Gave up after 3 tries: Service Unavailable/);
    expect(outcome.state).toBe('completed');
  });

  it('pauses (calls in flight carry on), resumes where it stopped, and cancel skips what was not dialled', async () => {
    const t = setup({ phones: ['+12125550100', '+12125550101', '+12125550102'] });
    t.fake.onCreate = () => ['completed'];
    const { runner } = t.build(t.db, { afterCreate: () => runner.pause(t.batch.id) });

    const paused = await runner.runBatch(t.batch.id);
    expect(paused.state).toBe('paused');
    expect(t.fake.creates).toHaveLength(1);
    expect(getBatch(t.db, t.batch.id)?.state).toBe('paused');
    expect(listBatchAttempts(t.db, t.batch.id).map((a) => a.state)).toEqual(['placed', 'pending', 'pending']);

    const { runner: second } = t.build(t.db, { afterCreate: () => second.cancel(t.batch.id) });
    const cancelled = await second.resume(t.batch.id);
    expect(cancelled.state).toBe('cancelled');
    expect(t.fake.creates.map((c) => c.params.to)).toEqual(['+12125550100', '+12125550101']);
    expect(listBatchAttempts(t.db, t.batch.id).map((a) => a.state)).toEqual(['placed', 'placed', 'skipped']);
    expect(getBatch(t.db, t.batch.id)?.state).toBe('cancelled');
  });

  it('finishes as soon as callbacks stored by someone else make every call final', async () => {
    const t = setup({ target: TUNNEL, phones: ['+12125550100'] });
    const { runner } = t.build(t.db);
    const finished: string[] = [];
    runner.on('batch-finished', (o) => finished.push(o.state));
    runner.on('call-updated', (attempt) => {
      if (attempt.state !== 'placed' || !attempt.callSid) return;
      // The callback server (another module) stores the final callback while the runner waits.
      recordStatusEvent(t.db, { callSid: attempt.callSid, source: 'callback', sequenceNumber: 3, callStatus: 'completed', params: {}, receivedAt: new Date(t.time.now).toISOString() });
    });

    const outcome = await runner.runBatch(t.batch.id, { waitSeconds: 600 });

    expect(outcome.state).toBe('completed');
    expect(finished).toEqual(['completed']);
    expect(t.fake.fetched).toHaveLength(0); // callback mode: nothing polled
  });
});

describe('BatchRunner wait phase', () => {
  it('asks Twilio about open calls once more before timing out, so a dropped final callback does not leave a call open', async () => {
    const t = setup({ target: TUNNEL, phones: ['+12125550100'] });
    const { runner } = t.build(t.db);
    runner.on('call-updated', (attempt) => {
      if (attempt.callSid && attempt.state === 'placed') t.fake.setStatus(attempt.callSid, 'completed'); // the call ends; its callback is lost
    });

    const outcome = await runner.runBatch(t.batch.id, { waitSeconds: 120 });

    expect(outcome).toEqual({ batchId: t.batch.id, state: 'completed', openCallSids: [] });
    expect(listBatchAttempts(t.db, t.batch.id)[0]).toMatchObject({ status: 'completed', statusSource: 'reconcile' });
  });

  it('dials an interrupted attempt again only once Twilio confirms it has no such call, even if Twilio could not be asked at first', async () => {
    const t = setup({ phones: ['+12125550100', '+12125550101'] });
    t.fake.onCreate = () => ['completed'];
    // A previous process died after committing `dialing` but before its request reached Twilio.
    const first = listBatchAttempts(t.db, t.batch.id)[0]!;
    markDialing(t.db, first.id, { statusCallbackUrl: null, twimlUrl: null, from: FROM, to: '+12125550100', now: new Date(t.time.now).toISOString() });
    const list = t.fake.list.bind(t.fake);
    let listCalls = 0;
    t.fake.list = async (filter) => {
      listCalls += 1;
      if (listCalls === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return list(filter);
    };
    const { runner } = t.build(t.db);

    const outcome = await runner.runBatch(t.batch.id);

    expect(outcome.state).toBe('completed');
    expect(listCalls).toBe(2);
    expect(t.fake.creates.map((c) => c.params.to)).toEqual(['+12125550101', '+12125550100']);
    expect(getCallAttempt(t.db, first.id)).toMatchObject({ state: 'placed', status: 'completed', attempts: 2 });
  });
});

describe('BatchRunner: killed between Twilio accepting the call and storing its SID', () => {
  it('resumes on the same database file, calls nobody twice and ends with the true final status', async () => {
    const t = setup({ phones: ['+12125550100', '+12125550101', '+12125550102'] });
    t.fake.onCreate = () => ['in-progress', 'completed'];
    // "Dies" right after Twilio accepted the second call: nothing after this line runs in that process.
    const { runner: dying, poller: dyingPoller } = t.build(t.db, {
      afterCreate: (attempt) => {
        if (attempt.position === 1) throw new Error('process killed');
      },
    });
    await expect(dying.runBatch(t.batch.id)).rejects.toThrow('process killed');
    dyingPoller.stop(); // the dead process's timers die with it
    closeDatabase(t.db);
    expect(t.fake.creates).toHaveLength(2);

    const db = openDatabase(t.file);
    cleanups.push(() => closeDatabase(db));
    const stuck = listBatchAttempts(db, t.batch.id)[1]!;
    expect(stuck).toMatchObject({ state: 'dialing', callSid: null });

    const { runner: restarted, poller } = t.build(db);
    poller.start();
    const outcome = await restarted.runBatch(t.batch.id);

    expect(outcome.state).toBe('completed');
    for (const to of ['+12125550100', '+12125550101', '+12125550102']) {
      expect(t.fake.creates.filter((c) => c.params.to === to)).toHaveLength(1);
    }
    const recovered = getCallAttempt(db, stuck.id)!;
    const twilioSid = [...t.fake.calls.values()].find((c) => c.to === '+12125550101')!.sid;
    expect(recovered).toMatchObject({ state: 'placed', callSid: twilioSid, status: 'completed', isFinal: true, attempts: 1 });
    expect(listCallEvents(db, twilioSid).map((e) => e.source)).toContain('reconcile');
  });
});
