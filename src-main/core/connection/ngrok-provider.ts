import type { OpenTunnel, OpenTunnelOptions, TunnelProvider } from './tunnel-provider';

/**
 * ngrok through its official SDK, in-process (no agent binary). The SDK is loaded lazily so that a machine
 * without its native addon still runs everything else, in polling mode.
 *
 * One SDK session per open(), closed by close(). Not `ngrok.forward()`: that keeps ONE process-wide session
 * (connect.rs: `static SESSION`) which close() on the listener leaves running, so a "rebuild" after a drop
 * would bind to the same dead session (still in the SDK's uncapped back-off), a changed authtoken would be
 * ignored, and the disconnect callback of the first forward() would be the only one ever called.
 */
export class NgrokTunnelProvider implements TunnelProvider {
  readonly name = 'ngrok';

  async open(opts: OpenTunnelOptions): Promise<OpenTunnel> {
    if (!opts.authtoken) {
      // Same shape as the SDK's own error, so describeTunnelError maps it like any other.
      throw Object.assign(new Error('authentication failed: an ngrok authtoken is required (ERR_NGROK_4018)'), { errorCode: 'ERR_NGROK_4018' });
    }
    const ngrok = await import('@ngrok/ngrok');
    let lostConnection = false;
    const session = await new ngrok.SessionBuilder()
      .authtoken(opts.authtoken)
      // Called before each of the SDK's own reconnect attempts, with the error that ended the connection.
      // true = let the SDK keep trying meanwhile (false would make it throw an uncaught error); the manager's
      // watchdog decides when to give up on this session and build a new one.
      .handleDisconnection((_addr, error) => {
        lostConnection = true;
        opts.onSessionEvent({ kind: 'disconnected', error: error || null });
        return true;
      })
      // A heartbeat answered after a disconnection means the SDK reconnected this session by itself.
      .handleHeartbeat(() => {
        if (!lostConnection) return;
        lostConnection = false;
        opts.onSessionEvent({ kind: 'connected' });
      })
      .connect();

    try {
      let endpoint = session.httpEndpoint();
      if (opts.domain) endpoint = endpoint.domain(opts.domain);
      // A second gate at ngrok's edge: requests without a valid Twilio signature never reach this computer.
      // Our own server still checks every signature against the exact URL registered on the call.
      if (opts.twilioAuthToken) endpoint = endpoint.webhookVerification('twilio', opts.twilioAuthToken);
      const listener = await endpoint.listenAndForward(`http://${opts.host}:${opts.port}`);
      const firstUrl = listener.url();
      if (!firstUrl) throw new Error('ngrok opened an endpoint without a public URL');
      return {
        // Read live: after the SDK reconnects a session by itself the endpoint is bound again.
        get url() {
          return (listener.url() ?? firstUrl).replace(/\/+$/, '');
        },
        close: async () => {
          await listener.close().catch(() => undefined); // the session's close below ends it anyway
          await session.close();
        },
      };
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
  }
}
