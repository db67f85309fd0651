// The predecessor's batch log (logging.batch_log_file) written by a running engine; the file's format is held piece
// by piece in test/core/batches/legacy-batch-log.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_BATCH_LOG_COLUMNS } from '../../../src-main/core/batches/legacy-batch-log';
import { EngineHarness, settingsYaml, until } from './engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

describe('logging.batch_log_file in a running engine', () => {
  it('the engine appends each finished batch once (practice run with the predecessor template)', async () => {
    const dir = harness.tempDir(
      settingsYaml(
        'logging:\n  batch_log_file: logs/batch_log.csv\nmessage:\n  message_template: "Hello {name}, your appointment is on {appointment_date} at {appointment_time}{location_text}."\n',
      ),
    );
    const engine = await harness.practice({}, dir);
    const csv = path.join(dir, 'in.csv');
    fs.writeFileSync(csv, 'name,phone_number,appointment_date,location\nAnn Person,+12125550100,2030-03-11 10:00,Main Street Clinic\nBo Nolocation,+12125550101,2030-03-11 11:00,\n');
    const { summary } = await engine.appointments.importFile(csv);
    const batch = engine.batches.create(summary.ids);
    expect((await engine.batches.run(batch.id, { waitSeconds: 60 })).state).toBe('completed');
    const log = path.join(dir, 'logs', 'batch_log.csv');
    await until(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').split('\r\n').length === 4);
    const lines = fs.readFileSync(log, 'utf8').split('\r\n');
    expect(lines[0]).toBe(LEGACY_BATCH_LOG_COLUMNS.join(','));
    expect(lines.slice(1, 3).map((l) => l.split(',')[0])).toEqual([batch.id, batch.id]);
    expect(engine.practiceMode.simulator!.listCalls().flatMap((c) => c.heard)).toEqual(
      expect.arrayContaining([
        'Hello Ann Person, your appointment is on Monday, March 11 at 10:00 AM at Main Street Clinic.',
        'Hello Bo Nolocation, your appointment is on Monday, March 11 at 11:00 AM.',
      ]),
    );
  });
});
