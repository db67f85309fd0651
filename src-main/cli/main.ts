import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { APP_VERSION } from '../core/app-version';
import type { GlobalOptions } from './open-engine';

// `reminder-desk`: the headless face of the engine. See docs/CLI.md.
// Each command's module (and with it the engine, twilio, SQLite) is loaded only when that command runs, so
// `--version` and `--help` start as fast as a bare node.
const commands = {
  callbacks: () => import('./commands/callbacks'),
  errors: () => import('./cli-errors'),
  import: () => import('./commands/import'),
  report: () => import('./commands/report'),
  run: () => import('./commands/run'),
  sample: () => import('./commands/sample'),
  serve: () => import('./commands/serve'),
  tunnel: () => import('./commands/tunnel'),
  doNotCall: () => import('./commands/do-not-call'),
};

function positiveNumber(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive number, not "${text}"`);
    return value;
  };
}

function positiveInteger(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number, not "${text}"`);
    return value;
  };
}

/** --config and --data-dir work before or after the command name. */
function withGlobalOptions(command: Command): Command {
  return command
    .option('--config <path>', 'settings.yaml to use (default: ./config/settings.yaml, else the data folder)')
    .option('--data-dir <dir>', 'data folder (default: $REMINDER_DESK_DATA_DIR, else the app data folder)');
}

function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<{ config?: string; dataDir?: string }>();
  return { ...(all.config ? { config: all.config } : {}), ...(all.dataDir ? { dataDir: all.dataDir } : {}) };
}

