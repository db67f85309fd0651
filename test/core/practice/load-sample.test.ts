import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import { findRepositorySample, SAMPLE_ONLY_IN_PRACTICE } from '../../../src-main/core/practice/load-sample';
import { EngineHarness, SAMPLE_CSV } from '../engine/engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

describe('practice/load-sample', () => {
  it('imports the shipped sample appointments in practice mode (again: no duplicates)', async () => {
    const engine = await harness.practice();
    const first = await invokeOperation(engine.handlers(), 'practice/load-sample', {});
    expect(first).toEqual({ ok: true, value: { fileName: 'sample-appointments.csv', inserted: 8, updated: 0, unchanged: 0, errors: [] } });
    const again = await invokeOperation(engine.handlers(), 'practice/load-sample', {});
    expect(again).toMatchObject({ ok: true, value: { inserted: 0, unchanged: 8 } });
    const board = await invokeOperation(engine.handlers(), 'appointments/list', {});
    expect(board).toMatchObject({ ok: true, value: { length: 8 } });
  });

  it('reads the file the host names (a packaged app: next to app.asar)', async () => {
    const dir = harness.tempDir();
    const copy = path.join(dir, 'resources', 'sample-appointments.csv');
    fs.mkdirSync(path.dirname(copy));
    fs.writeFileSync(copy, fs.readFileSync(SAMPLE_CSV, 'utf8').split('\n').slice(0, 3).join('\n'));
    const engine = await harness.practice({}, harness.tempDir(), { sampleAppointmentsFile: copy });
    expect(await invokeOperation(engine.handlers(), 'practice/load-sample', {})).toMatchObject({ ok: true, value: { inserted: 2 } });
  });

  it('is refused outside practice mode: the sample numbers would really be dialled', async () => {
    const engine = await harness.open(harness.tempDir());
    expect(await invokeOperation(engine.handlers(), 'practice/load-sample', {})).toEqual({ ok: false, error: { kind: 'conflict', message: SAMPLE_ONLY_IN_PRACTICE } });
    const board = await invokeOperation(engine.handlers(), 'appointments/list', {});
    expect(board).toEqual({ ok: true, value: [] });
  });

  it('says so when the installation has no sample', async () => {
    const engine = await harness.practice({}, harness.tempDir(), { sampleAppointmentsFile: '/nowhere/sample-appointments.csv' });
    expect(await invokeOperation(engine.handlers(), 'practice/load-sample', {})).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
  });
});

describe('findRepositorySample', () => {
  it('finds resources/ from any depth the engine code runs at (src-main/core, out/cli/chunks, out/main)', () => {
    const repo = path.resolve(import.meta.dirname, '../../..');
    const expected = path.join(repo, 'resources', 'sample-appointments.csv');
    for (const dir of ['src-main/core', 'out/cli/chunks', 'out/main']) expect(findRepositorySample(path.join(repo, dir))).toBe(expected);
  });

  it('is null where no sample is within reach', () => {
    expect(findRepositorySample(path.parse(process.cwd()).root)).toBeNull();
  });
});
