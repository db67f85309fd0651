// A name that breaks the call (issue 9.6): /twiml must answer valid TwiML (never a 500 that makes Twilio
// play an application error to the patient), and the log must name the cause without the patient's details.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertAppointments } from '../../../src-main/core/store/appointments';
import { listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { parseTwiml } from '../../../src-main/core/practice/simulator/twiml-script';
import { FALLBACK_REMINDER, reminderVoice } from '../../../src-main/core/twilio/reminder-voice';
import { EngineHarness, until } from '../engine/engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

const TEMPLATE = 'Hello {name}. Your appointment is on {appointment_date} at {appointment_time} at {location}.';
const AT = '2026-11-25T09:00:00-05:00';
const GATHER = 'https://abc.ngrok-free.app/gather?attempt=1';
const saidIn = (twiml: string): string[] => parseTwiml(twiml).verbs.flatMap((verb) => (verb.verb === 'Say' ? [verb.text] : []));

describe('reminderVoice', () => {
  it('speaks the reminder normally, with NUL and other XML-invalid characters blanked instead of failing', () => {
    const voice = reminderVoice({ template: TEMPLATE, timezone: 'America/New_York', appointment: { name: 'Ann\u0000 Lee\u0007', appointmentAt: AT, location: null }, gatherActionUrl: GATHER });
    expect(voice.problem).toBeNull();
    expect(saidIn(voice.twiml)[0]).toBe('Hello Ann  Lee . Your appointment is on Wednesday, November 25 at 9:00 AM at our clinic.');
  });

  it('answers the generic reminder when the appointment makes it too long, blaming the values, not the template', () => {
    const voice = reminderVoice({ template: TEMPLATE, timezone: 'America/New_York', appointment: { name: 'N'.repeat(100_000), appointmentAt: AT, location: 'Main St' }, gatherActionUrl: GATHER });
    expect(saidIn(voice.twiml)).toEqual([FALLBACK_REMINDER]);
    expect(voice.problem).toMatch(/this appointment's name or location is too long/);
    expect(voice.problem).not.toMatch(/NNN|Main St|November/);
  });

  it('blames message.message_template when it is too long on its own', () => {
    const voice = reminderVoice({ template: `{name} ${'x'.repeat(3_990)}`, timezone: 'America/New_York', appointment: { name: 'Ann', appointmentAt: AT, location: null }, gatherActionUrl: GATHER });
    expect(saidIn(voice.twiml)).toEqual([FALLBACK_REMINDER]);
    expect(voice.problem).toMatch(/message\.message_template is too long/);
  });
});

describe('/twiml for a stored appointment whose name breaks the call', () => {
  it('answers 200 with the generic reminder to the (simulated) Twilio fetch and logs the cause without name, date or place', async () => {
    const engine = await harness.practice();
    // Rows stored before imports refused such names: written straight to the store.
    const long = `Zed${'z'.repeat(99_997)}`;
    const summary = upsertAppointments(
      engine.db,
      [
        { dedupeKey: 'k1', externalId: null, name: long, phoneNumber: '+12125550100', email: null, appointmentAt: AT, location: 'Elm Street Clinic' },
        { dedupeKey: 'k2', externalId: null, name: 'Nul\u0000Person', phoneNumber: '+12125550101', email: null, appointmentAt: AT, location: 'Elm Street Clinic' },
      ],
      'legacy.csv',
      new Date().toISOString(),
    );
    const batch = engine.batches.create(summary.ids);
    await engine.batches.run(batch.id, { waitSeconds: 20 });
    await until(() => listCallbackRequests(engine.db, { limit: 100 }).filter((r) => r.path === '/twiml').length === 2);

    const twimlRequests = listCallbackRequests(engine.db, { limit: 100 }).filter((r) => r.path === '/twiml');
    expect(twimlRequests.map((r) => r.responseStatus)).toEqual([200, 200]);

    const log = fs.readFileSync(path.join(engine.dataDir, 'logs', 'reminder-desk.log'), 'utf8');
    expect(log).toMatch(/this appointment's name or location is too long/);
    for (const secret of ['Zedzzz', 'Nul', 'Elm Street', 'November', '2026-11-25']) expect(log).not.toContain(secret);
  });
});
