import type { OpenTunnel, OpenTunnelOptions, TunnelProvider } from './tunnel-provider';

/**
 * ngrok through its official SDK, in-process (no agent binary). The SDK is loaded lazily so that a
 * machine without its native addon still runs everything else, in polling mode.
 */
export class NgrokTunnelProvider implements TunnelProvider {
  readonly name = 'ngrok';

  async open(opts: OpenTunnelOptions): Promise<OpenTunnel> {
    const ngrok = await import('@ngrok/ngrok');
    if (!opts.authtoken) {
      // Same shape as the SDK's own error, so describeTunnelError maps it like any other.
      throw Object.assign(new Error('authentication failed: an ngrok authtoken is required (ERR_NGROK_4018)'), { errorCode: 'ERR_NGROK_4018' });
    }
    const listener = await ngrok.forward({
      addr: `${opts.host}:${opts.port}`,
      authtoken: opts.authtoken,
      ...(opts.domain ? { domain: opts.domain } : {}),
      // A second gate at ngrok's edge: requests without a valid Twilio signature never reach this computer.
      // Our own server still checks every signature against the exact URL registered on the call.
      ...(opts.twilioAuthToken ? { verify_webhook_provider: 'twilio', verify_webhook_secret: opts.twilioAuthToken } : {}),
      // 'closed' = the session lost its connection, 'connected' = the SDK reconnected on its own.
      onStatusChange: (status: string) =>
        opts.onSessionEvent(status === 'connected' ? { kind: 'connected' } : { kind: 'disconnected', error: status }),
    });
    const url = listener.url();
    if (!url) {
      await listener.close();
      throw new Error('ngrok opened a listener without a public URL');
    }
    return { url: url.replace(/\/+$/, ''), close: () => listener.close() };
  }
}
