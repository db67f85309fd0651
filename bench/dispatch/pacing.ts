import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchRunner } from '../../src-main/core/batches/batch-runner';
import { TwilioSimulator } from '../../src-main/core/practice/simulator/twilio-simulator';
import { settingsSchema } from '../../src-main/core/settings/schema';
import { upsertAppointments } from '../../src-main/core/store/appointments';
import { createBatch } from '../../src-main/core/store/batches';
import { closeDatabase, openDatabase } from '../../src-main/core/store/database';
import { createTwilioClient, type CallsApi } from '../../src-main/core/twilio/twilio-client';

// Dispatch pacing: the real BatchRunner dials a batch against the Twilio simulator over HTTP at a set
// calls_per_second. `speedup` > 1 runs the runner on an accelerated clock (its clock and sleep are injected:
// virtual time = speedup x real time, every wait the pacer asks for is shortened by that factor), so 1,000
// calls at 1/s do not take 17 minutes; rates are measured in the runner's own (virtual) time, and the HTTP
// round trips, which are real, only make the measurement harder to pass.

export interface PacingResult {
  callsPerSecond: number;
  calls: number;
  speedup: number;
  achievedRate: number;
  /** |achieved - set| / set, in percent. */
  errorPercent: number;
  /** Most creates in any 1-second window (virtual time): above the setting would be a self-caused 429 at Twilio. */
  maxInOneSecond: number;
  rateLimited: number;
  duplicates: number;
  realSeconds: number;
}

export async function benchPacing(opts: { callsPerSecond: number; calls: number; speedup: number }): Promise<PacingResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bench-pacing-'));
  const simulator = new TwilioSimulator({ timeScale: 0.001 });
  await simulator.start();
  const db = openDatabase(path.join(dir, 'pacing.sqlite'));
  try {
    const { ids } = upsertAppointments(
      db,
      Array.from({ length: opts.calls }, (_, i) => ({
        dedupeKey: `p${i}`,
        externalId: null,
        name: `Patient ${i}`,
        phoneNumber: `+1212555${String(1000 + i).padStart(4, '0')}`,
        email: null,
        appointmentAt: '2030-01-15T10:00:00+00:00',
        location: null,
      })),
      null,
      new Date().toISOString(),
    );
    const batch = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date() });
    const client = createTwilioClient({ accountSid: simulator.accountSid, authToken: simulator.authToken, apiBaseUrl: simulator.baseUrl });
    const realStart = Date.now();
    const clock = () => realStart + (Date.now() - realStart) * opts.speedup;
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms / opts.speedup)));
    const createdAt: number[] = [];
    let rateLimited = 0;
    const calls: CallsApi = {
      fetch: (sid) => client.calls.fetch(sid),
      list: (filter) => client.calls.list(filter),
      async create(params) {
        createdAt.push(clock());
        try {
          return await client.calls.create(params);
        } catch (error) {
          if ((error as { status?: number }).status === 429) rateLimited += 1;
          throw error;
        }
      },
    };
    const settings = settingsSchema.parse({
      scheduling: { timezone: 'UTC', calling_hours: { start: '00:00', end: '23:59' } },
      calling: { calls_per_second: opts.callsPerSecond, max_retries: 0 },
    });
    const runner = new BatchRunner({
      db,
      calls: () => calls,
      settings: () => settings,
      fromNumber: () => '+15005550006',
      callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
      renderMessage: (appointment) => `Hello ${appointment.name}.`,
      poller: { track: () => undefined },
      clock,
      sleep,
    });
    await runner.runBatch(batch.id, { waitSeconds: 0 });
    const realSeconds = (Date.now() - realStart) / 1000;
    const span = (createdAt.at(-1)! - createdAt[0]!) / 1000;
    const achievedRate = (createdAt.length - 1) / span;
    let maxInOneSecond = 0;
    for (let i = 0, j = 0; j < createdAt.length; j += 1) {
      while (createdAt[j]! - createdAt[i]! >= 1000) i += 1;
      maxInOneSecond = Math.max(maxInOneSecond, j - i + 1);
    }
    const perNumber = new Map<string, number>();
    for (const call of simulator.listCalls()) perNumber.set(call.to, (perNumber.get(call.to) ?? 0) + 1);
    const duplicates = [...perNumber.values()].reduce((sum, n) => sum + n - 1, 0) + Math.max(0, simulator.listCalls().length - opts.calls);
    return {
      callsPerSecond: opts.callsPerSecond,
      calls: createdAt.length,
      speedup: opts.speedup,
      achievedRate,
      errorPercent: (Math.abs(achievedRate - opts.callsPerSecond) / opts.callsPerSecond) * 100,
      maxInOneSecond,
      rateLimited,
      duplicates,
      realSeconds,
    };
  } finally {
    closeDatabase(db);
    await simulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
