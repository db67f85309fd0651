import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../src-main/core/api/contract';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { listCallEvents } from '../../../src-main/core/store/status-events';
import { EngineHarness, expectTrueFinalStatuses, sampleBatch, settingsYaml, until } from './engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

describe('Engine', () => {
  it('polling mode: with no public URL every call reaches its true final status through polls', async () => {
    const { engine, simulator } = await harness.polling();
    expect(engine.connection.status()).toMatchObject({ mode: 'polling', simulated: false, statusCallbackUrl: null });
    const batchId = await sampleBatch(engine);
    const outcome = await engine.batches.run(batchId, { waitSeconds: 60 });
    expect(outcome).toEqual({ batchId, state: 'completed', openCallSids: [] });
    const attempts = expectTrueFinalStatuses(engine, batchId);
    for (const attempt of attempts.filter((a) => a.callSid)) {
      expect(attempt.statusSource).toBe('poll');
      expect(attempt.statusCallbackUrl).toBeNull();
    }
    // Nothing asked Twilio for callbacks, and no callback was posted.
    const creates = simulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'));
    expect(creates.every((r) => r.form.StatusCallback === undefined)).toBe(true);
    expect(simulator.callbackDeliveries.filter((d) => d.kind === 'status-callback')).toEqual([]);
  });

  it('callbacks shuffled, duplicated and dropped still converge to the true final statuses', async () => {
    const engine = await harness.practice({ shuffleCallbacks: true, duplicateCallbacks: true, dropCallbacks: 0.35, seed: 7 });
    expect(engine.connection.status()).toMatchObject({ mode: 'simulator', simulated: true });
    const batchId = await sampleBatch(engine);
    const run = engine.batches.run(batchId, { waitSeconds: 120 });
    await until(() => listBatchAttempts(engine.db, batchId).every((a) => a.state === 'placed' || a.state === 'rejected'));
    await engine.practiceMode.simulator!.waitForCallsToFinish(10_000);
    // Dropped final callbacks leave calls open: the reconciliation sweep asks Twilio about each one.
    await until(async () => {
      await engine.calls.reconcileNow(true);
      return listBatchAttempts(engine.db, batchId).every((a) => a.isFinal);
    }, 50);
    expect((await run).state).toBe('completed');
    expectTrueFinalStatuses(engine, batchId);

    const deliveries = engine.practiceMode.simulator!.callbackDeliveries.filter((d) => d.kind === 'status-callback');
    expect(deliveries.some((d) => d.duplicate)).toBe(true);
    expect(deliveries.some((d) => d.fate === 'dropped')).toBe(true);
    // Every delivered callback event is stored exactly once, whatever order and however often it came.
    for (const attempt of listBatchAttempts(engine.db, batchId).filter((a) => a.callSid)) {
      const delivered = new Set(deliveries.filter((d) => d.callSid === attempt.callSid && d.fate === 'delivered').map((d) => d.sequenceNumber));
      const stored = listCallEvents(engine.db, attempt.callSid!).filter((e) => e.source === 'callback');
      expect(stored.map((e) => e.sequenceNumber).sort()).toEqual([...delivered].sort());
    }
  });

  it('a new engine on the same data dir finishes an interrupted batch without calling anyone twice', async () => {
    // A slow pace, so the first engine is stopped with the batch half dialled.
    const dataDir = harness.tempDir(settingsYaml('', 4));
    const a = await harness.practice({ timeScale: 0.05 }, dataDir, {});
    const { settingsFile } = a;
    expect(settingsFile.startsWith(dataDir)).toBe(true);
    const batchId = await sampleBatch(a);
    const running = a.batches.run(batchId).catch((error: unknown) => error);
    await until(() => listBatchAttempts(a.db, batchId).filter((x) => x.state === 'placed').length >= 3);
    const requestsOfA = [...a.practiceMode.simulator!.requests];
    await a.stop();
    expect(await running).toMatchObject({ name: 'EngineStoppedError' });
    const left = await harness.open(dataDir);
    expect(listBatchAttempts(left.db, batchId).some((x) => x.state === 'pending')).toBe(true);
    await left.stop();

    const b = await harness.practice({ timeScale: 0.05 }, dataDir, {});
    await until(async () => {
      await b.calls.reconcileNow(true); // calls placed by the first engine posted to its (gone) callback port
      return b.batches.get(batchId)!.state === 'completed';
    }, 50);
    expectTrueFinalStatuses(b, batchId);
    const creates = [...requestsOfA, ...b.practiceMode.simulator!.requests].filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'));
    const perNumber = new Map<string, number>();
    for (const r of creates) perNumber.set(String(r.form.To), (perNumber.get(String(r.form.To)) ?? 0) + 1);
    expect(perNumber.size).toBe(8);
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
  });

  it('pushes call-updated and batch-progress events while a batch runs', async () => {
    const engine = await harness.practice();
    const calls: ApiEvents['call-updated'][] = [];
    const progress: ApiEvents['batch-progress'][] = [];
    engine.events.on('call-updated', (e) => calls.push(e));
    engine.events.on('batch-progress', (e) => progress.push(e));
    const handlers = engine.handlers();
    const imported = await invokeOperation(handlers, 'appointments/import', {
      fileName: 'sample-appointments.csv',
      contentBase64: (await import('node:fs')).readFileSync((await import('./engine-fixtures')).SAMPLE_CSV).toString('base64'),
    });
    expect(imported).toMatchObject({ ok: true, value: { inserted: 8, errors: [] } });
    const started = await invokeOperation(handlers, 'batches/start', { day: '2026-11-25' });
    expect(started).toMatchObject({ ok: true, value: { total: 5 } });
    const batchId = (started as { ok: true; value: { batch: { id: string } } }).value.batch.id;
    await until(() => engine.batches.get(batchId)!.state === 'completed');
    expect(calls.some((e) => e.call.isFinal && e.call.source === 'callback')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ finished: 5, total: 5 });

    const board = await invokeOperation(handlers, 'appointments/list', { day: '2026-11-25', status: 'busy' });
    expect(board).toMatchObject({ ok: true, value: [{ name: 'Aisha Bello', maskedPhone: '+1•••••••0104', call: { status: 'busy' } }] });
    const confirmed = await invokeOperation(handlers, 'appointments/list', { status: 'confirmed' });
    expect(confirmed).toMatchObject({ ok: true, value: [{ name: 'Maria Delgado', confirmation: 'confirmed' }] });
    const id = (board as { ok: true; value: { id: number }[] }).value[0]!.id;
    const timeline = await invokeOperation(handlers, 'appointments/timeline', { appointmentId: id });
    expect(timeline).toMatchObject({ ok: true, value: { calls: [{ attempt: { status: 'busy' } }] } });
    const events = (timeline as { ok: true; value: { calls: { events: { callStatus: string }[] }[] } }).value.calls[0]!.events;
    expect(events.at(-1)!.callStatus).toBe('busy');

    const exported = await invokeOperation(handlers, 'batches/export', { batchId });
    expect(exported).toMatchObject({ ok: true, value: { savedTo: expect.stringContaining(`reminder-log-${batchId}.csv`), downloadUrl: null } });
  });
});

