import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchPlan, BatchProgress, OperationArgs, OperationName, ResultsView } from '../../../src-main/core/api/contract';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import type { Engine } from '../../../src-main/core/engine';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { EngineHarness, SAMPLE_CSV, settingsYaml, until } from './engine-fixtures';

// Issue 8, engine side: nobody is called by accident, practice and real data never mix, cancel tells the truth.
// The sample: Nov 25 (numbers ending 00 confirmed, 01 cancelled, 02 a person without a key, 03 voicemail, 04 busy)
// and Nov 26 (05 no answer, 06 failed, 07 refused by Twilio, 21211). The harness clock reads Nov 24, 9:00 New York.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

async function call<K extends OperationName>(engine: Engine, operation: K, args: OperationArgs<K>) {
  return invokeOperation(engine.handlers(), operation, args);
}
async function value<T>(reply: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`operation failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}
async function importSample(engine: Engine): Promise<Map<string, number>> {
  await value(call(engine, 'appointments/import', { fileName: 'sample.csv', contentBase64: fs.readFileSync(SAMPLE_CSV).toString('base64') }));
  const idsByEnding = new Map<string, number>();
  for (const a of await value<{ id: number; maskedPhone: string }[]>(call(engine, 'appointments/list', {}))) idsByEnding.set(a.maskedPhone.slice(-2), a.id);
  return idsByEnding;
}
async function finish(engine: Engine, progress: BatchProgress): Promise<void> {
  const outcome = await engine.batches.run(progress.batch.id, { waitSeconds: 60 });
  expect(outcome.state).toBe('completed');
}

describe('nobody is called by accident', () => {
  it('a second batch over the same day calls only the patients not reached; calling again is a per-patient choice', async () => {
    const engine = await harness.practice();
    const ids = await importSample(engine);

    const firstPlan = await value<BatchPlan>(call(engine, 'batches/plan', { day: '2026-11-25' }));
    expect(firstPlan).toMatchObject({ toCall: ['00', '01', '02', '03', '04'].map((e) => ids.get(e)), skipped: [], mode: 'practice', label: 'Wed, Nov 25' });
    expect(firstPlan.fromNumber).toMatch(/^\+1\d{10}$/);
    await finish(engine, await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' })));

    const plan = await value<BatchPlan>(call(engine, 'batches/plan', { day: '2026-11-25' }));
    expect(plan.toCall).toEqual([ids.get('04')]); // busy: not reached
    expect(plan.skippedCounts).toEqual({ 'already-reminded': 4 });
    expect(plan.skipped.map((s) => [s.appointmentId, s.reason, s.lastOutcome])).toEqual([
      [ids.get('00'), 'already-reminded', 'confirmed'],
      [ids.get('01'), 'already-reminded', 'cancelled'],
      [ids.get('02'), 'already-reminded', 'reached'],
      [ids.get('03'), 'already-reminded', 'voicemail'],
    ]);

    const second = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25', callAgain: [ids.get('03')!] }));
    expect(second.skippedByRule).toEqual({ 'already-reminded': 3 });
    await finish(engine, second);
    const attempts = listBatchAttempts(engine.db, second.batch.id);
    const dialled = attempts.filter((a) => a.callSid).map((a) => a.toNumber!.slice(-2));
    expect(dialled.sort()).toEqual(['03', '04']);
    expect(attempts.filter((a) => a.state === 'skipped').map((a) => a.skipReason)).toEqual(['already-reminded', 'already-reminded', 'already-reminded']);

    // Everyone reached: a third start is refused with a staff sentence, and nothing is created.
    const before = listBatchAttemptsCount(engine);
    const third = await call(engine, 'batches/start', { appointmentIds: [ids.get('00')!, ids.get('01')!] });
    expect(third).toMatchObject({ ok: false, error: { kind: 'conflict', message: expect.stringContaining('2 patients already reminded') } });
    expect(listBatchAttemptsCount(engine)).toBe(before);
  });

  it('past appointments are skipped with their reason, in the batch and in its export', async () => {
    // 12:00 on Nov 25 in New York: the morning's four appointments have passed.
    const noon = Date.parse('2026-11-25T12:00:00-05:00');
    const started = Date.now();
    const engine = await harness.practice({}, harness.tempDir(), { clock: () => noon + (Date.now() - started) });
    const ids = await importSample(engine);
    const plan = await value<BatchPlan>(call(engine, 'batches/plan', { day: '2026-11-25' }));
    expect(plan.toCall).toEqual([ids.get('04')]);
    expect(plan.skippedCounts).toEqual({ 'appointment-passed': 4 });
    const progress = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' }));
    await finish(engine, progress);
    const skipped = listBatchAttempts(engine.db, progress.batch.id).filter((a) => a.state === 'skipped');
    expect(skipped.map((a) => a.skipReason)).toEqual(['appointment-passed', 'appointment-passed', 'appointment-passed', 'appointment-passed']);
    const log = await engine.batches.exportFile({ kind: 'batch-log', batchId: progress.batch.id, format: 'csv' });
    const text = fs.readFileSync(log.savedTo!, 'utf8');
    expect(text.match(/,skipped,/g)).toHaveLength(4);
    expect(text).toContain('not called: the appointment has already passed');
  });

  it('the do-not-call list is consulted by the plan and the start', async () => {
    const engine = await harness.practice();
    const ids = await importSample(engine);
    await value(call(engine, 'do-not-call/add', { number: '+1 312 555 0102', reason: 'asked on the phone' }));
    const plan = await value<BatchPlan>(call(engine, 'batches/plan', { day: '2026-11-25' }));
    expect(plan.skipped).toMatchObject([{ appointmentId: ids.get('02'), reason: 'do-not-call', name: 'Priya Raman' }]);
    expect(plan.toCall).toHaveLength(4);
    const progress = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' }));
    expect(progress.skippedByRule).toEqual({ 'do-not-call': 1 });
    await finish(engine, progress);
  });

  it('a second batch while one runs needs an explicit yes, and every running batch is listed', async () => {
    const engine = await harness.practice({ timeScale: 0.2 }, harness.tempDir(settingsYaml('', 1)));
    await importSample(engine);
    const first = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' }));
    const refused = await call(engine, 'batches/start', { day: '2026-11-26' });
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'conflict', message: 'Another batch is still calling: the batch for Wed, Nov 25 is not finished. Wait for it to finish, or confirm that both should call at the same time.' },
    });
    expect((await value<BatchPlan>(call(engine, 'batches/plan', { day: '2026-11-26' }))).runningBatches.map((b) => b.id)).toEqual([first.batch.id]);
    const second = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-26', alongsideRunning: true }));
    const active = await value<BatchProgress[]>(call(engine, 'batches/active', {}));
    expect(active.map((p) => [p.batch.id, p.batch.label])).toEqual([
      [first.batch.id, 'Wed, Nov 25'],
      [second.batch.id, 'Thu, Nov 26'],
    ]);
    await call(engine, 'batches/cancel', { batchId: first.batch.id });
    await call(engine, 'batches/cancel', { batchId: second.batch.id });
  });
});

function listBatchAttemptsCount(engine: Engine): number {
  return (engine.db.prepare('SELECT COUNT(*) AS n FROM call_attempts').get() as { n: number }).n;
}

describe('cancel and finish tell the truth', () => {
  it('calls already ringing stay in progress after a cancel; counts say how many were never called', async () => {
    // One call a second and realistic call progress: when we cancel, some calls are live and the rest not dialled.
    const engine = await harness.practice({ timeScale: 0.5 }, harness.tempDir(settingsYaml('', 2)));
    await importSample(engine);
    const started = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' }));
    const batchId = started.batch.id;
    await until(() => listBatchAttempts(engine.db, batchId).filter((a) => a.state === 'placed').length >= 2);
    const cancelled = await value<BatchProgress>(call(engine, 'batches/cancel', { batchId }));
    expect(cancelled.batch.state).toBe('cancelled');
    expect(cancelled.liveCalls).toBeGreaterThan(0);
    expect(cancelled.phase).toBe('finishing');
    expect(cancelled.notCalledCancelled).toBeGreaterThan(0);
    // Outcomes are final ones only: what is still ringing is counted as live, never as an outcome.
    const c = cancelled.outcomes;
    expect(c.confirmed + c.cancelled + c.reached + c.voicemail + c.notReached + cancelled.liveCalls + cancelled.notCalledCancelled).toBe(5);

    await until(async () => (await value<BatchProgress>(call(engine, 'batches/progress', { batchId }))).phase === 'done', 50);
    const done = await value<BatchProgress>(call(engine, 'batches/progress', { batchId }));
    expect(done.liveCalls).toBe(0);
    expect(done.notCalledCancelled).toBe(cancelled.notCalledCancelled);
    const o = done.outcomes;
    expect(o.confirmed + o.cancelled + o.reached + o.voicemail + o.notReached + done.notCalledCancelled).toBe(5);
    const results = await value<ResultsView>(call(engine, 'results/get', { batchId }));
    expect(results.notCalled).toBe(done.notCalledCancelled);
  });
});

describe('practice and real never mix', () => {
  it('practice data is invisible from real mode and real data from practice mode; the test call is no patient', async () => {
    const dir = harness.tempDir(settingsYaml('tunnel:\n  provider: none\n'));
    const engine = await harness.open(dir, { simulator: { timeScale: 0.01 } });
    await engine.start();
    await value(call(engine, 'setup/start-practice', {}));
    const practiceIds = await importSample(engine);
    const practiceBatch = await value<BatchProgress>(call(engine, 'batches/start', { day: '2026-11-25' }));
    await finish(engine, practiceBatch);
    const test = await value<{ batchId: string }>(call(engine, 'setup/test-call', { to: '+12125550100' }));
    await engine.batches.run(test.batchId, { waitSeconds: 60 });
    // The wizard's call is not on the board, in the batches or the results.
    const board = await value<{ name: string }[]>(call(engine, 'appointments/list', {}));
    expect(board.map((a) => a.name)).not.toContain('Test call');
    expect(board).toHaveLength(8);
    expect((await value<{ id: string }[]>(call(engine, 'batches/list', {}))).map((b) => b.id)).toEqual([practiceBatch.batch.id]);

    await value(call(engine, 'setup/leave-practice', {}));
    expect(await value(call(engine, 'appointments/list', {}))).toEqual([]);
    expect(await value(call(engine, 'batches/list', {}))).toEqual([]);
    expect(await call(engine, 'appointments/timeline', { appointmentId: practiceIds.get('00')! })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await call(engine, 'results/get', { batchId: practiceBatch.batch.id })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    const realDay = await value<ResultsView>(call(engine, 'results/get', { day: '2026-11-25' }));
    expect(realDay).toMatchObject({ followUp: [], notCalled: 0, outcomes: { confirmed: 0 } });

    // The same file in real mode is new real data (not "unchanged"), with its own ids.
    const realImport = await value<{ inserted: number; unchanged: number }>(
      call(engine, 'appointments/import', { fileName: 'sample.csv', contentBase64: fs.readFileSync(SAMPLE_CSV).toString('base64') }),
    );
    expect(realImport).toMatchObject({ inserted: 8, unchanged: 0 });
    const realIds = (await value<{ id: number }[]>(call(engine, 'appointments/list', {}))).map((a) => a.id);
    expect(realIds.some((id) => [...practiceIds.values()].includes(id))).toBe(false);

    await value(call(engine, 'setup/start-practice', {}));
    const back = await value<{ id: number; call: unknown }[]>(call(engine, 'appointments/list', {}));
    expect(back.map((a) => a.id).sort()).toEqual([...practiceIds.values()].sort());
    expect(await call(engine, 'appointments/timeline', { appointmentId: realIds[0]! })).toMatchObject({ ok: false, error: { kind: 'not-found' } });

    // Leaving practice mode with "delete": the practice data is gone, the real data stays.
    const left = await value<{ practiceData: { action: string; appointments: number } }>(call(engine, 'setup/leave-practice', { practiceData: 'delete' }));
    expect(left.practiceData).toMatchObject({ action: 'deleted', appointments: 8 });
    expect(await value(call(engine, 'setup/practice-data', {}))).toEqual({ appointments: 0, batches: 0, calls: 0 });
    expect(await value<unknown[]>(call(engine, 'appointments/list', {}))).toHaveLength(8);
  });
});
