import path from 'node:path';
import type { ImportOutcome } from '../../core/appointments/import-in-worker';
import { CliFailure } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

export function printImport(file: string, result: ImportOutcome, out: NodeJS.WritableStream): void {
  const { summary } = result;
  out.write(
    `${path.basename(file)}: ${result.usableRows} of ${result.totalRows} row(s) usable — ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged\n`,
  );
  for (const error of result.errors) out.write(`  line ${error.line}: ${error.reason}\n`);
  const unlisted = result.errorCount - result.errors.length;
  if (unlisted > 0) out.write(`  … and ${unlisted} more problem(s) not listed\n`);
}

/** `import FILE`: adds the file's appointments (re-importing changes nothing); bad rows are listed with their line. */
export async function importCommand(file: string, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    const result = await engine.appointments.importFile(file);
    printImport(file, result, process.stdout);
    if (result.usableRows === 0 && result.errors.length > 0) throw new CliFailure(`no row of ${path.basename(file)} could be imported`);
    return 0;
  });
}
