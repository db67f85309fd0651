import { afterEach, describe, expect, it } from 'vitest';
import type { BatchOutcome } from '../../../src-main/core/batches/batch-runner';
import { isWithinCallingHours } from '../../../src-main/core/batches/due-reminders';
import { DUE_REMINDERS_SQL } from '../../../src-main/core/store/reminder-slots';
import { ReminderScheduler } from '../../../src-main/core/batches/reminder-scheduler';
import type { SettingsInput } from '../../../src-main/core/settings/schema';
import { createBatch, getBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { getAppointment, upsertAppointments } from '../../../src-main/core/store/appointments';
import type { Db } from '../../../src-main/core/store/database';
import { addAppointments, FakeTime, makeSettings, tempDb } from './fixtures';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

// 15:00 UTC = 10:00 in New York (winter, UTC-5).
const NOW = Date.parse('2030-01-14T15:00:00Z');

function setup(settingsInput: SettingsInput = {}) {
  const store = tempDb();
  cleanups.push(store.cleanup);
  const time = new FakeTime(NOW);
  const settings = makeSettings({
    scheduling: { timezone: 'America/New_York', reminder_hours_before: 24, calling_hours: { start: '09:00', end: '19:00' }, check_interval_minutes: 15 },
    ...settingsInput,
  });
  const started: string[] = [];
  const runner = {
    runBatch: (batchId: string): Promise<BatchOutcome> => {
      started.push(batchId);
      return Promise.resolve({ batchId, state: 'completed', openCallSids: [] });
    },
  };
  const scheduler = new ReminderScheduler({ db: store.db, runner, settings: () => settings, simulated: () => false, clock: time.clock, timers: time.timers });
  cleanups.unshift(() => scheduler.stop());
  const [dueSoon] = addAppointments(store.db, ['+12125550100'], '2030-01-15T09:00:00-05:00'); // in 23 h
  const [dayAfter] = addAppointments(store.db, ['+12125550101'], '2030-01-16T10:00:00-05:00'); // in 48 h
  const [past] = addAppointments(store.db, ['+12125550102'], '2030-01-14T09:00:00-05:00'); // an hour ago
  const [alreadyBatched] = addAppointments(store.db, ['+12125550103'], '2030-01-15T08:00:00-05:00');
  createBatch(store.db, { appointmentIds: [alreadyBatched!], simulated: false, now: new Date(NOW - 3_600_000) });
  return { ...store, time, settings, scheduler, started, ids: { dueSoon: dueSoon!, dayAfter: dayAfter!, past: past!, alreadyBatched: alreadyBatched! } };
}

describe('ReminderScheduler', () => {
  it('starts one batch for the reminders due now: future, inside the horizon, in no batch yet', async () => {
    const t = setup();
    const check = t.scheduler.checkNow();
    expect(check.appointmentIds).toEqual([t.ids.dueSoon]);
    expect(t.started).toEqual([check.batchId]);
    expect(listBatchAttempts(t.db, check.batchId!).map((a) => a.appointmentId)).toEqual([t.ids.dueSoon]);
    expect(getBatch(t.db, check.batchId!)).toMatchObject({ state: 'running', simulated: false });
    await expect(check.finished).resolves.toMatchObject({ state: 'completed' });

    // The next check finds nothing new: the appointment is in a batch now.
    expect(t.scheduler.checkNow()).toMatchObject({ batchId: null, appointmentIds: [] });
    expect(t.started).toHaveLength(1);
  });

  it('respects calling hours on the clinic\'s clock, not UTC', () => {
    const t = setup();
    t.time.now = Date.parse('2030-01-14T13:30:00Z'); // 13:30 UTC but 08:30 in New York
    expect(t.scheduler.checkNow()).toMatchObject({ batchId: null, outsideCallingHours: true });
    t.time.now = Date.parse('2030-01-14T14:00:00Z'); // 09:00 in New York
    expect(t.scheduler.checkNow().appointmentIds).toEqual([t.ids.dueSoon]);
    expect(isWithinCallingHours(t.settings, Date.parse('2030-01-15T00:00:00Z'))).toBe(false); // 19:00 NY: end is exclusive
    expect(isWithinCallingHours(t.settings, Date.parse('2030-01-14T23:59:00Z'))).toBe(true); // 18:59 NY
  });

  it('with call_immediately, every future appointment not yet called is due', () => {
    const t = setup({ scheduling: { timezone: 'America/New_York', call_immediately: true } });
    expect(t.scheduler.checkNow().appointmentIds).toEqual([t.ids.dueSoon, t.ids.dayAfter]);
  });

  it('checks every scheduling.check_interval_minutes once started', async () => {
    const t = setup();
    t.scheduler.start();
    expect(t.started).toHaveLength(1);
    addAppointments(t.db, ['+12125550104'], '2030-01-15T09:30:00-05:00');
    await t.time.advance(14 * 60_000);
    expect(t.started).toHaveLength(1);
    await t.time.advance(60_000);
    expect(t.started).toHaveLength(2);
    t.scheduler.stop();
    await t.time.advance(60 * 60_000);
    expect(t.started).toHaveLength(2);
  });

  it('the due-reminders query searches appointments_by_time and call_attempts_by_appointment', () => {
    const t = setup();
    const plan = t.db.prepare(`EXPLAIN QUERY PLAN ${DUE_REMINDERS_SQL}`).all({ now: '2030', horizon: '2031', hours: 24, limit: 10, practice: 0 }) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/SEARCH ap USING (COVERING )?INDEX appointments_by_(mode_)?time \((practice=\? AND )?appointment_utc>\? AND appointment_utc<\?\)/);
    expect(details).toMatch(/SEARCH a USING (COVERING )?INDEX call_attempts_by_appointment \(appointment_id=\?\)/);
    expect(details).not.toMatch(/SCAN ap\b/);
  });
});

