import { afterEach, describe, expect, it } from 'vitest';
import { BatchRunner } from '../../../src-main/core/batches/batch-runner';
import type { CallbackTarget } from '../../../src-main/core/batches/place-reminder-call';
import { systemSleep } from '../../../src-main/core/batches/timing';
import { CallPoller } from '../../../src-main/core/calls/call-poller';
import { Reconciler } from '../../../src-main/core/calls/reconciler';
import type { Settings } from '../../../src-main/core/settings/schema';
import { TwilioSimulator, type SimulatorOptions } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { createBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import type { Db } from '../../../src-main/core/store/database';
import { createTwilioClient } from '../../../src-main/core/twilio/twilio-client';
import { addAppointments, makeSettings, tempDb } from './fixtures';
import { expectRequestsConformToTwilioApi } from './twilio-contract';

// The real twilio client against the practice simulator over loopback: the same code path as a real account.

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const TIME_SCALE = 20;

async function setup(simOptions: SimulatorOptions, phones: string[], target: CallbackTarget, settings: Settings) {
  const started = Date.now();
  const simulator = new TwilioSimulator({ timeScale: 0.02, ...simOptions });
  await simulator.start();
  cleanups.push(() => simulator.stop());
  const store = tempDb();
  cleanups.push(store.cleanup);
  const client = createTwilioClient({ accountSid: simulator.accountSid, authToken: simulator.authToken, apiBaseUrl: simulator.baseUrl });
  const clock = (): number => started + (Date.now() - started) * TIME_SCALE;
  const poller = new CallPoller({ db: store.db, calls: () => client.calls, clock, firstPollAfterMs: 50, maxIntervalMs: 200 });
  cleanups.unshift(() => poller.stop());
  const runner = new BatchRunner({
    db: store.db,
    calls: () => client.calls,
    settings: () => settings,
    fromNumber: () => '+15005550006',
    callbackTarget: () => target,
    renderMessage: (appointment) => `Hello ${appointment.name}.`,
    poller,
    // The runner's own time runs 20x faster (429 back-off of 1 s, 2 s ... takes 50 ms, 100 ms ...).
    clock,
    sleep: (ms) => systemSleep(ms / TIME_SCALE),
    dialSettleMs: 100,
    waitCheckMs: 50,
  });
  const batch = createBatch(store.db, { appointmentIds: addAppointments(store.db, phones), simulated: true, now: new Date() });
  return { simulator, db: store.db as Db, client, runner, batch };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function createRequests(simulator: TwilioSimulator) {
  return simulator.requests.filter((r) => r.method === 'POST' && /\/Calls\.json$/.test(r.path));
}

describe('BatchRunner against the Twilio simulator', () => {
  it('rides out 429 / 20429 and places each call exactly once, polling to the final statuses', async () => {
    const phones = ['+12125550100', '+12125550103', '+12125550105', '+12125550107'];
    const settings = makeSettings({ calling: { calls_per_second: 50, call_timeout_seconds: 5, max_retries: 0 } });
    const t = await setup({ rateLimitEvery: 2 }, phones, { statusCallbackUrl: null, publicBaseUrl: null }, settings);

    const outcome = await t.runner.runBatch(t.batch.id, { waitSeconds: 300 });

    expect(outcome.state).toBe('completed');
    const creates = createRequests(t.simulator);
    expect(creates.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    const accepted = creates.filter((r) => r.status === 201).map((r) => r.form.To);
    expect(accepted.sort()).toEqual(['+12125550100', '+12125550103', '+12125550105']);
    const attempts = listBatchAttempts(t.db, t.batch.id);
    expect(attempts.map((a) => [a.status, a.statusSource ?? a.state])).toEqual([
      ['completed', 'poll'],
      ['completed', 'poll'],
      ['no-answer', 'poll'],
      ['failed', 'rejected'],
    ]);
    expect(attempts[1]).toMatchObject({ answered: true, answeredBy: 'machine_end_beep' });
    expect(attempts[3]).toMatchObject({ errorCode: '21211' });
    expectRequestsConformToTwilioApi(t.simulator);
  });

  it('a call whose callbacks never arrive still ends with its true status through reconciliation', async () => {
    const phones = ['+12125550100', '+12125550104'];
    const settings = makeSettings({ calling: { calls_per_second: 50, max_retries: 0 } });
    // Nothing listens on port 9 of loopback: every status callback fails, as when a tunnel URL went stale.
    const target = { statusCallbackUrl: 'http://127.0.0.1:9/status', publicBaseUrl: null };
    const t = await setup({}, phones, target, settings);
    const reconciler = new Reconciler({ db: t.db, calls: () => t.client.calls, settings: () => settings });

    const outcome = t.runner.runBatch(t.batch.id, { waitSeconds: 300 });
    await until(() => listBatchAttempts(t.db, t.batch.id).every((a) => a.state === 'placed'));
    await t.simulator.waitForCallsToFinish(15_000);
    expect(listBatchAttempts(t.db, t.batch.id).map((a) => a.status)).toEqual([null, null]); // no callback reached us
    const report = await reconciler.reconcileAll();

    expect(report).toMatchObject({ checked: 2, updated: 2, stillOpen: 0, failed: 0 });
    await expect(outcome).resolves.toMatchObject({ state: 'completed', openCallSids: [] });
    const attempts = listBatchAttempts(t.db, t.batch.id);
    expect(attempts.map((a) => [a.status, a.statusSource, a.statusCallbackUrl])).toEqual([
      ['completed', 'reconcile', 'http://127.0.0.1:9/status'],
      ['busy', 'reconcile', 'http://127.0.0.1:9/status'],
    ]);
    expect(createRequests(t.simulator).map((r) => r.form.StatusCallback)).toEqual(['http://127.0.0.1:9/status', 'http://127.0.0.1:9/status']);
    expectRequestsConformToTwilioApi(t.simulator);
  });
});
