import { afterEach, describe, expect, it } from 'vitest';
import { FakeTunnelProvider } from '../../../src-main/core/connection/fake-tunnel-provider';
import { NgrokTunnelProvider } from '../../../src-main/core/connection/ngrok-provider';
import { describeTunnelError } from '../../../src-main/core/connection/tunnel-errors';
import { TunnelManager, type TunnelStatus } from '../../../src-main/core/connection/tunnel-manager';
import { ManualTimers } from './tunnel-fixtures';
import type { TunnelProvider } from '../../../src-main/core/connection/tunnel-provider';

/** Fires the next back-off timer and lets the reconnect it starts run. */
async function fireNext(timers: ManualTimers): Promise<void> {
  timers.fireNext();
  await new Promise((r) => setTimeout(r, 20));
}

const managers: TunnelManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

function manager(provider: TunnelProvider, timers = new ManualTimers()) {
  const m = new TunnelManager({ provider, authtoken: 'token', domain: null, host: '127.0.0.1', port: 9, backoff: { initialMs: 1_000, maxMs: 60_000 }, timers, random: () => 0.5 });
  managers.push(m);
  const statuses: TunnelStatus['state'][] = [];
  const urlChanges: { url: string; previousUrl: string | null }[] = [];
  m.on('status', (s) => statuses.push(s.state));
  m.on('url-changed', (c) => urlChanges.push(c));
  return { m, timers, statuses, urlChanges };
}

describe('TunnelManager', () => {
  it('connects, and after a drop reconnects with a new URL that is announced at once', async () => {
    const provider = new FakeTunnelProvider();
    const { m, timers, statuses, urlChanges } = manager(provider);
    const first = await m.start();
    expect(first.state).toBe('online');
    expect(m.publicUrl()).toBe(provider.currentUrl);

    await provider.drop();
    expect(m.status().state).toBe('reconnecting');
    expect(m.publicUrl()).toBeNull(); // no URL is offered to new calls while the session is down
    await fireNext(timers);

    expect(m.status().state).toBe('online');
    expect(provider.opened).toHaveLength(2);
    expect(m.publicUrl()).toBe(provider.opened[1]);
    expect(urlChanges).toEqual([
      { url: provider.opened[0], previousUrl: null },
      { url: provider.opened[1], previousUrl: provider.opened[0] },
    ]);
    expect(statuses).toEqual(['connecting', 'online', 'reconnecting', 'reconnecting', 'online']);
    // The old URL no longer answers.
    await expect(fetch(`${provider.opened[0]}/status`, { method: 'POST' })).rejects.toThrow();
  });

  it('retries a first failure with a capped exponential back-off instead of throwing', async () => {
    const provider: TunnelProvider = { name: 'down', open: () => Promise.reject(Object.assign(new Error('failed to connect session: failed to establish tcp connection'), { code: 'GenericFailure' })) };
    const { m, timers } = manager(provider);
    const status = await m.start();
    expect(status.state).toBe('failed');
    expect(status.error?.title).toMatch(/Cannot reach ngrok/);
    expect(status.nextAttemptAt).not.toBeNull();
    for (let i = 0; i < 8; i += 1) await fireNext(timers);
    expect(timers.delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(m.status().attempts).toBe(9);
  });

  it('stops retrying when retrying cannot help, and says what to do', async () => {
    const provider = new FakeTunnelProvider();
    provider.failNextOpen(Object.assign(new Error('authentication failed: The authtoken you specified is invalid. ERR_NGROK_105'), { errorCode: 'ERR_NGROK_105' }));
    const { m, timers } = manager(provider);
    const status = await m.start();
    expect(status).toMatchObject({ state: 'failed', error: { code: 'ERR_NGROK_105', retryable: false } });
    expect(status.error?.fix).toMatch(/authtoken/);
    expect(timers.pending).toHaveLength(0);
  });

  it('stop() cancels a scheduled reconnect and closes the tunnel', async () => {
    const provider = new FakeTunnelProvider();
    const { m, timers } = manager(provider);
    await m.start();
    await provider.drop();
    expect(timers.pending).toHaveLength(1);
    await m.stop();
    expect(timers.pending).toHaveLength(0);
    expect(m.status().state).toBe('off');
  });
});

describe('describeTunnelError', () => {
  it('maps the real SDK’s no-network failure (ngrok is unreachable here)', async () => {
    const error = await new NgrokTunnelProvider()
      .open({ host: '127.0.0.1', port: 9, authtoken: '2abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFGHIJ', domain: null, onSessionEvent: () => undefined })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    const view = describeTunnelError(error);
    expect(view).toMatchObject({ title: expect.stringMatching(/Cannot reach ngrok/), retryable: true });
  });

  it('asks for an authtoken before even calling ngrok', async () => {
    const error = await new NgrokTunnelProvider().open({ host: '127.0.0.1', port: 9, authtoken: null, domain: null, onSessionEvent: () => undefined }).catch((e: unknown) => e);
    expect(describeTunnelError(error)).toMatchObject({ code: 'ERR_NGROK_4018', retryable: false });
  });

  it.each([
    ['ERR_NGROK_4018', /authtoken is missing/, false],
    ['ERR_NGROK_105', /not valid/, false],
    ['ERR_NGROK_107', /revoked/, false],
    ['ERR_NGROK_108', /too many sessions/, true],
    ['ERR_NGROK_320', /another account/, false],
  ])('maps the SDK error shape with errorCode %s', (code, title, retryable) => {
    // The SDK fills `errorCode` from the message (see its index.js); both are checked.
    const sdkError = Object.assign(new Error(`failed to start tunnel: something went wrong\n\n${code}`), { code: 'GenericFailure', errorCode: code });
    expect(describeTunnelError(sdkError)).toMatchObject({ code, title: expect.stringMatching(title), retryable });
    expect(describeTunnelError(new Error(`oops ${code}`)).code).toBe(code);
  });

  it('quotes an unknown failure instead of hiding it', () => {
    expect(describeTunnelError(new Error('weird thing'))).toMatchObject({ code: null, title: expect.stringContaining('weird thing') });
  });
});
