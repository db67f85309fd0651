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

describe('UiPushes.statusesRecorded', () => {
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
});
