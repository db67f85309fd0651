import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallAttempt } from '../../src-main/core/domain';
import type { EngineContext } from '../../src-main/core/engine-context';
import type { RecordResult } from '../../src-main/core/store/status-events';
import { UiPushes } from '../../src-main/core/ui-pushes';
import { makeSettings, tempDb } from './batches/fixtures';
import { createBatch } from '../../src-main/core/store/batches';
import { addAppointments } from './batches/fixtures';
import { listBatchAttempts } from '../../src-main/core/store/call-attempts';

afterEach(() => vi.useRealTimers());

describe('UiPushes', () => {
  it('pushes each call of a flush once and throttles the batch count: first at once, the last one always', () => {
    vi.useFakeTimers();
    const store = tempDb();
    const events = new EventEmitter();
    const emitted: string[] = [];
    events.on('call-updated', (e: { call: { attemptId: number; status: string } }) => emitted.push(`call ${e.call.attemptId} ${e.call.status}`));
    events.on('batch-progress', () => emitted.push('batch'));
    events.on('connection-changed', () => emitted.push('connection'));
    const settings = makeSettings();
    const ctx = { db: store.db, events, getSettings: () => settings } as unknown as EngineContext;
    const pushes = new UiPushes(ctx, () => ({}) as never);
    const batch = createBatch(store.db, { appointmentIds: addAppointments(store.db, ['+12125550100', '+12125550104']), simulated: true, now: new Date() });
    const [a, b] = listBatchAttempts(store.db, batch.id);
    const result = (attempt: CallAttempt, status: string): RecordResult => ({ stored: true, applied: true, attempt: { ...attempt, status } as CallAttempt });

    pushes.statusesRecorded([result(a!, 'ringing'), result(b!, 'ringing'), result(a!, 'in-progress')]);
    expect(emitted).toEqual([`call ${a!.id} in-progress`, `call ${b!.id} ringing`, 'batch', 'connection']);
    emitted.length = 0;
    pushes.statusesRecorded([result(a!, 'completed')]);
    pushes.statusesRecorded([result(b!, 'completed')]);
    expect(emitted.filter((e) => e === 'batch')).toEqual([]); // within 250 ms of the last batch push
    vi.advanceTimersByTime(250);
    expect(emitted.filter((e) => e === 'batch')).toEqual(['batch']); // one trailing push with the latest counts
    pushes.close();
    store.cleanup();
  });

  it('a sweep over many open calls (poller or reconciler) pushes each call, and the batch count once now and once at the end', () => {
    vi.useFakeTimers();
    const { pushes, emitted, attempts, done } = pushesOverBatch(20);
    for (const attempt of attempts) pushes.attemptUpdated({ ...attempt, status: 'completed' } as CallAttempt);
    expect(emitted.filter((e) => e.startsWith('call'))).toHaveLength(20);
    expect(emitted.filter((e) => e === 'batch')).toEqual(['batch']);
    vi.advanceTimersByTime(250);
    expect(emitted.filter((e) => e === 'batch')).toEqual(['batch', 'batch']);
    done();
  });

  it('a state change (pause, cancel, finish) is pushed at once, even right after a throttled count', () => {
    vi.useFakeTimers();
    const { pushes, emitted, attempts, batchId, done } = pushesOverBatch(2);
    pushes.batchSoon(batchId);
    pushes.batchSoon(batchId);
    expect(emitted).toEqual(['batch']);
    pushes.batch(batchId);
    expect(emitted).toEqual(['batch', 'batch']);
    pushes.close();
    vi.advanceTimersByTime(1_000);
    pushes.attemptUpdated(attempts[0]!);
    expect(emitted).toEqual(['batch', 'batch']); // nothing after close: no call, no pending trailing push, no read of a closed database
    done();
  });
});

function pushesOverBatch(size: number) {
  const store = tempDb();
  const events = new EventEmitter();
  const emitted: string[] = [];
  events.on('call-updated', (e: { call: { attemptId: number } }) => emitted.push(`call ${e.call.attemptId}`));
  events.on('batch-progress', () => emitted.push('batch'));
  const settings = makeSettings();
  const ctx = { db: store.db, events, getSettings: () => settings } as unknown as EngineContext;
  const pushes = new UiPushes(ctx, () => ({}) as never);
  const numbers = Array.from({ length: size }, (_, i) => `+1212555${String(100 + i).padStart(4, '0')}`);
  const batch = createBatch(store.db, { appointmentIds: addAppointments(store.db, numbers), simulated: true, now: new Date() });
  return {
    pushes,
    emitted,
    batchId: batch.id,
    attempts: listBatchAttempts(store.db, batch.id),
    done: () => {
      pushes.close();
      store.cleanup();
    },
  };
}
