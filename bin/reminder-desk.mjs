#!/usr/bin/env node
// `reminder-desk` / `npx reminder-desk`: runs the CLI built into out/cli/ (npm install builds it; so does
// `npm run build`). No TypeScript is compiled at start-up.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('reminder-desk: the CLI is not built yet: run `npm run build:cli` (npm install does it too)\n');
  process.exit(1);
}
const { main } = await import(built.href);
const code = await main(process.argv.slice(2));
// Exit explicitly (keep-alive sockets of the Twilio client must not hold a finished command open), but only
// once stdout has drained: on a pipe, writes are asynchronous and process.exit() would cut the output short.
await new Promise((resolve) => process.stdout.write('', resolve));
await new Promise((resolve) => process.stderr.write('', resolve));
process.exit(code);
