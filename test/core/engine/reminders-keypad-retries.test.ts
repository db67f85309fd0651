import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { ReminderScheduler } from '../../../src-main/core/batches/reminder-scheduler';
import { exportBatchLog } from '../../../src-main/core/batches/export-batch';
import { getAppointment } from '../../../src-main/core/store/appointments';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { isOnDoNotCallList, listDoNotCall } from '../../../src-main/core/store/do-not-call';
import { EngineHarness, settingsYaml, until } from './engine-fixtures';

// Issue 10 against the practice simulator, end to end: the simulator dials, fetches the TwiML from the engine's
// callback server (AnswerdBy included when machine detection was asked for), plays the keys of its outcome table
// and posts every status callback. Appointments are in 2030, so retries are always before the appointment.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

const RETRY_SETTINGS = `
  max_retries: 2
  retry_delay_seconds: 60
  detect_voicemail: true
message:
  callback_number: "+1 212 555 0199"
  voicemail_template: "Hello {first_name}, this is Main Street Clinic about {appointment_date}. Please call us back{callback_number_text}."
`;

function settingsWith(extra: string): string {
  // settingsYaml's calling: block is first: append our calling keys to it.
  return settingsYaml().replace('  call_timeout_seconds: 10\n', `  call_timeout_seconds: 10\n${extra.split('message:')[0]!.replace(/^\n/, '')}`) + (extra.includes('message:') ? `message:${extra.split('message:')[1]}` : '');
}

