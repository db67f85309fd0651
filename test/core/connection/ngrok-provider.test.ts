import { afterEach, describe, expect, it } from 'vitest';
import { NgrokTunnelProvider } from '../../../src-main/core/connection/ngrok-provider';
import { describeTunnelError } from '../../../src-main/core/connection/tunnel-errors';
import { TunnelManager, type TunnelStatus } from '../../../src-main/core/connection/tunnel-manager';
import { ManualTimers } from './tunnel-fixtures';

// The real @ngrok/ngrok SDK. ngrok's service is unreachable from this machine, so its first connection fails
// within milliseconds: exactly the "no network" case a clinic meets when the internet is down.

// Shaped like a real authtoken, belongs to no account.
const DUMMY_AUTHTOKEN = '2abcdefghijklmnopqrstuvwxyz1_0123456789ABCDEFGHIJKL';

const managers: TunnelManager[] = [];
afterEach(async () => {
  for (const m of managers.splice(0)) await m.stop();
});

function realManager(authtoken: string | null) {
  const timers = new ManualTimers();
  const m = new TunnelManager({
    provider: new NgrokTunnelProvider(),
    authtoken,
    domain: null,
    host: '127.0.0.1',
    port: 9,
    backoff: { initialMs: 1_000, maxMs: 60_000 },
    openTimeoutMs: 10_000, // bounds the test should the SDK ever hang instead of failing fast
    timers,
    random: () => 0.5,
  });
  managers.push(m);
  return { m, timers };
}

describe('NgrokTunnelProvider with the real SDK', () => {
  it('rejects with the SDK’s own no-network error, which maps to plain words and a retry', async () => {
    const error = await new NgrokTunnelProvider()
      .open({ host: '127.0.0.1', port: 9, authtoken: DUMMY_AUTHTOKEN, domain: null, onSessionEvent: () => undefined })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'GenericFailure', message: expect.stringMatching(/failed to connect session/) });
    expect(describeTunnelError(error)).toEqual({
      code: null,
      title: expect.stringMatching(/Cannot reach ngrok/),
      fix: expect.stringMatching(/internet connection/),
      retryable: true,
    });
  });

  it('a first connection that fails leaves the manager failed with the reason, retrying on the capped back-off', async () => {
    const { m, timers } = realManager(DUMMY_AUTHTOKEN);
    const status = await m.start();
    expect(status).toMatchObject({ state: 'failed', url: null, attempts: 1, error: { code: null, retryable: true } });
    expect(status.nextAttemptAt).not.toBeNull();
    expect(timers.delays).toEqual([1_000]);

    // The second attempt goes through the real SDK again, fails the same way, and waits twice as long.
    const second = new Promise<TunnelStatus>((resolve) => m.on('status', (s) => s.state === 'failed' && resolve(s)));
    timers.fireNext();
    expect(await second).toMatchObject({ state: 'failed', attempts: 2 });
    expect(timers.delays).toEqual([1_000, 2_000]);
    // The SDK's message never reaches the status line raw: only mapped words.
    expect(JSON.stringify(m.status())).not.toContain(DUMMY_AUTHTOKEN);
  });

  it('without an authtoken it fails at once, without calling ngrok, and does not retry', async () => {
    const { m, timers } = realManager(null);
    const status = await m.start();
    expect(status).toMatchObject({ state: 'failed', error: { code: 'ERR_NGROK_4018', retryable: false } });
    expect(status.error!.fix).toMatch(/dashboard\.ngrok\.com.*authtoken/);
    expect(timers.pending).toHaveLength(0);
  });
});
