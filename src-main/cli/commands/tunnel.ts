import { runningEngine } from '../../core/connection/engine-runtime';
import { checkTunnel } from '../../core/connection/running-engine-check';
import { CliFailure } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

/**
 * `tunnel check`: sends a signed probe to the public URL of the Reminder Desk running on this data folder (the
 * app or `serve`) and confirms that engine recorded it. Never starts an engine and never takes the data-folder
 * lock, so it works exactly when it matters: beside the running app. Exit 0 when callbacks reach the running
 * engine; 1 naming the failing hop, or saying that nothing is running to receive them.
 */
export async function tunnelCheckCommand(opts: { json?: boolean }, globals: GlobalOptions): Promise<number> {
  // Opened only for settings, secrets and reading the inspector; not started.
  return withEngine(globals, {}, async (engine) => {
    const running = runningEngine(engine.dataDir);
    const authToken = running?.practice
      ? (await import('../../core/practice/simulator/twilio-simulator')).PRACTICE_AUTH_TOKEN
      : engine.account.credential('TWILIO_AUTH_TOKEN');
    const result = await checkTunnel({ dataDir: engine.dataDir, running, authToken, ownStatusUrl: engine.settings.calling.status_callback_url, db: engine.db });
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${result.ok ? 'OK' : 'FAILED'}: ${result.message}\n`);
      for (const detail of result.details) process.stdout.write(`  ${detail}\n`);
    }
    if (!result.ok) {
      throw new CliFailure(
        result.hop === 'not-running' ? 'no Reminder Desk is receiving callbacks now' : `callbacks do not reach the running Reminder Desk (${result.hop ?? 'unknown hop'})`,
      );
    }
    return 0;
  });
}
