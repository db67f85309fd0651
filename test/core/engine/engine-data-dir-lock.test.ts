import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../../src-main/core/store/data-dir-lock';
import { EngineHarness } from './engine-fixtures';

// The lock itself is unit-tested in test/core/store; this holds its wiring: Engine.start takes the data folder and
// Engine.stop gives it back. Two engines on one folder (`reminder-desk serve` and the desktop app, say) would each
// resume the same batch.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

describe('one engine per data folder', () => {
  it('refuses a second Engine.start on a data folder an engine is running on, and allows it once that engine stopped', async () => {
    const dataDir = harness.tempDir();
    const first = await harness.practice({}, dataDir);

    const second = await harness.open(dataDir, { practice: true });
    const refused = await second.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toMatch(new RegExp(`already running on this data folder \\(process ${process.pid} `));
    expect(second.practiceMode.simulator).toBeNull(); // refused before anything was started
    await second.stop();

    await first.stop();
    const third = await harness.practice({}, dataDir);
    expect(third.practiceMode.simulator).not.toBeNull();
  });
});
