import fs from 'node:fs';
import path from 'node:path';
import { findRepositorySample } from '../../core/practice/load-sample';
import { moveSampleToComingDays } from '../../core/practice/sample-dates';
import { CliFailure } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

/**
 * `sample [--out FILE]`: writes the practice sample appointments moved to the coming days (past appointments are
 * never called), ready for `reminder-desk run FILE --simulate`.
 */
export async function sampleCommand(opts: { out?: string }, globals: GlobalOptions): Promise<number> {
  const source = findRepositorySample(import.meta.dirname);
  if (!source) throw new CliFailure('the sample appointments are not part of this installation');
  const out = path.resolve(opts.out ?? 'sample-appointments.csv');
  return withEngine(globals, {}, async (engine) => {
    const text = moveSampleToComingDays(fs.readFileSync(source, 'utf8'), Date.now(), engine.settings.scheduling.timezone);
    fs.writeFileSync(out, text);
    process.stdout.write(`Wrote ${out}: practice appointments from tomorrow on (numbers for the simulator only).\n`);
    return 0;
  });
}
