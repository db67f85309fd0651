import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchRunner } from '../../src-main/core/batches/batch-runner';
import { CallPoller } from '../../src-main/core/calls/call-poller';
import { TwilioSimulator } from '../../src-main/core/practice/simulator/twilio-simulator';
import { createBatch } from '../../src-main/core/store/batches';
import { listBatchAttempts } from '../../src-main/core/store/call-attempts';
import { closeDatabase, openDatabase } from '../../src-main/core/store/database';
import { createTwilioClient } from '../../src-main/core/twilio/twilio-client';
import { addAppointments, makeSettings, tempDb } from '../core/batches/fixtures';

// The dialing process SIGKILLed at each step of placing one call; a new runner resumes the batch on the same
// database file. Judged by the simulator's own call log (what Twilio would bill): every appointment was
// called exactly once, none twice, and every call ends with its true final status.

const PHONES = ['+12125550100', '+12125550104', '+12125550102', '+12125550100'];
const KILL_AT = 1;
const STEPS = ['before-create', 'accepted-in-flight', 'after-accepted', 'before-store', 'after-store'] as const;

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function runChild(args: string[], simulator: TwilioSimulator, killOnCreate: number | null) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'dispatch-and-die.ts'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let created = 0;
    const onCreated = () => {
      // The simulator has stored the call and is about to answer 201: the dialer dies with the answer in flight.
      if (created++ === killOnCreate) child.kill('SIGKILL');
    };
    if (killOnCreate !== null) simulator.on('call-created', onCreated);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      simulator.off('call-created', onCreated);
      resolve({ code, signal, stderr });
    });
  });
}

describe('the dialing process killed at each step of placing a call', () => {
  it.each(STEPS)('killed %s: after a restart every appointment was called exactly once', async (step) => {
    const simulator = new TwilioSimulator({ timeScale: 0.02 });
    await simulator.start();
    cleanups.push(() => simulator.stop());
    const store = tempDb();
    cleanups.push(store.cleanup);
    const batch = createBatch(store.db, { appointmentIds: addAppointments(store.db, PHONES), simulated: true, now: new Date() });
    closeDatabase(store.db);

    const childStep = step === 'accepted-in-flight' ? 'none' : step;
    const died = await runChild(
      [store.file, simulator.baseUrl, simulator.accountSid, simulator.authToken, batch.id, childStep, String(KILL_AT)],
      simulator,
      step === 'accepted-in-flight' ? KILL_AT : null,
    );
    expect(died.signal, died.stderr).toBe('SIGKILL');
    const createsBeforeRestart = simulator.listCalls().length;
    expect(createsBeforeRestart).toBe(step === 'before-create' ? KILL_AT : KILL_AT + 1);

    const db = openDatabase(store.file);
    cleanups.push(() => closeDatabase(db));
    const client = createTwilioClient({ accountSid: simulator.accountSid, authToken: simulator.authToken, apiBaseUrl: simulator.baseUrl });
    const poller = new CallPoller({ db, calls: () => client.calls, firstPollAfterMs: 50, maxIntervalMs: 200 });
    cleanups.push(() => poller.stop());
    const runner = new BatchRunner({
      db,
      calls: () => client.calls,
      // No automatic retries: a busy patient redialled later is a new attempt, not what this test counts.
      settings: () => makeSettings({ calling: { calls_per_second: 20, max_retries: 0 } }),
      fromNumber: () => '+15005550006',
      callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
      renderMessage: (appointment) => `Hello ${appointment.name}.`,
      poller,
      dialSettleMs: 100,
      waitCheckMs: 50,
    });
    poller.start();
    const outcome = await runner.runBatch(batch.id, { waitSeconds: 30 });

    expect(outcome).toMatchObject({ state: 'completed', openCallSids: [] });
    // The simulator's own log: one call per attempt, no attempt dialled twice.
    const attempts = listBatchAttempts(db, batch.id);
    const calls = simulator.listCalls();
    expect(calls).toHaveLength(PHONES.length);
    expect(new Set(calls.map((c) => c.sid)).size).toBe(PHONES.length);
    const sids = attempts.map((a) => a.callSid);
    expect(new Set(sids).size).toBe(PHONES.length);
    expect([...sids].sort()).toEqual(calls.map((c) => c.sid).sort());
    for (const attempt of attempts) {
      const call = simulator.getCall(attempt.callSid!)!;
      // `attempts` counts tries: killed before its create, the first try never reached Twilio, so it took two.
      const tries = step === 'before-create' && attempt.position === KILL_AT ? 2 : 1;
      expect(attempt).toMatchObject({ state: 'placed', attempts: tries, isFinal: true, status: call.status });
    }
  });
});
