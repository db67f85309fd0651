import { afterEach, describe, expect, it } from 'vitest';
import { FakeTunnelProvider } from '../../../src-main/core/connection/fake-tunnel-provider';
import { TunnelManager, type TunnelManagerOptions, type TunnelState, type TunnelStatus } from '../../../src-main/core/connection/tunnel-manager';
import type { OpenTunnel, OpenTunnelOptions, TunnelProvider } from '../../../src-main/core/connection/tunnel-provider';
import { ManualTimers, startUpstream } from './tunnel-fixtures';

// The watchdog: what happens after the first connection, when sessions drop, recover, hang or get refused.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(provider: TunnelProvider, overrides: Partial<TunnelManagerOptions> = {}) {
  const upstream = await startUpstream();
  cleanups.push(() => upstream.close());
  const timers = new ManualTimers();
  const m = new TunnelManager({
    provider,
    authtoken: 'token',
    domain: null,
    host: '127.0.0.1',
    port: upstream.port,
    backoff: { initialMs: 1_000, maxMs: 60_000 },
    timers,
    random: () => 0.5,
    ...overrides,
  });
  cleanups.push(() => m.stop());
  if (provider instanceof FakeTunnelProvider) cleanups.push(() => provider.closeAll());
  const urlChanges: { url: string; previousUrl: string | null }[] = [];
  m.on('url-changed', (change) => urlChanges.push(change));
  return { m, timers, urlChanges };
}

function nextState(m: TunnelManager, state: TunnelState): Promise<TunnelStatus> {
  return new Promise((resolve) => {
    const onStatus = (status: TunnelStatus): void => {
      if (status.state !== state) return;
      m.off('status', onStatus);
      resolve(status);
    };
    m.on('status', onStatus);
  });
}