describe('ReminderScheduler keeps to the rules every batch follows', () => {
  function practiceAndTestRows(db: Db, at: string) {
    const row = (key: string, phone: string) => ({ dedupeKey: key, externalId: null, name: key, phoneNumber: phone, email: null, appointmentAt: at, location: null });
    const practice = upsertAppointments(db, [row('practice-row', '+12125550160')], null, new Date(0).toISOString(), { practice: true }).ids[0]!;
    const testCall = upsertAppointments(db, [row('test-call-row', '+12125550161')], null, new Date(0).toISOString(), { practice: false, testCall: true }).ids[0]!;
    return { practice, testCall };
  }

  it('a real-mode schedule never calls practice appointments or the wizard\'s test calls, and practice mode only its own', () => {
    const t = setup();
    const rows = practiceAndTestRows(t.db, '2030-01-15T09:30:00-05:00');
    const real = t.scheduler.checkNow();
    expect(real.appointmentIds).toEqual([t.ids.dueSoon]);

    const practiceScheduler = new ReminderScheduler({ db: t.db, runner: { runBatch: (batchId) => Promise.resolve({ batchId, state: 'completed', openCallSids: [] }) }, settings: () => t.settings, simulated: () => true, clock: t.time.clock, timers: t.time.timers });
    const practice = practiceScheduler.checkNow();
    expect(practice.appointmentIds).toEqual([rows.practice]);
    expect(getBatch(t.db, practice.batchId!)).toMatchObject({ simulated: true });
  });

  it('places only the reminders the batch rules allow (mayCall): a refused one is not claimed and not called', () => {
    const store = tempDb();
    cleanups.push(store.cleanup);
    const time = new FakeTime(NOW);
    const settings = makeSettings({ scheduling: { timezone: 'America/New_York', reminder_hours_before: 24, calling_hours: { start: '09:00', end: '19:00' } } });
    const [allowed, refused] = addAppointments(store.db, ['+12125550170', '+12125550171'], '2030-01-15T09:00:00-05:00');
    const asked: number[][] = [];
    const scheduler = new ReminderScheduler({
      db: store.db,
      runner: { runBatch: (batchId) => Promise.resolve({ batchId, state: 'completed', openCallSids: [] }) },
      settings: () => settings,
      simulated: () => false,
      mayCall: (ids) => {
        asked.push([...ids]);
        return new Set(ids.filter((id) => id !== refused));
      },
      clock: time.clock,
      timers: time.timers,
    });
    const check = scheduler.checkNow();
    expect(asked).toEqual([[allowed, refused]]);
    expect(check.appointmentIds).toEqual([allowed]);
    expect(listBatchAttempts(store.db, check.batchId!).map((a) => a.appointmentId)).toEqual([allowed]);
  });
});

describe('a re-imported appointment that the clinic cancelled', () => {
  it('drops its pending reminder: the file\'s status column says cancelled, and the next check calls nobody for it', () => {
    const t = setup();
    const row = { dedupeKey: 'k-cancel', externalId: 'A-9', name: 'Dana', phoneNumber: '+12125550180', email: null, appointmentAt: '2030-01-15T09:45:00-05:00', location: null };
    const [id] = upsertAppointments(t.db, [row], 'first.csv', new Date(NOW).toISOString()).ids;
    const again = upsertAppointments(t.db, [{ ...row, cancelled: true }], 'second.csv', new Date(NOW).toISOString());
    expect(again).toMatchObject({ updated: 1, unchanged: 0 });
    expect(getAppointment(t.db, id!)).toMatchObject({ confirmation: 'cancelled' });
    const check = t.scheduler.checkNow();
    expect(check.appointmentIds).toEqual([t.ids.dueSoon]); // Dana's reminder was due too, before the re-import
  });
});
