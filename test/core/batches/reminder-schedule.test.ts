import { afterEach, describe, expect, it } from 'vitest';
import { BatchRunner } from '../../../src-main/core/batches/batch-runner';
import type { BatchOutcome } from '../../../src-main/core/batches/batch-runner';
import { isWithinCallingHours, nextCallingTime } from '../../../src-main/core/batches/due-reminders';
import { ReminderScheduler } from '../../../src-main/core/batches/reminder-scheduler';
import { CallPoller } from '../../../src-main/core/calls/call-poller';
import type { SettingsInput } from '../../../src-main/core/settings/schema';
import { upsertAppointments, type AppointmentInput } from '../../../src-main/core/store/appointments';
import { createBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/store/database';
import { FakeCallsApi, FakeTime, makeSettings, tempDb } from './fixtures';

// The one scheduler (serve and the desktop app) with an injected clock: nothing here sleeps.

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

const EVERY_DAY = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function appointment(key: string, appointmentAt: string, extra: Partial<AppointmentInput> = {}): AppointmentInput {
  return { dedupeKey: key, externalId: key, name: `Patient ${key}`, phoneNumber: '+12125550100', email: null, appointmentAt, location: null, ...extra };
}

function setup(start: string, settingsInput: SettingsInput) {
  const store = tempDb();
  cleanups.push(store.cleanup);
  const time = new FakeTime(Date.parse(start));
  const settings = makeSettings(settingsInput);
  const batches: string[] = [];
  const runner = {
    runBatch: (batchId: string): Promise<BatchOutcome> => {
      batches.push(batchId);
      return Promise.resolve({ batchId, state: 'completed', openCallSids: [] });
    },
  };
  const scheduler = new ReminderScheduler({ db: store.db, runner, settings: () => settings, simulated: () => false, clock: time.clock, timers: time.timers });
  cleanups.unshift(() => scheduler.stop());
  const add = (rows: AppointmentInput[]): number[] => upsertAppointments(store.db, rows, null, new Date(time.now).toISOString()).ids;
  const calledIn = (batchId: string): number[] => listBatchAttempts(store.db, batchId).map((a) => a.appointmentId);
  return { ...store, time, settings, scheduler, batches, add, calledIn };
}

describe('reminder schedule', () => {
  it('falls due at appointment time minus each reminder_hours_before across a DST change, each slot once', () => {
    // US clocks spring forward on Sunday 2030-03-10 at 02:00. The appointment is Monday 10:00 EDT = 14:00 UTC.
    const t = setup('2030-03-09T13:00:00Z', {
      scheduling: { timezone: 'America/New_York', reminder_hours_before: [48, 2], calling_days: EVERY_DAY, calling_hours: { start: '07:00', end: '20:00' } },
    });
    const [id] = t.add([appointment('dst', '2030-03-11T10:00:00-04:00')]);
    t.time.now = Date.parse('2030-03-09T13:59:00Z');
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
    // 48 hours before, exactly: 14:00 UTC on Saturday, which was 09:00 EST (not 10:00: the clocks moved in between).
    t.time.now = Date.parse('2030-03-09T14:00:00Z');
    expect(t.scheduler.checkNow().appointmentIds).toEqual([id]);
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
    t.time.now = Date.parse('2030-03-11T11:59:00Z');
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
    t.time.now = Date.parse('2030-03-11T12:00:00Z'); // 2 h before: 08:00 EDT
    expect(t.scheduler.checkNow().appointmentIds).toEqual([id]);
    expect(t.batches).toHaveLength(2);
  });

  it('calls inside calling hours and days, on the clinic clock and on a patient\'s own timezone column', () => {
    const t = setup('2030-01-15T14:30:00Z', {
      scheduling: {
        timezone: 'America/New_York',
        reminder_hours_before: 24,
        calling_days: ['monday', 'tue', 'Wednesday', 'thursday', 'friday'],
        calling_hours: { start: '09:00', end: '17:00' },
      },
    });
    const [ny, la] = t.add([
      appointment('ny', '2030-01-16T09:00:00-05:00'),
      appointment('la', '2030-01-16T08:00:00-08:00', { timezone: 'America/Los_Angeles' }),
    ]);
    // Tuesday 09:30 in New York is 06:30 in Los Angeles: only the New York patient is called.
    expect(t.scheduler.checkNow().appointmentIds).toEqual([ny]);
    t.time.now = Date.parse('2030-01-15T17:30:00Z'); // 12:30 NY, 09:30 LA
    expect(t.scheduler.checkNow().appointmentIds).toEqual([la]);

    const s = t.settings;
    expect(isWithinCallingHours(s, Date.parse('2030-01-19T15:00:00Z'))).toBe(false); // Saturday 10:00 NY: not a calling day
    expect(isWithinCallingHours(s, Date.parse('2030-01-18T21:59:00Z'))).toBe(true); // Friday 16:59 NY
    expect(isWithinCallingHours(s, Date.parse('2030-01-18T22:00:00Z'))).toBe(false); // 17:00 NY: the end is exclusive
    expect(isWithinCallingHours(s, Date.parse('2030-01-18T22:00:00Z'), 'America/Los_Angeles')).toBe(true); // 14:00 LA
    // Friday 17:00 NY -> next calling time is Monday 09:00 NY.
    expect(new Date(nextCallingTime(s, Date.parse('2030-01-18T22:00:00Z'))!).toISOString()).toBe('2030-01-21T14:00:00.000Z');
    expect(new Date(nextCallingTime(s, Date.parse('2030-01-18T22:00:00Z'), 'Europe/London')!).toISOString()).toBe('2030-01-21T09:00:00.000Z');
  });

  it('catches up after a 10-hour sleep: every patient due meanwhile is called once, in one batch', async () => {
    const t = setup('2030-01-14T13:00:00Z', {
      scheduling: { timezone: 'UTC', reminder_hours_before: [24, 2], calling_days: EVERY_DAY, calling_hours: { start: '06:00', end: '23:30' }, check_interval_minutes: 15 },
    });
    const ids = t.add([
      appointment('a', '2030-01-15T14:00:00Z'), // 24 h slot due 14:00 today
      appointment('b', '2030-01-15T18:00:00Z'), // 24 h slot due 18:00 today
      appointment('c', '2030-01-15T00:30:00Z'), // 24 h slot due at once; 2 h slot due 22:30, during the sleep
      appointment('d', '2030-01-16T12:00:00Z'), // not due until tomorrow
    ]);
    t.scheduler.start();
    expect(t.batches).toHaveLength(1);
    expect(t.calledIn(t.batches[0]!)).toEqual([ids[2]]); // c's 24 h slot is due at once
    // The computer sleeps 10 hours: no timer fires, the clock jumps.
    t.time.now += 10 * 3_600_000;
    t.scheduler.wake();
    expect(t.batches).toHaveLength(2);
    expect(t.calledIn(t.batches[1]!).sort()).toEqual([ids[0], ids[1], ids[2]].sort()); // c again: its 2 h reminder
    // Later checks find nothing new: no one is called twice for one reminder.
    await t.time.advance(60 * 60_000);
    expect(t.batches).toHaveLength(2);
    const slots = t.db.prepare('SELECT appointment_id, hours_before FROM reminder_slots ORDER BY appointment_id, hours_before').all();
    expect(slots).toEqual([
      { appointment_id: ids[0], hours_before: 24 },
      { appointment_id: ids[1], hours_before: 24 },
      { appointment_id: ids[2], hours_before: 2 },
      { appointment_id: ids[2], hours_before: 24 },
    ]);
  });

  it('a re-imported appointment that moved moves its reminder; one answered cancelled drops it', () => {
    const t = setup('2030-01-14T15:00:00Z', { scheduling: { timezone: 'UTC', reminder_hours_before: 24, calling_days: EVERY_DAY, calling_hours: { start: '08:00', end: '22:00' } } });
    const [id] = t.add([appointment('m', '2030-01-17T10:00:00Z')]);
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
    expect(t.scheduler.nextRun()).toEqual({ at: '2030-01-16T10:00:00.000Z', count: 1 });
    // Moved earlier, into the next 24 hours: due now.
    t.add([appointment('m', '2030-01-15T09:00:00Z')]);
    expect(t.scheduler.nextRun()).toEqual({ at: '2030-01-14T15:00:00.000Z', count: 1 });
    expect(t.scheduler.checkNow().appointmentIds).toEqual([id]);
    // Moved again after its reminder: the reminder for the new time is due at the new time minus 24 h.
    t.add([appointment('m', '2030-01-20T10:00:00Z')]);
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
    t.time.now = Date.parse('2030-01-19T10:00:00Z');
    expect(t.scheduler.checkNow().appointmentIds).toEqual([id]);

    const [gone] = t.add([appointment('c', '2030-01-21T10:00:00Z')]);
    t.db.prepare("UPDATE appointments SET confirmation = 'cancelled' WHERE id = ?").run(gone);
    t.time.now = Date.parse('2030-01-20T12:00:00Z');
    expect(t.scheduler.checkNow().appointmentIds).toEqual([]);
  });

  it('"Next" says when and how many, moved into calling hours', () => {
    const t = setup('2030-01-14T15:00:00Z', {
      scheduling: { timezone: 'America/New_York', reminder_hours_before: 24, calling_days: EVERY_DAY, calling_hours: { start: '09:00', end: '17:00' } },
    });
    t.add([appointment('x', '2030-01-16T06:00:00-05:00'), appointment('y', '2030-01-16T07:30:00-05:00'), appointment('z', '2030-01-17T12:00:00-05:00')]);
    // Due 06:00 and 07:30 NY tomorrow, before calling hours: both at 09:00.
    expect(t.scheduler.nextRun()).toEqual({ at: '2030-01-15T14:00:00.000Z', count: 2 });
  });
});

describe('retries survive a restart', () => {
  it('a retry queued before the process stopped is dialled by the next one, at its time, once', async () => {
    const store = tempDb();
    cleanups.push(store.cleanup);
    const time = new FakeTime(Date.parse('2030-01-14T15:00:00Z'));
    const fake = new FakeCallsApi(time.clock);
    fake.onCreate = (params) => (params.to === '+12125550104' ? ['ringing', 'busy'] : ['ringing', 'in-progress', 'completed']);
    const settings = makeSettings({ calling: { max_retries: 2, retry_delay_seconds: 300 } });
    const ids = upsertAppointments(store.db, [appointment('busy', '2030-01-15T10:00:00Z', { phoneNumber: '+12125550104' })], null, '2030-01-14T00:00:00Z').ids;
    const batch = createBatch(store.db, { appointmentIds: ids, simulated: false, now: new Date(time.now) });
    const build = (db: Db, isStopping?: () => boolean) => {
      const poller = new CallPoller({ db, calls: () => fake, clock: time.clock, timers: time.timers });
      return {
        poller,
        runner: new BatchRunner({
          db,
          calls: () => fake,
          settings: () => settings,
          fromNumber: () => '+15005550006',
          callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
          renderMessage: () => 'Hello.',
          clock: time.clock,
          sleep: time.sleep,
          poller,
          ...(isStopping ? { isStopping } : {}),
        }),
      };
    };
    // The first process stops right when the retry is due to be dialled.
    const first = build(store.db, () => listBatchAttempts(store.db, batch.id).some((a) => a.attemptNumber === 2));
    first.poller.start();
    await expect(first.runner.runBatch(batch.id)).rejects.toThrow(/stopping/);
    first.poller.stop();
    closeDatabase(store.db);
    expect(fake.creates).toHaveLength(1);

    const db = openDatabase(store.file);
    cleanups.push(() => closeDatabase(db));
    const pending = listBatchAttempts(db, batch.id).find((a) => a.attemptNumber === 2)!;
    expect(pending).toMatchObject({ state: 'pending', retryAt: expect.any(String) });
    const second = build(db);
    second.poller.start();
    cleanups.push(() => second.poller.stop());
    const outcome = await second.runner.runBatch(batch.id);
    expect(outcome.state).toBe('completed');
    expect(fake.creates).toHaveLength(3);
    expect(fake.creates[1]!.at).toBeGreaterThanOrEqual(Date.parse(pending.retryAt!));
    expect(fake.creates[2]!.at - fake.creates[1]!.at).toBeGreaterThanOrEqual(300_000);
    expect(listBatchAttempts(db, batch.id).map((a) => [a.attemptNumber, a.status])).toEqual([
      [1, 'busy'],
      [2, 'busy'],
      [3, 'busy'],
    ]);
  });
});