describe('TunnelManager watchdog', () => {
  it('takes the session back when the SDK reconnects it by itself before the watchdog fires: same URL, no rebuild', async () => {
    const provider = new FakeTunnelProvider();
    const { m, timers, urlChanges } = await setup(provider);
    await m.start();
    const url = m.publicUrl()!;

    await provider.drop();
    expect(m.status()).toMatchObject({ state: 'reconnecting', url: null });
    expect(timers.pending).toHaveLength(1);
    await expect(fetch(`${url}/ping`)).rejects.toThrow(); // down meanwhile

    await provider.restore();
    expect(m.status()).toMatchObject({ state: 'online', url, error: null, attempts: 0 });
    expect(timers.pending).toHaveLength(0); // the rebuild was called off
    expect(provider.openCalls).toBe(1);
    expect(urlChanges).toEqual([{ url, previousUrl: null }]);
    expect(await (await fetch(`${url}/ping`)).text()).toBe('upstream GET /ping');
  });

  it('keeps the URL of a static domain across a rebuild, so nothing changes for calls already placed', async () => {
    const provider = new FakeTunnelProvider();
    const { m, timers, urlChanges } = await setup(provider, { domain: 'clinic-desk.ngrok-free.app' });
    await m.start();
    const url = m.publicUrl()!;

    await provider.drop();
    const online = nextState(m, 'online');
    timers.fireNext();
    await online;

    expect(provider.openCalls).toBe(2);
    expect(m.publicUrl()).toBe(url);
    expect(urlChanges).toEqual([{ url, previousUrl: null }]);
    expect(await (await fetch(`${url}/status`, { method: 'POST' })).text()).toBe('upstream POST /status');
  });

  it('a dropped URL can keep answering like ngrok’s edge does (ERR_NGROK_3200) while the new one forwards', async () => {
    const provider = new FakeTunnelProvider({ offline: 'ngrok-offline' });
    const { m, timers, urlChanges } = await setup(provider);
    await m.start();
    const first = m.publicUrl()!;
    await provider.drop();
    const online = nextState(m, 'online');
    timers.fireNext();
    await online;
    const second = m.publicUrl()!;

    expect(second).not.toBe(first);
    expect(urlChanges.at(-1)).toEqual({ url: second, previousUrl: first });
    const old = await fetch(`${first}/status`, { method: 'POST' });
    expect(old.status).toBe(404);
    expect(old.headers.get('ngrok-error-code')).toBe('ERR_NGROK_3200');
    expect((await fetch(`${second}/status`, { method: 'POST' })).headers.get('x-served-by')).toBe('upstream');
  });

  it('ignores the SDK’s repeated disconnect reports while a rebuild is already scheduled', async () => {
    let report: OpenTunnelOptions['onSessionEvent'] = () => undefined;
    const provider: TunnelProvider = {
      name: 'flaky',
      open: async (opts) => {
        report = opts.onSessionEvent;
        return { url: 'https://flaky.example', close: async () => undefined };
      },
    };
    const { m, timers } = await setup(provider);
    await m.start();
    for (let i = 0; i < 5; i += 1) report({ kind: 'disconnected', error: 'failed to reconnect: connection reset' });
    expect(timers.pending).toHaveLength(1);
    expect(timers.delays).toEqual([1_000]);
    expect(m.status().state).toBe('reconnecting');
  });

  it('stops rebuilding when ngrok refuses the session for good (authtoken revoked mid-day), and says what to do', async () => {
    const provider = new FakeTunnelProvider();
    const { m, timers } = await setup(provider);
    await m.start();
    await provider.drop();
    provider.failNextOpen(Object.assign(new Error('failed to connect session: The authtoken you specified is properly formed, but it is invalid. error_code: ERR_NGROK_107'), { code: 'GenericFailure', errorCode: 'ERR_NGROK_107' }));
    const failed = nextState(m, 'failed');
    timers.fireNext();
    const status = await failed;

    expect(status).toMatchObject({ state: 'failed', url: null, nextAttemptAt: null, error: { code: 'ERR_NGROK_107', retryable: false } });
    expect(status.error!.fix).toMatch(/authtoken/);
    expect(timers.pending).toHaveLength(0);
    expect(m.publicUrl()).toBeNull();
  });

  it('counts an open that hangs as a failure, retries it, and closes the session if it turns up late', async () => {
    let release: (tunnel: OpenTunnel) => void = () => undefined;
    let closedLate = false;
    const provider: TunnelProvider = {
      name: 'hanging',
      open: () => new Promise<OpenTunnel>((resolve) => (release = resolve)),
    };
    const { m, timers } = await setup(provider, { openTimeoutMs: 30 });
    const status = await m.start();

    expect(status).toMatchObject({ state: 'failed', error: { code: null, retryable: true } });
    expect(status.error!.title).toMatch(/Cannot reach ngrok/);
    expect(timers.pending).toHaveLength(1);

    release({ url: 'https://late.example', close: async () => void (closedLate = true) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closedLate).toBe(true);
    expect(m.publicUrl()).toBeNull();
  });

  it('does not let a close that never answers (network gone) stall the rebuild', async () => {
    let opens = 0;
    const provider: TunnelProvider = {
      name: 'stuck-close',
      open: async (opts) => {
        opens += 1;
        const n = opens;
        if (n === 1) setImmediate(() => opts.onSessionEvent({ kind: 'disconnected', error: 'heartbeat timeout' }));
        return { url: `https://s${n}.example`, close: () => new Promise<void>(() => undefined) };
      },
    };
    const { m, timers, urlChanges } = await setup(provider, { closeTimeoutMs: 20 });
    await m.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(m.status().state).toBe('reconnecting');

    const online = nextState(m, 'online');
    timers.fireNext();
    await online;
    expect(m.publicUrl()).toBe('https://s2.example');
    expect(urlChanges.at(-1)).toEqual({ url: 'https://s2.example', previousUrl: 'https://s1.example' });
  });

  it('closes a session that finishes opening after stop()', async () => {
    let release: (tunnel: OpenTunnel) => void = () => undefined;
    let closed = false;
    const provider: TunnelProvider = { name: 'slow', open: () => new Promise<OpenTunnel>((resolve) => (release = resolve)) };
    const { m } = await setup(provider);
    const starting = m.start();
    await m.stop();
    release({ url: 'https://slow.example', close: async () => void (closed = true) });
    await starting;
    expect(closed).toBe(true);
    expect(m.status()).toMatchObject({ state: 'off', url: null });
  });
});