const timeScaleOption = (): Option =>
  new Option('--time-scale <factor>', 'simulator speed (1 = real time; tests use 0.01)').argParser(positiveNumber('--time-scale')).hideHelp();

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = withGlobalOptions(new Command('reminder-desk'))
    .description('Appointment reminder calls through Twilio, with every call status stored.')
    .version(APP_VERSION, '-V, --version')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined }); // errors are printed once, by main()

  withGlobalOptions(program.command('import'))
    .description('import appointments from a .csv or .xlsx file (re-importing creates no duplicates)')
    .argument('<file>', 'appointments file')
    .action(async (file: string, _opts: unknown, cmd: Command) => setExitCode(await (await commands.import()).importCommand(file, globalsOf(cmd))));

  withGlobalOptions(program.command('run'))
    .description('import FILE and call every appointment in it (without FILE: finish the interrupted batch), then export')
    .argument('[file]', 'appointments file (.csv or .xlsx)')
    .option('--simulate', 'practice mode: the built-in Twilio simulator, nobody is called')
    .option('--export <out.csv>', 'write the batch log CSV here when the batch is done')
    .option('--wait <seconds>', 'how long to wait for every call to reach a final status', positiveNumber('--wait'))
    .option('--again', 'also call patients already reminded (a person answered, a voicemail was left, or they confirmed / cancelled)')
    .addOption(timeScaleOption())
    .action(async (file: string | undefined, opts: { simulate?: boolean; export?: string; wait?: number; timeScale?: number; again?: boolean }, cmd: Command) =>
      setExitCode(await (await commands.run()).runCommand(file, opts, globalsOf(cmd))),
    );

  withGlobalOptions(program.command('sample'))
    .description('write the practice sample appointments, moved to the coming days (for run --simulate)')
    .option('--out <file>', 'CSV file to write', 'sample-appointments.csv')
    .action(async (opts: { out?: string }, cmd: Command) => setExitCode(await (await commands.sample()).sampleCommand(opts, globalsOf(cmd))));

  withGlobalOptions(program.command('serve'))
    .description('callback server + tunnel + reminder scheduler + dispatch, until stopped (SIGINT/SIGTERM)')
    .option('--simulate', 'practice mode: the built-in Twilio simulator')
    .addOption(timeScaleOption())
    .action(async (opts: { simulate?: boolean; timeScale?: number }, cmd: Command) => setExitCode(await (await commands.serve()).serveCommand(opts, globalsOf(cmd))));

  withGlobalOptions(program.command('export'))
    .description('write a batch log CSV')
    .option('--batch <id>', 'batch id, or "latest"', 'latest')
    .option('--out <file>', 'CSV file to write (default: <data dir>/exports/reminder-log-<batch>.csv)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { batch?: string; out?: string; json?: boolean }, cmd: Command) => setExitCode(await (await commands.report()).exportCommand(opts, globalsOf(cmd))));

  withGlobalOptions(program.command('status'))
    .description('data folder, callback mode and a batch\'s progress (default: the latest batch)')
    .option('--batch <id>', 'batch id, or "latest"')
    .option('--json', 'machine-readable output')
    .action(async (opts: { batch?: string; json?: boolean }, cmd: Command) => setExitCode(await (await commands.report()).statusCommand(opts, globalsOf(cmd))));

  const tunnel = withGlobalOptions(program.command('tunnel')).description('the public tunnel for Twilio callbacks');
  withGlobalOptions(tunnel.command('check'))
    .description('prove end to end that Twilio callbacks reach the Reminder Desk running on this data folder (exit 1 names the failing hop)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => setExitCode(await (await commands.tunnel()).tunnelCheckCommand(opts, globalsOf(cmd))));

  const callbacks = withGlobalOptions(program.command('callbacks'))
    .description('the callback inspector: requests that reached the public listener')
    .option('--tail', 'keep printing new requests until Ctrl+C')
    .option('--call <callSid>', 'only this call\'s requests')
    .option('--limit <n>', 'how many recent requests to list', positiveInteger('--limit'), 50)
    .option('--json', 'one JSON object per line')
    .action(async (opts: { tail?: boolean; call?: string; limit?: number; json?: boolean }, cmd: Command) =>
      setExitCode(await (await commands.callbacks()).callbacksCommand(opts, globalsOf(cmd))),
    );
  withGlobalOptions(callbacks.command('replay'))
    .description('re-apply a stored status callback (idempotent)')
    .argument('<id>', 'request id from `reminder-desk callbacks`')
    .option('--json', 'machine-readable output')
    // `--json` after `replay` may be taken by the parent `callbacks` command: read it from either.
    .action(async (id: string, _opts: unknown, cmd: Command) =>
      setExitCode(await (await commands.callbacks()).replayCommand(id, { json: cmd.optsWithGlobals<{ json?: boolean }>().json ?? false }, globalsOf(cmd))),
    );

  const dnc = withGlobalOptions(program.command('do-not-call')).description('numbers never to be called again (pressed 9, or added by staff)');
  withGlobalOptions(dnc.command('add'))
    .description('add a number to the do-not-call list')
    .argument('<number>', 'phone number (national numbers use phone.default_region)')
    .option('--reason <text>', 'why (shown to staff)')
    .action(async (number: string, opts: { reason?: string }, cmd: Command) => setExitCode(await (await commands.doNotCall()).doNotCallAddCommand(number, opts, globalsOf(cmd))));
  withGlobalOptions(dnc.command('remove'))
    .description('take a number off the do-not-call list (exit 1 when it was not on it)')
    .argument('<number>', 'phone number')
    .action(async (number: string, _opts: unknown, cmd: Command) => setExitCode(await (await commands.doNotCall()).doNotCallRemoveCommand(number, globalsOf(cmd))));
  withGlobalOptions(dnc.command('list'))
    .description('list the do-not-call list (number, source, added at, reason)')
    .option('--json', 'machine-readable output')
    .action(async (_opts: unknown, cmd: Command) => setExitCode(await (await commands.doNotCall()).doNotCallListCommand({ json: cmd.optsWithGlobals<{ json?: boolean }>().json ?? false }, globalsOf(cmd))));
  withGlobalOptions(dnc.command('import'))
    .description('add every number of a CSV file (one per line, or a phone_number column; optional reason column)')
    .argument('<file>', 'CSV file of numbers')
    .option('--json', 'machine-readable output')
    .action(async (file: string, _opts: unknown, cmd: Command) =>
      setExitCode(await (await commands.doNotCall()).doNotCallImportCommand(file, { json: cmd.optsWithGlobals<{ json?: boolean }>().json ?? false }, globalsOf(cmd))),
    );

  return program;
}

/** Runs the CLI and returns its exit code; every failure is one `reminder-desk: <reason>` line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
      return 0;
    }
    // Loaded only on failure: describing every error kind reaches into the whole core.
    const { describeCliError } = await commands.errors();
    const { code, message } = describeCliError(error);
    process.stderr.write(`reminder-desk: ${message}\n`);
    return code;
  }
}
