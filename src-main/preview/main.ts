import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/engine';
import { createLogger } from '../core/logging/logger';
import { defaultDataDir } from '../core/settings/load-settings';
import { startPreviewServer } from './preview-server';

// `npm run preview:web`: the real core plus the built renderer in any browser, on a loopback-only listener.
// Used where Electron's runtime is unavailable, and by the end-to-end tests.

const log = createLogger('preview');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      practice: { type: 'boolean' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run preview:web -- [--data-dir DIR] [--config settings.yaml] [--practice] [--port N]\n' +
        'Serves Reminder Desk to your browser on 127.0.0.1 only. Open the printed address (it carries a one-time key).\n',
    );
    return;
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir()); // defaultDataDir honours REMINDER_DESK_DATA_DIR
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a number from 0 to 65535, not ${values.port}`);

  // Without --practice the mode chosen in the wizard (kept in the data folder) applies; the flag only turns it on.
  const engine = await Engine.open({ dataDir, configFile: values.config, practice: values.practice ? true : undefined });
  await engine.start({ automaticReminders: true }); // like the desktop app: the switch decides
  const preview = await startPreviewServer({
    handlers: engine.handlers(),
    events: engine.events,
    staticDir: path.join(repoRoot, 'out/renderer'),
    host: '127.0.0.1',
    port,
    exportBatch: (batchId, writable) => engine.batches.exportLog(batchId, writable),
    onInternalError: (operation, error) => log.error('operation failed', { operation, error }),
  });
  process.stdout.write(`Reminder Desk preview is ready. Open this address in your browser:\n\n  ${preview.url}\n\nData folder: ${dataDir}\nPress Ctrl+C to stop.\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await preview.close();
    await engine.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`Reminder Desk preview could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
