// `reminder-desk tunnel check` beside a running engine (issue 9.10): the real CLI binary in a child process,
// an engine on the same data folder in this process, loopback only (the "public" URL is the clinic's own URL
// pointing at 127.0.0.1). It must probe the running engine's URL, see the probe in its inspector, name the
// failing hop, and with nothing running say so even when the path itself works.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SELF_TEST_PARAM } from '../../src-main/core/callbacks/self-test';
import { runningEngine } from '../../src-main/core/connection/engine-runtime';
import { listCallbackRequests } from '../../src-main/core/store/callback-requests';
import { MemorySecretStore } from '../../src-main/core/settings/secrets';
import { EngineHarness, settingsYaml } from '../core/engine/engine-fixtures';
import { runCli } from './cli-helpers';

const TOKEN = 'f'.repeat(32);
const SID = `AC${'a'.repeat(32)}`;
const harness = new EngineHarness();
afterEach(() => harness.cleanup());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A data folder whose settings put the listener on `port` and register `ownUrl` on calls (no tunnel). */
function dataDirFor(port: number, ownUrl: string): string {
  return harness.tempDir(settingsYaml(`tunnel:\n  provider: none\n`).replace('port: 0', `port: ${port}`).replace('calling:\n', `calling:\n  status_callback_url: ${ownUrl}\n`));
}

async function runningEngineOn(port: number, ownUrl: string, token = TOKEN) {
  const dataDir = dataDirFor(port, ownUrl);
  const engine = await harness.open(dataDir, { secrets: new MemorySecretStore({ TWILIO_AUTH_TOKEN: token, TWILIO_ACCOUNT_SID: SID }) });
  await engine.start({ resumeBatches: false });
  return { dataDir, engine };
}

const tunnelCheck = (dataDir: string, token = TOKEN) => runCli(['tunnel', 'check', '--data-dir', dataDir], { env: { TWILIO_AUTH_TOKEN: token } });

beforeAll(() => {
  // The CLI tests run the built CLI; build failures show here rather than as a confusing exit code.
  expect(fs.existsSync(path.resolve(import.meta.dirname, '../../out/cli/main.js'))).toBe(true);
});

describe('tunnel check beside a running engine', () => {
  it('probes the running engine at its public URL, confirms it recorded the probe, and takes no lock', async () => {
    const port = await freePort();
    const { dataDir, engine } = await runningEngineOn(port, `http://127.0.0.1:${port}/status`);
    expect(runningEngine(dataDir)).toMatchObject({ pid: process.pid, statusCallbackUrl: `http://127.0.0.1:${port}/status`, mode: 'own-url' });
    expect(fs.statSync(path.join(dataDir, 'engine-runtime.json')).mode & 0o777).toBe(0o600);

    const result = await tunnelCheck(dataDir);

    expect(result.stderr).not.toMatch(/already running|stop it first/);
    expect(result.stdout).toMatch(/^OK: Callbacks reach the running Reminder Desk and pass its signature check: it recorded the probe \(callback inspector #\d+\)/);
    expect(result.code).toBe(0);
    const probes = listCallbackRequests(engine.db, { limit: 20 }).filter((request) => request.params?.[SELF_TEST_PARAM]);
    expect(probes).toHaveLength(1);
    expect(probes[0]!.signatureVerdict).toBe('valid');

    await engine.stop();
    expect(runningEngine(dataDir)).toBeNull(); // removed on stop
  }, 30_000);

  it('names the failing hop: nothing listening at the public URL, or a signature the engine rejects', async () => {
    const deadPort = await freePort();
    const { dataDir } = await runningEngineOn(await freePort(), `http://127.0.0.1:${deadPort}/status`);
    const down = await tunnelCheck(dataDir);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^FAILED: Reminder Desk is running on this data folder \(process \d+\), but callbacks do not reach it\. The public URL .* cannot be reached/);
    expect(down.stderr).toMatch(/^reminder-desk: callbacks do not reach the running Reminder Desk \(tunnel-down\)/m);

    const port = await freePort();
    const signed = await runningEngineOn(port, `http://127.0.0.1:${port}/status`);
    const wrongToken = await tunnelCheck(signed.dataDir, '0'.repeat(32));
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/\(signature-rejected\)/);
  }, 30_000);

  it('says when the URL leads to another Reminder Desk that is not the one running on this folder', async () => {
    const port = await freePort();
    await runningEngineOn(port, `http://127.0.0.1:${port}/status`); // folder A answers at the URL
    const other = await runningEngineOn(await freePort(), `http://127.0.0.1:${port}/status`); // folder B registers A's URL
    const result = await tunnelCheck(other.dataDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/was answered by another Reminder Desk: this one did not record it/);
    expect(result.stderr).toMatch(/\(not-recorded\)/);
  }, 30_000);

  it('with nothing running on the folder says no Reminder Desk is receiving callbacks, even though the path works', async () => {
    const port = await freePort();
    await runningEngineOn(port, `http://127.0.0.1:${port}/status`); // something answers at the URL…
    const idle = dataDirFor(await freePort(), `http://127.0.0.1:${port}/status`); // …but nothing runs on this folder
    const result = await tunnelCheck(idle);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED: No Reminder Desk is receiving callbacks now: neither the app nor `reminder-desk serve` is running on this data folder\. The path itself works/);
    expect(result.stdout).not.toMatch(/^OK/m);
  }, 30_000);
});