describe('batch controls through the API', () => {
  it('pause stops dialing, resume finishes the batch; cancel skips what was not dialled', async () => {
    const engine = await harness.practice({}, harness.tempDir(settingsYaml('', 4)));
    const imported = await engine.appointments.importFile((await import('./engine-fixtures')).SAMPLE_CSV);
    const handlers = engine.handlers();
    const started = await invokeOperation(handlers, 'batches/start', { appointmentIds: imported.summary.ids });
    const batchId = (started as { ok: true; value: { batch: { id: string } } }).value.batch.id;
    await until(() => listBatchAttempts(engine.db, batchId).some((a) => a.state === 'placed'));
    expect(await invokeOperation(handlers, 'batches/pause', { batchId })).toMatchObject({ ok: true, value: { batch: { state: 'paused' } } });
    const pendingWhenPaused = listBatchAttempts(engine.db, batchId).filter((a) => a.state === 'pending').length;
    expect(pendingWhenPaused).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a paused batch dials nobody new
    expect(listBatchAttempts(engine.db, batchId).filter((a) => a.state === 'pending').length).toBe(pendingWhenPaused);

    expect(await invokeOperation(handlers, 'batches/resume', { batchId })).toMatchObject({ ok: true, value: { batch: { state: 'running' } } });
    await until(() => engine.batches.get(batchId)!.state === 'completed');
    expectTrueFinalStatuses(engine, batchId);

    const second = await invokeOperation(handlers, 'batches/start', { appointmentIds: imported.summary.ids });
    const secondId = (second as { ok: true; value: { batch: { id: string } } }).value.batch.id;
    await until(() => listBatchAttempts(engine.db, secondId).some((a) => a.state === 'placed'));
    const cancelled = await invokeOperation(handlers, 'batches/cancel', { batchId: secondId });
    expect(cancelled).toMatchObject({ ok: true, value: { batch: { state: 'cancelled' } } });
    expect((cancelled as { ok: true; value: { counts: { skipped?: number } } }).value.counts.skipped).toBeGreaterThan(0);
    expect(await invokeOperation(handlers, 'batches/resume', { batchId: secondId })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });
});