async function importRows(engine: Engine, dir: string, rows: [name: string, phone: string, date?: string][]): Promise<number[]> {
  const file = path.join(dir, `appointments-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  const lines = rows.map(([name, phone, date], i) => `${name},${phone},${date ?? `2030-03-1${i % 9} 10:00`},Main Street Clinic`);
  fs.writeFileSync(file, ['name,phone_number,appointment_date,location', ...lines].join('\n'));
  const imported = await engine.appointments.importFile(file);
  expect(imported.errors).toEqual([]);
  return imported.summary.ids;
}

function createsTo(engine: Engine): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of engine.practiceMode.simulator!.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/Calls.json') && q.status === 201)) {
    counts.set(String(r.form.To), (counts.get(String(r.form.To)) ?? 0) + 1);
  }
  return counts;
}

function heardBy(engine: Engine, to: string): string[] {
  return engine.practiceMode.simulator!.listCalls().filter((c) => c.to === to).flatMap((c) => c.heard);
}

describe('retries, voicemail and keypad against the simulator', () => {
  it('busy and no-answer get max_retries + 1 calls, a person 1; the export shows the last call and counts them', async () => {
    const dir = harness.tempDir(settingsWith(RETRY_SETTINGS));
    const engine = await harness.practice({}, dir);
    const ids = await importRows(engine, dir, [
      ['Ann Person', '+12125550100'],
      ['Bob Busy', '+12125550104'],
      ['Cy Noanswer', '+12125550105'],
    ]);
    const batch = engine.batches.create(ids);
    const outcome = await engine.batches.run(batch.id, { waitSeconds: 60 });
    expect(outcome.state).toBe('completed');
    expect(Object.fromEntries(createsTo(engine))).toEqual({ '+12125550100': 1, '+12125550104': 3, '+12125550105': 3 });
    const attempts = listBatchAttempts(engine.db, batch.id);
    expect(attempts.filter((a) => a.toNumber === '+12125550104').map((a) => [a.attemptNumber, a.status])).toEqual([
      [1, 'busy'],
      [2, 'busy'],
      [3, 'busy'],
    ]);
    // Retries were spaced by retry_delay_seconds (60 s at the practice time scale 0.01: 600 ms).
    const busy = attempts.filter((a) => a.toNumber === '+12125550104');
    expect(Date.parse(busy[1]!.dialStartedAt!) - Date.parse(busy[0]!.endedAt ?? busy[0]!.dialStartedAt!)).toBeGreaterThanOrEqual(500);

    const out = path.join(dir, 'log.csv');
    await exportBatchLog(engine.db, engine.batches.get(batch.id)!, 'America/New_York', out);
    const rows = fs.readFileSync(out, 'utf8').slice(1).trim().split('\r\n').map((l) => l.split(','));
    const header = rows[0]!;
    const col = (name: string): number => header.indexOf(name);
    expect(rows).toHaveLength(4); // one row per appointment, not per call
    const byPhone = new Map(rows.slice(1).map((r) => [r[col('phone_number')]!, r]));
    expect(byPhone.get("'+12125550104")![col('attempts')]).toBe('3');
    expect(byPhone.get("'+12125550104")![col('call_status')]).toBe('busy');
    expect(byPhone.get("'+12125550105")![col('call_status')]).toBe('no-answer');
    expect(byPhone.get("'+12125550100")![col('attempts')]).toBe('1');
  });

  it('a machine hears the voicemail template after the beep (DetectMessageEnd) and no keypad prompt; a person hears the message', async () => {
    const dir = harness.tempDir(settingsWith(RETRY_SETTINGS));
    const engine = await harness.practice({}, dir);
    const ids = await importRows(engine, dir, [
      ['Vera Voicemail', '+12125550103'],
      ['Ann Person', '+12125550100'],
    ]);
    const batch = engine.batches.create(ids);
    expect((await engine.batches.run(batch.id, { waitSeconds: 60 })).state).toBe('completed');
    const creates = engine.practiceMode.simulator!.requests.filter((r) => r.path.endsWith('/Calls.json') && r.method === 'POST');
    expect(creates.every((r) => r.form.MachineDetection === 'DetectMessageEnd')).toBe(true);

    const machine = heardBy(engine, '+12125550103');
    expect(machine).toEqual(['Hello Vera, this is Main Street Clinic about Sunday, March 10. Please call us back at 1, 2 1 2, 5 5 5, 0 1 9 9.']);
    const person = heardBy(engine, '+12125550100');
    expect(person[0]).toMatch(/^Hello Ann\. This is a reminder of your appointment on Monday, March 11 at 10:00 AM at Main Street Clinic\.$/);
    expect(person[1]).toMatch(/^Press 1 to confirm/);
    // leave_message counts as reached: no retry of the voicemail.
    expect(createsTo(engine).get('+12125550103')).toBe(1);
    const vm = listBatchAttempts(engine.db, batch.id).find((a) => a.toNumber === '+12125550103')!;
    expect(vm.answeredBy).toBe('machine_end_beep');
  });

  it('keys 1, 2, 3, 9, an invalid key and none each store the right answer with its time; 9 joins the do-not-call list', async () => {
    const dir = harness.tempDir(settingsWith(RETRY_SETTINGS));
    const engine = await harness.practice({}, dir);
    const phones = ['+12125550100', '+12125550101', '+12125550110', '+12125550111', '+12125550112', '+12125550102'];
    const ids = await importRows(engine, dir, phones.map((p, i) => [`Pat${i} Example`, p]));
    const batch = engine.batches.create(ids);
    expect((await engine.batches.run(batch.id, { waitSeconds: 60 })).state).toBe('completed');
    await until(() => engine.practiceMode.simulator!.listCalls().every((c) => c.finished));

    const byPhone = new Map(listBatchAttempts(engine.db, batch.id).map((a) => [a.toNumber!, a]));
    const answers = phones.map((p) => [p, byPhone.get(p)!.confirmation, byPhone.get(p)!.keypadReprompts]);
    expect(answers).toEqual([
      ['+12125550100', 'confirmed', 0],
      ['+12125550101', 'cancelled', 0],
      ['+12125550110', 'confirmed', 0], // 3 repeated the message, then 1
      ['+12125550111', 'opted_out', 0],
      ['+12125550112', null, 1], // 5: asked once more, then nothing: goodbye
      ['+12125550102', null, 1], // nothing, asked once more, nothing: goodbye
    ]);
    for (const p of ['+12125550100', '+12125550101', '+12125550110', '+12125550111']) {
      expect(byPhone.get(p)!.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(getAppointment(engine.db, byPhone.get(p)!.appointmentId)!.confirmedAt).toBe(byPhone.get(p)!.confirmedAt);
    }
    const repeated = heardBy(engine, '+12125550110');
    expect(repeated.filter((t) => t.startsWith('Hello Pat2.'))).toHaveLength(2);
    expect(heardBy(engine, '+12125550111')).toContain('You will not receive more reminder calls. Goodbye.');
    expect(heardBy(engine, '+12125550112')).toContain('Sorry, that key is not an option.');
    expect(heardBy(engine, '+12125550112').at(-1)).toBe('We did not receive a response. Thank you, goodbye.');
    expect(heardBy(engine, '+12125550102')[2]).toBe('We did not receive a response.');
    // Answered by a person: never retried, whatever the answer.
    expect([...createsTo(engine).values()].every((n) => n === 1)).toBe(true);

    expect(isOnDoNotCallList(engine.db, '+12125550111')).toBe(true);
    expect(listDoNotCall(engine.db)).toEqual([expect.objectContaining({ phoneNumber: '+12125550111', source: 'keypad' })]);
  });

  it('an opted-out number is skipped by the next batch and by the scheduler, with the reason "do-not-call list"', async () => {
    const dir = harness.tempDir(settingsWith(RETRY_SETTINGS));
    const engine = await harness.practice({}, dir);
    const [optOut, other] = await importRows(engine, dir, [
      ['Olive Optout', '+12125550111'],
      ['Ann Person', '+12125550100'],
    ]);
    const first = engine.batches.create([optOut!]);
    await engine.batches.run(first.id, { waitSeconds: 60 });
    expect(isOnDoNotCallList(engine.db, '+12125550111')).toBe(true);

    const next = engine.batches.create([optOut!, other!]);
    expect((await engine.batches.run(next.id, { waitSeconds: 60 })).state).toBe('completed');
    const skipped = listBatchAttempts(engine.db, next.id).find((a) => a.appointmentId === optOut)!;
    expect(skipped).toMatchObject({ state: 'skipped', errorMessage: 'do-not-call list', callSid: null });
    expect(createsTo(engine).get('+12125550111')).toBe(1);

    // The scheduler: a new appointment of the same number falls due; it is put in a batch and skipped, never dialled.
    const [later] = await importRows(engine, dir, [['Olive Optout', '(212) 555-0111', '2030-04-02 09:00']]);
    const scheduled: Promise<unknown>[] = [];
    const scheduler = new ReminderScheduler({
      db: engine.db,
      runner: { runBatch: (id) => { const run = engine.batches.run(id, { waitSeconds: 30 }); scheduled.push(run); return run; } },
      settings: () => ({ ...engine.settings, scheduling: { ...engine.settings.scheduling, call_immediately: true, calling_days: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] } }),
      simulated: () => true,
    });
    const check = scheduler.checkNow();
    expect(check.appointmentIds).toContain(later);
    await Promise.all(scheduled);
    const scheduledAttempt = listBatchAttempts(engine.db, check.batchId!).find((a) => a.appointmentId === later)!;
    expect(scheduledAttempt).toMatchObject({ state: 'skipped', errorMessage: 'do-not-call list' });
    expect(createsTo(engine).get('+12125550111')).toBe(1);
  });
});
