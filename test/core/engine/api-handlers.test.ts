import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import type { OperationArgs, OperationName } from '../../../src-main/core/api/contract';
import type { Engine } from '../../../src-main/core/engine';
import { APP_VERSION } from '../../../src-main/core/app-version';
import { clinicDayRange } from '../../../src-main/core/vocabulary/clinic-day';
import { MemorySecretStore } from '../../../src-main/core/settings/secrets';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { EngineHarness, SAMPLE_CSV, sampleBatch, settingsYaml } from './engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

function call<K extends OperationName>(engine: Engine, operation: K, args: OperationArgs<K>) {
  return invokeOperation(engine.handlers(), operation, args);
}

describe('API handlers', () => {
  it('settings: read, validated update written to settings.yaml, and template problems refused', async () => {
    const dir = harness.tempDir();
    const engine = await harness.open(dir);
    expect(await call(engine, 'settings/get', {})).toMatchObject({ ok: true, value: { callsPerSecond: 50, timezone: 'America/New_York' } });

    const updated = await call(engine, 'settings/update', { callsPerSecond: 2, callingHours: { start: '08:30', end: '18:00' } });
    expect(updated).toMatchObject({ ok: true, value: { callsPerSecond: 2, callingHours: { start: '08:30', end: '18:00' } } });
    const yaml = YAML.parse(fs.readFileSync(path.join(dir, 'settings.yaml'), 'utf8')) as { calling: Record<string, unknown>; server: unknown };
    expect(yaml.calling.calls_per_second).toBe(2);
    expect(yaml.server).toEqual({ port: 0 }); // untouched keys stay

    const badTemplate = await call(engine, 'settings/update', { messageTemplate: 'Hello {patient}' });
    expect(badTemplate).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('unknown placeholder {patient}') } });
    const badHours = await call(engine, 'settings/update', { callingHours: { start: '9am', end: '18:00' } });
    expect(badHours).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('scheduling.calling_hours.start') } });
    expect(await call(engine, 'settings/get', {})).toMatchObject({ ok: true, value: { callingHours: { start: '08:30' } } });

    const preview = await call(engine, 'settings/preview-message', { template: 'Hi {name}, see you at {location}.' });
    // The keypad question comes with it: the preview shows everything a patient hears.
    expect(preview).toEqual({ ok: true, value: { text: 'Hi Alex Morgan, see you at Main Street Clinic.', problems: [], keypadPrompt: 'Press 1 to confirm, 2 to cancel, 3 to hear this message again, or 9 to stop receiving reminder calls.' } });
  });

  it('save-twilio keeps the token and SID in the secret store, never in settings.yaml', async () => {
    const dir = harness.tempDir();
    const secrets = new MemorySecretStore();
    const engine = await harness.open(dir, { secrets });
    const accountSid = `AC${'1'.repeat(32)}`;
    const authToken = 'f'.repeat(32);
    const state = await call(engine, 'setup/save-twilio', { accountSid, authToken, fromNumber: '+15005550006' });
    expect(state).toMatchObject({ ok: true, value: { fromNumber: '+15005550006', practiceMode: false, version: APP_VERSION } });
    expect(secrets.get('TWILIO_AUTH_TOKEN')).toBe(authToken);
    expect(secrets.get('TWILIO_ACCOUNT_SID')).toBe(accountSid);
    const text = fs.readFileSync(path.join(dir, 'settings.yaml'), 'utf8');
    expect(text).not.toContain(authToken);
    expect(YAML.parse(text).twilio).toEqual({ account_sid: accountSid, from_number: '+15005550006' });
  });

  it('configure-callbacks switches between own URL and polling; the self-test explains a missing public URL', async () => {
    const engine = await harness.open(harness.tempDir());
    await engine.start();
    const own = await call(engine, 'setup/configure-callbacks', { mode: 'own-url', statusCallbackUrl: 'https://reminders.example-clinic.org/hooks/status' });
    expect(own).toMatchObject({
      ok: true,
      value: { mode: 'own-url', statusCallbackUrl: 'https://reminders.example-clinic.org/hooks/status', publicUrl: 'https://reminders.example-clinic.org/hooks' },
    });
    const polling = await call(engine, 'setup/configure-callbacks', { mode: 'polling' });
    expect(polling).toMatchObject({ ok: true, value: { mode: 'polling', statusCallbackUrl: null, tunnel: null } });
    expect(engine.settings.tunnel.provider).toBe('none');
    const selfTest = await call(engine, 'connection/self-test', {});
    expect(selfTest).toMatchObject({ ok: true, value: { ok: false, hop: 'no-public-url', message: expect.stringContaining('no public URL') } });
  });

  it('batches cannot start without Twilio set up, and say what to do', async () => {
    const engine = await harness.open(harness.tempDir());
    await engine.start();
    const file = fs.readFileSync(SAMPLE_CSV).toString('base64');
    expect(await call(engine, 'appointments/import', { fileName: 'a.csv', contentBase64: file })).toMatchObject({ ok: true, value: { inserted: 8 } });
    const started = await call(engine, 'batches/start', { day: '2026-11-26' });
    expect(started).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringContaining('Twilio is not set up') } });
    const none = await call(engine, 'batches/start', { day: '2027-01-01' });
    expect(none).toMatchObject({ ok: false, error: { kind: 'validation', message: 'There are no appointments on 2027-01-01.' } });
    const badFile = await call(engine, 'appointments/import', { fileName: 'a.pdf', contentBase64: 'AAAA' });
    expect(badFile).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('not a supported file type') } });
  });

  it('refuses real calls outside calling hours (clinic time zone) but lets practice and the wizard’s test call through', async () => {
    const simulator = new TwilioSimulator({ timeScale: 0.01 });
    await simulator.start();
    harness.cleanups.push(() => simulator.stop());
    // 02:00 UTC is 21:00 in New York: after the 09:00–19:00 calling hours.
    const night = () => Date.parse('2026-11-25T02:00:00Z');
    const hours = 'calling_hours: { start: "09:00", end: "19:00" }';
    const real = harness.tempDir(
      settingsYaml(`twilio:\n  api_base_url: ${simulator.baseUrl}\n  from_number: "${PRACTICE_PHONE_NUMBERS[0]}"\ntunnel:\n  provider: none\n`).replace('calling_hours: { start: "00:00", end: "23:59" }', hours),
    );
    const engine = await harness.open(real, {
      clock: night,
      secrets: new MemorySecretStore({ TWILIO_ACCOUNT_SID: simulator.accountSid, TWILIO_AUTH_TOKEN: simulator.authToken }),
    });
    await engine.start();
    await engine.appointments.importFile(SAMPLE_CSV);
    const refused = await call(engine, 'batches/start', { day: '2026-11-25' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'conflict', message: expect.stringContaining('outside calling hours (09:00–19:00') } });
    expect(await call(engine, 'batches/list', {})).toMatchObject({ ok: true, value: [] });
    expect(simulator.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    // The staff member's own test call is not a patient call.
    expect(await call(engine, 'setup/test-call', { to: '+12125550102' })).toMatchObject({ ok: true });

    const practiceDir = harness.tempDir(settingsYaml().replace('calling_hours: { start: "00:00", end: "23:59" }', hours));
    const practice = await harness.open(practiceDir, { practice: true, simulator: { timeScale: 0.01 }, clock: night });
    await practice.start();
    await practice.appointments.importFile(SAMPLE_CSV);
    expect(await call(practice, 'batches/start', { day: '2026-11-25' })).toMatchObject({ ok: true }); // simulated calls reach nobody
  });

  it('start-practice is remembered in the data dir', async () => {
    const dir = harness.tempDir(settingsYaml());
    const engine = await harness.open(dir);
    expect(await call(engine, 'setup/start-practice', {})).toMatchObject({ ok: true, value: { practiceMode: true } });
    await engine.stop();
    const again = await harness.open(dir);
    expect(again.practice).toBe(true);
  });

  it('start-practice refused while a real batch calls leaves the saved mode untouched', async () => {
    const { engine } = await harness.polling();
    const batchId = await sampleBatch(engine);
    const run = engine.batches.run(batchId, { waitSeconds: 60 });
    const refused = await call(engine, 'setup/start-practice', {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(engine.practiceMode.isStored()).toBe(false);
    expect((await run).state).toBe('completed');
  });

  it('leave-practice goes back to real calls: refused while a batch calls, then the wizard opens again', async () => {
    const dir = harness.tempDir(settingsYaml('tunnel:\n  provider: none\n'));
    const engine = await harness.open(dir, { simulator: { timeScale: 0.01 } });
    await engine.start();
    expect(await call(engine, 'setup/start-practice', {})).toMatchObject({ ok: true, value: { practiceMode: true } });
    expect(await call(engine, 'setup/complete', {})).toMatchObject({ ok: true, value: { setupComplete: true } });
    expect(engine.connection.status()).toMatchObject({ mode: 'simulator', simulated: true });

    const batchId = await sampleBatch(engine);
    const run = engine.batches.run(batchId, { waitSeconds: 60 });
    const refused = await call(engine, 'setup/leave-practice', {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'conflict', message: expect.stringContaining('Pause or cancel it') } });
    expect(engine.practiceMode.isStored()).toBe(true);
    expect(await call(engine, 'app/get-state', {})).toMatchObject({ ok: true, value: { practiceMode: true, setupComplete: true } });
    expect((await run).state).toBe('completed');

    expect(await call(engine, 'setup/practice-data', {})).toEqual({ ok: true, value: { appointments: 8, batches: 1, calls: 8 } });
    const left = await call(engine, 'setup/leave-practice', {});
    // The practice data is kept apart by default, and the answer says so.
    expect(left).toMatchObject({ ok: true, value: { practiceMode: false, mode: 'real', setupComplete: false, practiceData: { action: 'kept', appointments: 8, batches: 1 } } });
    expect(engine.practiceMode.isStored()).toBe(false);
    expect(engine.practiceMode.simulator).toBeNull();
    // No simulator route any more: with no tunnel and no own URL, calls would be polled from the real Twilio.
    expect(engine.connection.status()).toMatchObject({ mode: 'polling', simulated: false, statusCallbackUrl: null });
    expect(await call(engine, 'batches/start', { appointmentIds: [1] })).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringContaining('Twilio is not set up') } });
    // Real work starts from the real data: the practice batch and appointments are not seen from real mode...
    expect(await call(engine, 'batches/list', {})).toEqual({ ok: true, value: [] });
    expect(await call(engine, 'appointments/list', {})).toEqual({ ok: true, value: [] });
    expect(await call(engine, 'batches/progress', { batchId })).toMatchObject({ ok: false, error: { kind: 'not-found' } });

    await engine.stop();
    const again = await harness.open(dir);
    expect(again.practice).toBe(false);
    await again.start();
    // ...and come back in practice mode, marked simulated.
    expect(await call(again, 'setup/start-practice', {})).toMatchObject({ ok: true });
    expect(await call(again, 'batches/list', {})).toMatchObject({ ok: true, value: [{ id: batchId, simulated: true, mode: 'practice' }] });
    expect(await call(again, 'appointments/list', {})).toMatchObject({ ok: true, value: { length: 8 } });
  });
});

describe('clinicDayRange', () => {
  it('maps a clinic day to its UTC range, across DST', () => {
    expect(clinicDayRange('2026-11-25', 'America/New_York')).toEqual({ fromUtc: '2026-11-25T05:00:00.000Z', toUtc: '2026-11-26T05:00:00.000Z' });
    // 2026-03-08: clocks spring forward, the day has 23 hours.
    expect(clinicDayRange('2026-03-08', 'America/New_York')).toEqual({ fromUtc: '2026-03-08T05:00:00.000Z', toUtc: '2026-03-09T04:00:00.000Z' });
    // Santiago skips midnight on 2026-09-06: the day starts at 01:00 local.
    expect(clinicDayRange('2026-09-06', 'America/Santiago').fromUtc).toBe('2026-09-06T04:00:00.000Z');
  });
});

describe('APP_VERSION', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
