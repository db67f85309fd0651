import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// The one way the tests start a browser: Debian's Chromium, headless, with the flags this machine needs. A machine
// without it fails the tests that need it with the fix, never skips them.

export const CHROMIUM = '/usr/bin/chromium';

export function assertChromiumInstalled(): void {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium).`);
}

export async function launchBrowser(timeoutMs = 15_000): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: timeoutMs,
  });
}
