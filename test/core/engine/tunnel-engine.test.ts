import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../src-main/core/api/contract';
import { listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { FakeTunnelProvider } from '../../../src-main/core/connection/fake-tunnel-provider';
import { EngineHarness, expectTrueFinalStatuses, sampleBatch, settingsYaml, until } from './engine-fixtures';

// Issue 3: the built-in tunnel, driven through a fake provider that really forwards over loopback and hands out a
// new URL on every reconnect (ngrok's service is unreachable here).

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

const FAST_TUNNEL = { pollFirstAfterMs: 20, pollMaxIntervalMs: 100, waitCheckMs: 20, reconcileIntervalMs: 60_000, tunnelBackoff: { initialMs: 10, maxMs: 50 } };

describe('Engine with a tunnel', () => {
  it('a tunnel URL that changes mid-batch loses no call: orphaned calls end with their true status through reconciliation', async () => {
    const provider = new FakeTunnelProvider();
    const dataDir = harness.tempDir(settingsYaml('', 4));
    const engine = await harness.practice({ timeScale: 0.05 }, dataDir, { tunnelProvider: provider, timing: FAST_TUNNEL });
    const firstUrl = provider.currentUrl!;
    expect(engine.connection.status()).toMatchObject({ mode: 'tunnel', simulated: true, statusCallbackUrl: `${firstUrl}/status`, tunnel: { state: 'online' } });
    const pushes: ApiEvents['connection-changed'][] = [];
    engine.events.on('connection-changed', (status) => pushes.push(status));

    const batchId = await sampleBatch(engine);
    const run = engine.batches.run(batchId, { waitSeconds: 120 });
    await until(() => listBatchAttempts(engine.db, batchId).filter((a) => a.isFinal && a.statusSource === 'callback').length >= 2);

    await provider.drop('session lost');
    await until(() => provider.opened.length === 2 && engine.connection.status().tunnel?.state === 'online');
    const secondUrl = provider.currentUrl!;
    expect(secondUrl).not.toBe(firstUrl);
    expect(engine.connection.status().statusCallbackUrl).toBe(`${secondUrl}/status`);
    await until(() => pushes.some((p) => p.statusCallbackUrl === `${secondUrl}/status`));

    await until(() => listBatchAttempts(engine.db, batchId).every((a) => a.state === 'placed' || a.state === 'rejected'));
    await engine.practiceMode.simulator!.waitForCallsToFinish(20_000);
    // The simulator kept posting the calls placed under the first URL to it, and those posts failed.
    const failed = engine.practiceMode.simulator!.callbackDeliveries.filter((d) => d.fate === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((d) => d.url.startsWith(firstUrl))).toBe(true);

    await engine.calls.reconcileNow(true);
    expect((await run).state).toBe('completed');
    const attempts = expectTrueFinalStatuses(engine, batchId);
    const underFirst = attempts.filter((a) => a.statusCallbackUrl === `${firstUrl}/status`);
    expect(underFirst.some((a) => a.statusSource === 'callback')).toBe(true); // finished before the drop
    expect(underFirst.some((a) => a.statusSource === 'reconcile')).toBe(true); // orphaned by the drop
    for (const attempt of attempts.filter((a) => a.callSid && a.statusCallbackUrl === `${secondUrl}/status`)) expect(attempt.statusSource).toBe('callback');

    // The batch log says where each status came from.
    const out = path.join(dataDir, 'log.csv');
    await engine.batches.exportLog(batchId, out);
    const rows = parse(fs.readFileSync(out, 'utf8').slice(1), { columns: true }) as Record<string, string>[];
    const sources = new Set(rows.map((r) => r.status_source));
    expect(sources).toContain('callback');
    expect(sources).toContain('reconcile');
    for (const row of rows) {
      const attempt = attempts.find((a) => a.callSid === row.call_id && row.call_id !== '');
      if (attempt) expect(row.status_source).toBe(attempt.statusSource);
    }
  });

  it('the self-test passes end to end through the tunnel, and names the signature hop when the signed URL is wrong', async () => {
    const provider = new FakeTunnelProvider();
    const engine = await harness.practice({}, harness.tempDir(), { tunnelProvider: provider, timing: FAST_TUNNEL });
    const passed = await engine.connection.selfTest();
    expect(passed).toMatchObject({ ok: true, hop: null });

    const wrong = await engine.connection.selfTest({ signUrl: `${provider.currentUrl!.replace('http://', 'https://')}/status` });
    expect(wrong).toMatchObject({ ok: false, hop: 'signature-rejected' });
    expect(wrong.message.length).toBeGreaterThan(0);
  });

  it('a tunnel that cannot start leaves calling in polling mode with the reason in the status', async () => {
    const provider = new FakeTunnelProvider();
    provider.failNextOpen(Object.assign(new Error('authentication failed: The authtoken you specified is invalid'), { errorCode: 'ERR_NGROK_105' }));
    const dataDir = harness.tempDir(settingsYaml('tunnel:\n  provider: ngrok\n'));
    const withTunnel = await harness.open(dataDir, { tunnelProvider: provider, timing: FAST_TUNNEL });
    await withTunnel.start();
    const status = withTunnel.connection.status();
    expect(status).toMatchObject({ mode: 'polling', tunnel: { state: 'failed', error: { code: 'ERR_NGROK_105' } } });
    expect(status.summary).toMatch(/^Polling: the tunnel is not online/);
  });
});
