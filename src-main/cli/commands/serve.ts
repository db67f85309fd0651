import { formatConnection } from '../format';
import { openEngine, untilSignal, type GlobalOptions } from '../open-engine';

/**
 * `serve`: the callback server, the tunnel, the reminder scheduler and dispatch, until SIGINT / SIGTERM.
 * Interrupted batches resume at start. On a signal everything stops in order and the exit code is 0.
 */
export async function serveCommand(opts: { simulate?: boolean; timeScale?: number }, globals: GlobalOptions): Promise<number> {
  const engine = await openEngine(globals, {
    ...(opts.simulate ? { practice: true } : {}),
    ...(opts.timeScale !== undefined ? { simulator: { timeScale: opts.timeScale } } : {}),
  });
  const stopped = untilSignal();
  try {
    await engine.start({ resumeBatches: true, scheduler: true });
    const local = engine.listener.localUrl();
    process.stdout.write(`Reminder Desk is serving${engine.practice ? ' (SIMULATED practice mode)' : ''}; callback server on ${local}\n`);
    process.stdout.write(`${formatConnection(engine.connection.status())}\n`);
    let lastSummary = engine.connection.status().summary;
    engine.events.on('connection-changed', (status) => {
      if (status.summary === lastSummary) return;
      lastSummary = status.summary;
      process.stdout.write(`${status.summary}\n`);
    });
    engine.events.on('callback-rejected', ({ count, reason }) => {
      process.stderr.write(`reminder-desk: ${count} callback(s) rejected${reason ? `: ${reason}` : ''}\n`);
    });
    const signal = await stopped;
    process.stdout.write(`${signal}: stopping\n`);
  } finally {
    await engine.stop();
  }
  return 0;
}
