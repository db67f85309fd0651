import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Engine, type EngineOptions } from '../../../src-main/core/engine';
import type { CallAttempt } from '../../../src-main/core/domain';
import { MemorySecretStore } from '../../../src-main/core/settings/secrets';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator, type SimulatorOptions } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';

export const SAMPLE_CSV = path.resolve(import.meta.dirname, '..', '..', '..', 'resources', 'sample-appointments.csv');

/** The simulator's outcome table for the sample file's numbers (last two digits 00..07). */
export const TRUE_FINAL_STATUS: Record<string, { status: string; answered: boolean }> = {
  '00': { status: 'completed', answered: true },
  '01': { status: 'completed', answered: true },
  '02': { status: 'completed', answered: true },
  '03': { status: 'completed', answered: true },
  '04': { status: 'busy', answered: false },
  '05': { status: 'no-answer', answered: false },
  '06': { status: 'failed', answered: false },
  '07': { status: 'failed', answered: false }, // refused at creation (21211): never dialled
};

/** Fast settings: port 0, quick pace, short call timeout. */
export function settingsYaml(extra = '', callsPerSecond = 50): string {
  return `server:
  port: 0
calling:
  calls_per_second: ${callsPerSecond}
  call_timeout_seconds: 10
scheduling:
  timezone: America/New_York
  calling_hours: { start: "00:00", end: "23:59" }
${extra}`;
}

export const FAST_TIMING = { pollFirstAfterMs: 20, pollMaxIntervalMs: 100, waitCheckMs: 20, reconcileIntervalMs: 60_000 } as const;

export class EngineHarness {
  readonly cleanups: (() => Promise<void> | void)[] = [];

  tempDir(settings = settingsYaml()): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-engine-'));
    fs.writeFileSync(path.join(dir, 'settings.yaml'), settings);
    this.cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async open(dataDir: string, opts: Partial<EngineOptions> = {}): Promise<Engine> {
    const engine = await Engine.open({ dataDir, env: {}, secrets: new MemorySecretStore(), timing: FAST_TIMING, ...opts });
    this.cleanups.push(() => engine.stop());
    return engine;
  }

  /** A practice-mode engine: the built-in simulator, callbacks to the callback server's loopback URL. */
  async practice(simulator: Partial<SimulatorOptions> = {}, dataDir = this.tempDir(), opts: Partial<EngineOptions> = {}): Promise<Engine> {
    const engine = await this.open(dataDir, { practice: true, simulator: { timeScale: 0.01, ...simulator }, ...opts });
    await engine.start();
    return engine;
  }

  /**
   * A "real account" engine in polling mode: Twilio is a simulator the test starts, reached only through
   * twilio.api_base_url with the account's credentials; no tunnel and no own URL, so nothing posts callbacks.
   */
  async polling(simulatorOptions: SimulatorOptions = {}): Promise<{ engine: Engine; simulator: TwilioSimulator }> {
    const simulator = new TwilioSimulator({ timeScale: 0.01, ...simulatorOptions });
    await simulator.start();
    this.cleanups.push(() => simulator.stop());
    const dataDir = this.tempDir(
      settingsYaml(`twilio:\n  api_base_url: ${simulator.baseUrl}\n  from_number: "${PRACTICE_PHONE_NUMBERS[0]}"\ntunnel:\n  provider: none\n`),
    );
    const engine = await this.open(dataDir, {
      secrets: new MemorySecretStore({ TWILIO_ACCOUNT_SID: simulator.accountSid, TWILIO_AUTH_TOKEN: simulator.authToken }),
    });
    await engine.start();
    return { engine, simulator };
  }

  async cleanup(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }
}

/** Imports the sample file and creates a batch of all of it. */
export async function sampleBatch(engine: Engine): Promise<string> {
  const imported = await engine.appointments.importFile(SAMPLE_CSV);
  expect(imported.summary.ids).toHaveLength(8);
  return engine.batches.create(imported.summary.ids).id;
}

/** Every call of the batch ended with the status the simulator's table says it truly had. */
export function expectTrueFinalStatuses(engine: Engine, batchId: string): CallAttempt[] {
  const attempts = listBatchAttempts(engine.db, batchId);
  expect(attempts).toHaveLength(8);
  for (const attempt of attempts) {
    const expected = TRUE_FINAL_STATUS[attempt.toNumber!.slice(-2)]!;
    expect({ to: attempt.toNumber, status: attempt.status, final: attempt.isFinal, answered: attempt.answered }).toEqual({
      to: attempt.toNumber,
      status: expected.status,
      final: true,
      answered: expected.answered,
    });
  }
  return attempts;
}

/** Resolves when `check` is true, re-checking every few ms (bounded by the test timeout). */
export async function until(check: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
