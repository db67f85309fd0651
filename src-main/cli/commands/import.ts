import path from 'node:path';
import type { ImportResult } from '../../core/appointments/read-appointments';
import type { UpsertSummary } from '../../core/store/appointments';
import { CliFailure } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

export function printImport(file: string, result: ImportResult & { summary: UpsertSummary }, out: NodeJS.WritableStream): void {
  const { summary } = result;
  out.write(
    `${path.basename(file)}: ${result.rows.length} of ${result.totalRows} row(s) usable — ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged\n`,
  );
  for (const error of result.errors) out.write(`  line ${error.line}: ${error.reason}\n`);
}

/** `import FILE`: adds the file's appointments (re-importing changes nothing); bad rows are listed with their line. */
export async function importCommand(file: string, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    const result = await engine.appointments.importFile(file);
    printImport(file, result, process.stdout);
    if (result.rows.length === 0 && result.errors.length > 0) throw new CliFailure(`no row of ${path.basename(file)} could be imported`);
    return 0;
  });
}
