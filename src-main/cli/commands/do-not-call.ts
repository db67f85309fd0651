import { addNumber, importNumbersFile, listDoNotCall, removeNumber, DoNotCallInputError } from '../../core/calls/do-not-call-list';
import type { Engine } from '../../core/engine';
import { nowIso } from '../../core/store/database';
import { UsageError } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

// `reminder-desk do-not-call add|remove|list|import`: the numbers no batch, scheduler or retry ever calls.
// This is staff's own list, so full numbers are shown here (the logs mask them).

function region(engine: Engine): string {
  return engine.settings.phone.default_region;
}

async function withList<T>(globals: GlobalOptions, work: (engine: Engine) => T | Promise<T>): Promise<T> {
  return withEngine(globals, {}, async (engine) => {
    try {
      return await work(engine);
    } catch (error) {
      if (error instanceof DoNotCallInputError) throw new UsageError(error.message);
      throw error;
    }
  });
}

export function doNotCallAddCommand(number: string, opts: { reason?: string }, globals: GlobalOptions): Promise<number> {
  return withList(globals, (engine) => {
    const { entry, added } = addNumber(engine.db, { number, reason: opts.reason ?? null, defaultRegion: region(engine), now: nowIso() });
    process.stdout.write(added ? `Added ${entry.phoneNumber} to the do-not-call list.\n` : `${entry.phoneNumber} is already on the do-not-call list (since ${entry.addedAt}).\n`);
    return 0;
  });
}

export function doNotCallRemoveCommand(number: string, globals: GlobalOptions): Promise<number> {
  return withList(globals, (engine) => {
    const { phoneNumber, removed } = removeNumber(engine.db, number, region(engine));
    process.stdout.write(removed ? `Removed ${phoneNumber} from the do-not-call list.\n` : `${phoneNumber} was not on the do-not-call list.\n`);
    return removed ? 0 : 1;
  });
}

export function doNotCallListCommand(opts: { json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withList(globals, (engine) => {
    const entries = listDoNotCall(engine.db);
    if (opts.json) process.stdout.write(`${JSON.stringify(entries)}\n`);
    else if (entries.length === 0) process.stdout.write('The do-not-call list is empty.\n');
    else for (const e of entries) process.stdout.write(`${e.phoneNumber}\t${e.source}\t${e.addedAt}\t${e.reason ?? ''}\n`);
    return 0;
  });
}

export function doNotCallImportCommand(file: string, opts: { json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withList(globals, async (engine) => {
    const result = await importNumbersFile(engine.db, file, { defaultRegion: region(engine), now: nowIso() });
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(`Added ${result.added} numbers to the do-not-call list (${result.alreadyListed} were already on it).\n`);
      for (const e of result.errors) process.stderr.write(`line ${e.line}: "${e.value}": ${e.reason}\n`);
    }
    return result.errors.length > 0 ? 1 : 0;
  });
}
