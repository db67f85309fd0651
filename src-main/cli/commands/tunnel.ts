import { CliFailure } from '../cli-errors';
import { withEngine, type GlobalOptions } from '../open-engine';

/**
 * `tunnel check`: starts the callback server and tunnel as `serve` would, sends a signed request through the
 * public URL and reports whether it arrived. Exit 0 when callbacks reach this computer; 1 naming the failing hop.
 */
export async function tunnelCheckCommand(opts: { json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    await engine.start({ resumeBatches: false });
    const result = await engine.connection.selfTest();
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${result.ok ? 'OK' : 'FAILED'}: ${result.message}\n`);
      for (const detail of result.details) process.stdout.write(`  ${detail}\n`);
    }
    if (!result.ok) throw new CliFailure(`callbacks do not reach this computer (${result.hop ?? 'unknown hop'}): ${result.message}`);
    return 0;
  });
}
