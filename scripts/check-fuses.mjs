#!/usr/bin/env node
// The post-signing check (docs/DESKTOP.md): reads the Electron fuses back from a packaged, signed app and compares
// them with electron-builder.yml. Run it on the build machine after `npm run dist:*`, before shipping:
//
//   node scripts/check-fuses.mjs --app "release/win-unpacked/Reminder Desk.exe"
//   node scripts/check-fuses.mjs --app "release/mac-arm64/Reminder Desk.app"
//   node scripts/check-fuses.mjs --app "release/linux-unpacked/reminder-desk"
//   … --without-asar-integrity   when the Windows build was made with integrity validation switched off
//
// Exit 0: every fuse as configured. Exit 1: a fuse differs, or the wire is unreadable (signing damaged it).
// Then launch the installed app too: a wire that reads right can still fail its integrity check at start.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { getCurrentFuseWire } from '@electron/fuses';
import YAML from 'yaml';
import { compareFuses, expectedFuses } from './lib/fuse-check.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    config: { type: 'string', default: path.join(root, 'electron-builder.yml') },
    'without-asar-integrity': { type: 'boolean', default: false },
  },
});

if (!values.app) {
  process.stderr.write('usage: node scripts/check-fuses.mjs --app <packaged executable or .app> [--without-asar-integrity]\n');
  process.exit(2);
}

const config = YAML.parse(fs.readFileSync(values.config, 'utf8'));
const overrides = values['without-asar-integrity'] ? { enableEmbeddedAsarIntegrityValidation: false } : {};
let wire;
try {
  wire = await getCurrentFuseWire(values.app);
} catch (error) {
  process.stderr.write(`Could not read the fuses of ${values.app}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const rows = compareFuses(expectedFuses(config, overrides), wire);
for (const row of rows) process.stdout.write(`${row.ok ? 'ok  ' : 'FAIL'} ${row.fuse}: expected ${row.expected}, found ${row.actual}\n`);
const failed = rows.filter((row) => !row.ok);
if (failed.length > 0) {
  process.stdout.write(
    `\n${failed.length} fuse(s) differ from electron-builder.yml. Signing may have damaged the fuse wire. On Windows, rebuild with\n` +
      '  npm run dist:win -- -c.electronFuses.enableEmbeddedAsarIntegrityValidation=false\n' +
      'and check again with --without-asar-integrity (docs/DESKTOP.md, "Signing check").\n',
  );
  process.exit(1);
}
process.stdout.write('All fuses as configured. Now install the app and start it once.\n');
