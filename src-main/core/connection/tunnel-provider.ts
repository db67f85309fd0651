// The seam between the tunnel manager and whatever publishes our callback server: the ngrok SDK in
// production, a loopback reverse proxy in tests (ngrok's service is unreachable from CI).

export type ProviderSessionEvent = { kind: 'connected' } | { kind: 'disconnected'; error: string | null };

export interface OpenTunnelOptions {
  host: string;
  port: number;
  authtoken: string | null;
  /** A reserved / free static domain, so the URL survives restarts. */
  domain: string | null;
  /** The Twilio auth token, for edge-side webhook verification where the provider supports it. */
  twilioAuthToken?: string | null;
  /**
   * 'disconnected' when the session lost its connection (may repeat while the provider keeps trying by itself);
   * 'connected' when the provider got the same session back on its own.
   */
  onSessionEvent(event: ProviderSessionEvent): void;
}

export interface OpenTunnel {
  /** Public base URL, e.g. https://abc.ngrok-free.app (no trailing slash). May be a getter: read it again after 'connected'. */
  readonly url: string;
  close(): Promise<void>;
}

export interface TunnelProvider {
  readonly name: string;
  /** Opens a session and an HTTP endpoint forwarding to http://host:port. Rejects with the provider's own error. */
  open(opts: OpenTunnelOptions): Promise<OpenTunnel>;
}
