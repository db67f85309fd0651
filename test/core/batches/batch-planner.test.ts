// Who a batch would call and skip, as the confirmation shows it (batches/batch-planner.ts), over a real store: the
// eligibility rules with the real do-not-call list, call history and calling hours, in the current mode only.
import { afterEach, describe, expect, it } from 'vitest';
import { BatchPlanner } from '../../../src-main/core/batches/batch-planner';
import { createBatch, setBatchState } from '../../../src-main/core/store/batches';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { addToDoNotCall } from '../../../src-main/core/store/do-not-call';
import { addAppointments, makeSettings, tempDb } from './fixtures';

const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});

// Tuesday, Jan 14 2030, 10:00 in New York.
const TUESDAY_10AM = Date.parse('2030-01-14T15:00:00Z');
const settings = makeSettings({ scheduling: { timezone: 'America/New_York', calling_hours: { start: '09:00', end: '19:00' } } });

function setup(opts: { now?: number; practice?: boolean } = {}) {
  const store = tempDb();
  stores.push(store);
  const { db } = store;
  const [future, passed, listed, reminded, calling] = [
    ...addAppointments(db, ['+12125550100'], '2030-01-16T10:00:00-05:00'),
    ...addAppointments(db, ['+12125550101'], '2030-01-13T10:00:00-05:00'),
    ...addAppointments(db, ['+12125550102', '+12125550103', '+12125550104'], '2030-01-16T11:00:00-05:00'),
  ];
  addToDoNotCall(db, { phoneNumber: '+12125550102', source: 'staff', now: new Date(TUESDAY_10AM).toISOString() });
  // Reminded yesterday: a person answered. Being called: waiting in a batch that is still running.
  const earlier = createBatch(db, { appointmentIds: [reminded!], simulated: false, now: new Date(TUESDAY_10AM - 86_400_000) });
  db.prepare("UPDATE call_attempts SET state = 'placed', call_sid = 'CA1', status = 'completed', is_final = 1, answered = 1 WHERE id = ?").run(listBatchAttempts(db, earlier.id)[0]!.id);
  setBatchState(db, earlier.id, 'completed', new Date(TUESDAY_10AM - 86_000_000).toISOString());
  const running = createBatch(db, { appointmentIds: [calling!], simulated: false, now: new Date(TUESDAY_10AM - 60_000) });
  const planner = new BatchPlanner({
    db,
    clock: () => opts.now ?? TUESDAY_10AM,
    settings: () => settings,
    practice: () => opts.practice ?? false,
    fromNumber: () => '+15005550006',
    blockedReason: () => null,
  });
  return { planner, ids: { future: future!, passed: passed!, listed: listed!, reminded: reminded!, calling: calling! }, running };
}

describe('BatchPlanner', () => {
  it('calls only the patient no rule stops, and says why each other one is skipped', () => {
    const { planner, ids, running } = setup();
    const plan = planner.plan({ appointmentIds: Object.values(ids) });
    expect(plan.toCall).toEqual([ids.future]);
    expect(plan.skipped.map((s) => [s.appointmentId, s.reason, s.lastOutcome])).toEqual([
      [ids.passed, 'appointment-passed', null],
      [ids.listed, 'do-not-call', null],
      [ids.reminded, 'already-reminded', 'reached'],
      [ids.calling, 'being-called', null],
    ]);
    expect(plan.skippedCounts).toEqual({ 'appointment-passed': 1, 'do-not-call': 1, 'already-reminded': 1, 'being-called': 1 });
    expect(plan).toMatchObject({
      fromNumber: '+15005550006',
      mode: 'real',
      callingHours: { start: '09:00', end: '19:00', timezone: 'America/New_York', withinNow: true },
      blockedReason: null,
    });
    expect(plan.runningBatches.map((b) => b.id)).toEqual([running.id]);
  });

  it('calls an already-reminded patient again only when staff chose "Call again" for that patient', () => {
    const { planner, ids } = setup();
    expect(planner.plan({ appointmentIds: [ids.reminded], callAgain: [ids.reminded] }).toCall).toEqual([ids.reminded]);
    expect(planner.plan({ appointmentIds: [ids.reminded, ids.future], callAgain: [ids.future] }).toCall).toEqual([ids.future]);
  });

  it('outside calling hours, real patients are skipped for it and the plan says the hours are closed now', () => {
    const { planner, ids } = setup({ now: Date.parse('2030-01-15T02:00:00Z') }); // 9 pm in New York
    const plan = planner.plan({ appointmentIds: [ids.future] });
    expect(plan.toCall).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['outside-calling-hours']);
    expect(plan.callingHours.withinNow).toBe(false);
  });

  it('sees only the current mode: real appointments are not candidates in practice, and a day without any is refused', () => {
    const { planner, ids } = setup({ practice: true });
    expect(planner.candidates({ appointmentIds: [ids.future] })).toEqual([]);
    expect(planner.runningBatches()).toEqual([]);
    expect(() => planner.candidates({ day: '2030-01-16' })).toThrow('There are no appointments on 2030-01-16.');
    expect(planner.candidates({})).toEqual([]);
    const real = setup();
    expect(real.planner.candidates({ day: '2030-01-16' }).map((a) => a.id)).toEqual([real.ids.future, real.ids.listed, real.ids.reminded, real.ids.calling]);
  });
});
