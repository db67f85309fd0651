import fs from 'node:fs';
import path from 'node:path';
import type { ImportSummary } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import type { ImportOutcome } from '../appointments/import-in-worker';
import { moveSampleToComingDays } from './sample-dates';

// `practice/load-sample`: the practice wizard offers the sample appointments the app ships
// (resources/sample-appointments.csv; in an installed app an extra resource next to app.asar), so a clinic
// trying the app has a board to call without finding a file first.

export const SAMPLE_ONLY_IN_PRACTICE =
  'The sample appointments can only be loaded in practice mode: their phone numbers are made up, and outside practice mode they would really be dialled.';

export interface LoadSampleDeps {
  practice: boolean;
  /** Where the moved copy is written before it is imported (the data folder). */
  workDir: string;
  nowMs: number;
  timezone: string;
  /** Where this installation keeps the sample CSV, or null when the host ships none. */
  file: string | null;
  importFile: (file: string) => Promise<Pick<ImportOutcome, 'errors'> & { summary: { inserted: number; updated: number; unchanged: number } }>;
}

/**
 * The repository's resources/sample-appointments.csv, found upwards from the running module: the same code runs
 * from src-main/core (tsx), out/cli/chunks (the built CLI) or out/main (Electron), at different depths.
 * A packaged app passes its own path (process.resourcesPath) instead.
 */
export function findRepositorySample(startDir: string, maxLevels = 4): string | null {
  let dir = startDir;
  for (let level = 0; level <= maxLevels; level += 1) {
    const candidate = path.join(dir, 'resources', 'sample-appointments.csv');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export async function loadSampleAppointments(deps: LoadSampleDeps): Promise<ImportSummary> {
  // The sample's numbers belong to nobody we know: they are for the simulator, never for a real Twilio account.
  if (!deps.practice) throw new ApiFailure('conflict', SAMPLE_ONLY_IN_PRACTICE);
  if (!deps.file || !fs.existsSync(deps.file)) {
    throw new ApiFailure('unavailable', 'The sample appointments are not part of this installation. Import your own file on the Appointments screen instead.');
  }
  // Moved to the coming days first: past appointments are never called, and the sample's own days have gone by.
  const moved = path.join(deps.workDir, 'sample-appointments.csv');
  fs.writeFileSync(moved, moveSampleToComingDays(fs.readFileSync(deps.file, 'utf8'), deps.nowMs, deps.timezone), { mode: 0o600 });
  const result = await deps.importFile(moved).finally(() => fs.rmSync(moved, { force: true }));
  const { inserted, updated, unchanged } = result.summary;
  return { fileName: path.basename(deps.file), inserted, updated, unchanged, errors: result.errors };
}
