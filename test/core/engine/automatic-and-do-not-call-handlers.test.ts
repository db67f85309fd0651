import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AutomaticRemindersView, Envelope, LanguagePreview, OperationArgs, OperationName } from '../../../src-main/core/api/contract';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import type { Engine } from '../../../src-main/core/engine';
import { listBatches } from '../../../src-main/core/store/batches';
import { EngineHarness, settingsYaml, until } from './engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

function call<K extends OperationName>(engine: Engine, operation: K, args: OperationArgs<K>) {
  return invokeOperation(engine.handlers(), operation, args);
}

describe('automatic reminders switch', () => {
  it('is off until turned on, refused while no real account is set up, and stored per mode', async () => {
    const dir = harness.tempDir();
    const real = await harness.open(dir);
    await real.start({ automaticReminders: true });
    expect(await call(real, 'automatic/get', {})).toMatchObject({ ok: true, value: { enabled: false, practice: false, available: false } });
    expect(await call(real, 'automatic/set', { enabled: true })).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringContaining('Twilio is not set up') } });
    await real.stop();

    // Practice mode may try it: simulated calls reach nobody. It does not carry over to real mode.
    const practice = await harness.practice({}, dir, {});
    expect(await call(practice, 'automatic/set', { enabled: true })).toMatchObject({ ok: true, value: { enabled: true, practice: true, available: true } });
    await practice.stop();
    const realAgain = await harness.open(dir);
    expect(await call(realAgain, 'automatic/get', {})).toMatchObject({ ok: true, value: { enabled: false, practice: false } });
  });

  it('when on, the desktop app\'s scheduler calls due reminders on its own and says what is next', async () => {
    const dir = harness.tempDir(settingsYaml('  reminder_hours_before: [48, 2]\n  calling_days: [sun, mon, tue, wed, thu, fri, sat]\n  check_interval_minutes: 0.01\n'));
    const engine = await harness.open(dir, { practice: true, simulator: { timeScale: 0.01 } });
    await engine.start({ automaticReminders: true });
    const csv = path.join(dir, 'a.csv');
    const soon = new Date(Date.now() + 30 * 3_600_000);
    const later = new Date(Date.now() + 100 * 3_600_000);
    const fmt = (d: Date): string => d.toLocaleString('sv-SE', { timeZone: 'America/New_York' }).slice(0, 16);
    fs.writeFileSync(csv, `name,phone_number,appointment_date\nAnn Soon,+12125550100,${fmt(soon)}\nBo Later,+12125550101,${fmt(later)}\n`);
    await engine.appointments.importFile(csv);
    const off = await call(engine, 'automatic/get', {});
    expect(off).toMatchObject({ ok: true, value: { enabled: false, next: { count: 1 } } });
    expect(listBatches(engine.db)).toEqual([]); // off: nothing is called

    await call(engine, 'automatic/set', { enabled: true });
    await until(() => listBatches(engine.db).length === 1);
    const view = (await call(engine, 'automatic/get', {})) as Envelope<AutomaticRemindersView>;
    // Next: Ann's 2-hour reminder (28 hours from now), before Bo's 48-hour one (52 hours from now).
    expect(view).toMatchObject({ ok: true, value: { enabled: true, next: { count: 1 } } });
    if (view.ok) expect(Math.abs(Date.parse(view.value.next.at!) - (soon.getTime() - 2 * 3_600_000))).toBeLessThan(60_000);
  });
});

describe('do-not-call screen and language previews', () => {
  it('adds, lists and removes numbers; previews each language with its voice', async () => {
    const dir = harness.tempDir(
      settingsYaml(
        'message:\n  templates:\n    es: "Hola {first_name}. Le recordamos su cita el {appointment_date} a las {appointment_time}{location_text}."\n  voices:\n    es: { voice: Polly.Lupe, language: es-US }\n',
      ),
    );
    const engine = await harness.open(dir);
    expect(await call(engine, 'do-not-call/add', { number: '(212) 555-0100', reason: 'asked' })).toMatchObject({
      ok: true,
      value: [{ phoneNumber: '+12125550100', reason: 'asked', source: 'staff' }],
    });
    expect(await call(engine, 'do-not-call/add', { number: 'no number' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
    // The patient's detail and the board say the number is on the list.
    const csv = path.join(dir, 'p.csv');
    fs.writeFileSync(csv, 'name,phone_number,appointment_date\nAnn Listed,212-555-0100,2030-03-11 10:00\n');
    const [id] = (await engine.appointments.importFile(csv)).summary.ids;
    expect(await call(engine, 'appointments/timeline', { appointmentId: id! })).toMatchObject({ ok: true, value: { appointment: { onDoNotCallList: true, confirmedAt: null } } });
    expect(await call(engine, 'appointments/list', {})).toMatchObject({ ok: true, value: [{ id, onDoNotCallList: true }] });
    expect(await call(engine, 'do-not-call/remove', { phoneNumber: '+12125550100' })).toEqual({ ok: true, value: [] });
    expect(await call(engine, 'do-not-call/remove', { phoneNumber: '+12125550100' })).toMatchObject({ ok: false, error: { kind: 'not-found' } });

    const previews = (await call(engine, 'settings/preview-languages', {})) as Envelope<LanguagePreview[]>;
    expect(previews.ok).toBe(true);
    if (!previews.ok) return;
    expect(previews.value.map((p) => [p.language, p.voice])).toEqual([
      ['en', null],
      ['es', 'Polly.Lupe'],
    ]);
    expect(previews.value[0]!.text).toMatch(/^Hello Maria\. This is a reminder of your appointment on \w+, \w+ \d+ at \d+:\d\d (AM|PM) at Main Street Clinic\.$/);
    // Spanish words for the day and the place: "el miércoles, 2 de diciembre a las 14:30 en Main Street Clinic".
    expect(previews.value[1]!.text).toMatch(/^Hola Maria\. Le recordamos su cita el (lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d+ de \w+ a las \d+:\d\d en Main Street Clinic\.$/);
    expect(previews.value[0]!.voicemailText).toContain('please call us back');
  });
});
