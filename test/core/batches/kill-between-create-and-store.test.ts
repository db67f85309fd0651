import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchRunner } from '../../../src-main/core/batches/batch-runner';
import { CallPoller } from '../../../src-main/core/calls/call-poller';
import { TwilioSimulator } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { createBatch } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { closeDatabase, openDatabase } from '../../../src-main/core/store/database';
import { listCallEvents } from '../../../src-main/core/store/status-events';
import { createTwilioClient } from '../../../src-main/core/twilio/twilio-client';
import { addAppointments, makeSettings, tempDb } from './fixtures';
import { expectRequestsConformToTwilioApi } from './twilio-contract';

const here = path.dirname(fileURLToPath(import.meta.url));
const PHONES = ['+12125550100', '+12125550104', '+12125550102']; // simulator: confirms, busy, answers without a key

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'dial-and-die.ts'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a process SIGKILLed between Twilio accepting a call and storing its SID', () => {
  it('is resumed by a new runner on the same database file: nobody is called twice and every call gets its true final status', async () => {
    const simulator = new TwilioSimulator({ timeScale: 0.02 });
    await simulator.start();
    cleanups.push(() => simulator.stop());
    const store = tempDb();
    cleanups.push(store.cleanup);
    const batch = createBatch(store.db, { appointmentIds: addAppointments(store.db, PHONES), simulated: true, now: new Date() });
    closeDatabase(store.db);

    const died = await runChild([store.file, simulator.baseUrl, simulator.accountSid, simulator.authToken, batch.id, '1']);
    expect(died.signal, died.stderr).toBe('SIGKILL');

    const db = openDatabase(store.file);
    cleanups.push(() => closeDatabase(db));
    const [first, stuck, untouched] = listBatchAttempts(db, batch.id);
    expect(first!.state).toBe('placed');
    expect(stuck).toMatchObject({ state: 'dialing', callSid: null });
    expect(untouched!.state).toBe('pending');

    const client = createTwilioClient({ accountSid: simulator.accountSid, authToken: simulator.authToken, apiBaseUrl: simulator.baseUrl });
    const settings = makeSettings({ calling: { calls_per_second: 20, max_retries: 0 } });
    const poller = new CallPoller({ db, calls: () => client.calls, firstPollAfterMs: 50, maxIntervalMs: 200 });
    cleanups.push(() => poller.stop());
    const runner = new BatchRunner({
      db,
      calls: () => client.calls,
      settings: () => settings,
      fromNumber: () => '+15005550006',
      callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
      renderMessage: (appointment) => `Hello ${appointment.name}.`,
      poller,
      dialSettleMs: 100,
      waitCheckMs: 50,
    });
    poller.start();

    const outcome = await runner.runBatch(batch.id, { waitSeconds: 20 });

    expect(outcome).toEqual({ batchId: batch.id, state: 'completed', openCallSids: [] });
    const creates = simulator.requests.filter((r) => r.method === 'POST' && /\/Calls\.json$/.test(r.path));
    expect(creates.map((r) => r.form.To).sort()).toEqual([...PHONES].sort());
    const simulatedStuck = simulator.listCalls().find((call) => call.to === PHONES[1]);
    const recovered = getCallAttempt(db, stuck!.id)!;
    expect(recovered).toMatchObject({ state: 'placed', callSid: simulatedStuck!.sid, status: 'busy', isFinal: true, attempts: 1 });
    expect(listCallEvents(db, recovered.callSid!).map((e) => e.source)).toContain('reconcile');
    expect(listBatchAttempts(db, batch.id).map((a) => a.status)).toEqual(['completed', 'busy', 'completed']);
    expect(simulator.requests.some((r) => r.method === 'GET' && /\/Calls\.json$/.test(r.path))).toBe(true); // the Calls list was asked
    expectRequestsConformToTwilioApi(simulator);
  });
});
