#!/usr/bin/env node
// `reminder-desk` / `npx reminder-desk`: the CLI is TypeScript, run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src-main/cli/main.ts', import.meta.url).href);
// Exit explicitly: keep-alive sockets of the Twilio client must not hold a finished command open.
process.exit(await main(process.argv.slice(2)));
