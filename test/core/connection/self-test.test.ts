import { afterEach, describe, expect, it } from 'vitest';
import { CallbackServer } from '../../../src-main/core/callbacks/callback-server';
import { listCallbackRequests } from '../../../src-main/core/store/callback-requests';
import { FakeTunnelProvider } from '../../../src-main/core/connection/fake-tunnel-provider';
import { runCallbackSelfTest } from '../../../src-main/core/connection/self-test';
import { TunnelManager } from '../../../src-main/core/connection/tunnel-manager';
import { openTestStore, type TestStore } from '../callbacks/callback-fixtures';

const AUTH_TOKEN = 'self-test-auth-token-0123456789ab';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real callback server, published through a real loopback hop by the fake tunnel, driven by the real manager. */
async function publishedServer() {
  const store: TestStore = openTestStore();
  cleanups.push(() => store.close());
  let statusUrl = '';
  const server = new CallbackServer({
    db: store.db,
    host: '127.0.0.1',
    port: 0,
    getAuthToken: () => AUTH_TOKEN,
    knownStatusCallbackUrls: () => [statusUrl],
    voice: { reminderTwiml: () => null, gatherTwiml: () => '<Response/>' },
  });
  const { port, localUrl } = await server.start();
  cleanups.push(() => server.stop());
  const provider = new FakeTunnelProvider();
  const tunnel = new TunnelManager({ provider, authtoken: 'x', domain: null, host: '127.0.0.1', port });
  await tunnel.start();
  cleanups.push(() => tunnel.stop());
  statusUrl = `${tunnel.publicUrl()}/status`;
  return { store, server, localUrl, provider, tunnel, statusUrl };
}

describe('callback self-test, end to end', () => {
  it('passes through the tunnel and stores no status event', async () => {
    const t = await publishedServer();
    const result = await runCallbackSelfTest({ statusCallbackUrl: t.statusUrl, localBaseUrl: t.localUrl, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: true, hop: null, message: expect.stringMatching(/reach this computer/) });
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM status_events').get()).toEqual({ n: 0 });
  });

  it('names the signature hop, with the reason, when the signed URL is wrong', async () => {
    const t = await publishedServer();
    const wrong = t.statusUrl.replace('http://', 'https://');
    const result = await runCallbackSelfTest({ statusCallbackUrl: t.statusUrl, localBaseUrl: t.localUrl, authToken: AUTH_TOKEN, signUrl: wrong });
    expect(result).toMatchObject({ ok: false, hop: 'signature-rejected' });
    expect(result.message).toContain(wrong);
    expect(t.server.stats().rejectedSignatures).toBe(1);
    // The inspector row is written after the response (a rejected one within the listener's next batch).
    for (let i = 0; i < 100 && listCallbackRequests(t.store.db, { limit: 5 }).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(listCallbackRequests(t.store.db, { limit: 5 }).at(-1)).toMatchObject({ signatureVerdict: 'invalid', responseStatus: 403 });
  });

  it('names the tunnel when the public URL is down', async () => {
    const t = await publishedServer();
    await t.provider.drop();
    const result = await runCallbackSelfTest({ statusCallbackUrl: t.statusUrl, localBaseUrl: t.localUrl, authToken: AUTH_TOKEN, timeoutMs: 3_000 });
    expect(result).toMatchObject({ ok: false, hop: 'tunnel-down' });
  });

  it('names the URL when something else answers there', async () => {
    const t = await publishedServer();
    const result = await runCallbackSelfTest({ statusCallbackUrl: t.statusUrl.replace('/status', '/callbacks'), localBaseUrl: t.localUrl, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'url-mismatch' });
  });

  it('names our own server when it is not listening', async () => {
    const t = await publishedServer();
    await t.server.stop();
    const result = await runCallbackSelfTest({ statusCallbackUrl: t.statusUrl, localBaseUrl: t.localUrl, authToken: AUTH_TOKEN, timeoutMs: 3_000 });
    expect(result).toMatchObject({ ok: false, hop: 'server-not-listening' });
  });

  it('knows ngrok’s "nothing behind the tunnel" answer', async () => {
    const t = await publishedServer();
    // Health passes against a local stub, but the tunnel forwards to a dead port: the fake answers like ngrok (8012).
    const deadTunnel = new TunnelManager({ provider: new FakeTunnelProvider(), authtoken: 'x', domain: null, host: '127.0.0.1', port: 9 });
    await deadTunnel.start();
    cleanups.push(() => deadTunnel.stop());
    const result = await runCallbackSelfTest({ statusCallbackUrl: `${deadTunnel.publicUrl()}/status`, localBaseUrl: t.localUrl, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'server-not-listening', details: ['ngrok: ERR_NGROK_8012'] });
  });
});
