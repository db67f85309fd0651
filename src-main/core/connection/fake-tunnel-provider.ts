import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenTunnel, OpenTunnelOptions, ProviderSessionEvent, TunnelProvider } from './tunnel-provider';

export interface FakeTunnelProviderOptions {
  /**
   * What a dropped or closed URL answers: 'refuse' (nothing listens any more; the default) or 'ngrok-offline'
   * (like ngrok's edge: 404 with `ngrok-error-code: ERR_NGROK_3200`, "the endpoint is offline").
   */
  offline?: 'refuse' | 'ngrok-offline';
}

interface Endpoint {
  server: http.Server;
  sockets: Set<Socket>;
  port: number;
  url: string;
  opts: OpenTunnelOptions;
  /** true while it forwards; false once dropped/closed (then it refuses, or answers ngrok's offline page). */
  forwarding: boolean;
}

/**
 * A stand-in for ngrok that really forwards: each open() starts a reverse proxy on 127.0.0.1 with a port of its
 * own, so requests cross a real hop and every reconnect comes with a NEW public URL while the old one stops
 * answering — exactly what a free ngrok session does on restart. With a `domain`, a reconnect gets the same port
 * back (a static domain). It adds X-Forwarded-* headers like ngrok does, and answers 502 + ERR_NGROK_8012 when
 * nothing listens behind it. For tests and demos only: ngrok's service is unreachable from CI.
 */
export class FakeTunnelProvider implements TunnelProvider {
  readonly name = 'fake';
  /** Every URL handed out, in order. */
  readonly opened: string[] = [];
  /** Every open() call, failed ones included. */
  openCalls = 0;
  private active: Endpoint | null = null;
  private readonly endpoints = new Set<Endpoint>();
  private readonly portsByDomain = new Map<string, number>();
  private nextFailures: unknown[] = [];

  constructor(private readonly options: FakeTunnelProviderOptions = {}) {}

  /** The next open() rejects with this error (e.g. an object shaped like the ngrok SDK's, with errorCode). */
  failNextOpen(error: unknown, times = 1): void {
    for (let i = 0; i < times; i += 1) this.nextFailures.push(error);
  }

  get currentUrl(): string | null {
    return this.opened.at(-1) ?? null;
  }

  async open(opts: OpenTunnelOptions): Promise<OpenTunnel> {
    this.openCalls += 1;
    const failure = this.nextFailures.shift();
    if (failure !== undefined) throw failure;
    const domainPort = opts.domain ? this.portsByDomain.get(opts.domain) : undefined;
    // A static domain comes back on the same port; its old proxy may still be up answering the offline page.
    const revived = [...this.endpoints].find((e) => e.port === domainPort && e.server.listening);
    if (revived) {
      revived.opts = opts;
      revived.forwarding = true;
    }
    const endpoint = revived ?? (await this.listen(opts, domainPort ?? 0));
    if (opts.domain) this.portsByDomain.set(opts.domain, endpoint.port);
    this.opened.push(endpoint.url);
    this.active = endpoint;
    return {
      url: endpoint.url,
      close: async () => {
        if (this.active === endpoint) this.active = null;
        await this.goOffline(endpoint);
      },
    };
  }

  /** The session dies: the public URL stops answering and the manager is told, as the SDK's disconnect handler would. */
  async drop(error = 'connection lost'): Promise<void> {
    const endpoint = this.active;
    if (!endpoint) return;
    await this.goOffline(endpoint);
    endpoint.opts.onSessionEvent({ kind: 'disconnected', error });
  }

  /** After drop(): the SDK reconnected the session by itself, under the same URL (a heartbeat answered again). */
  async restore(): Promise<void> {
    const endpoint = this.active;
    if (!endpoint || endpoint.forwarding) return;
    if (!endpoint.server.listening) await listenOn(endpoint.server, endpoint.port);
    endpoint.forwarding = true;
    endpoint.opts.onSessionEvent({ kind: 'connected' } satisfies ProviderSessionEvent);
  }

  /** Test teardown: stops every proxy, including old URLs still answering ngrok's offline page. */
  async closeAll(): Promise<void> {
    this.active = null;
    await Promise.all([...this.endpoints].map((endpoint) => closeServer(endpoint)));
    this.endpoints.clear();
  }

  private async listen(opts: OpenTunnelOptions, port: number): Promise<Endpoint> {
    const sockets = new Set<Socket>();
    const server = http.createServer();
    const endpoint: Endpoint = { server, sockets, port, url: '', opts, forwarding: true };
    server.on('request', (req, res) => (endpoint.forwarding ? forward(req, res, endpoint.opts) : answerOffline(res, endpoint.url)));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await listenOn(server, port);
    server.unref(); // an endpoint a test forgot must not keep the process alive
    endpoint.port = (server.address() as AddressInfo).port;
    endpoint.url = `http://127.0.0.1:${endpoint.port}`;
    this.endpoints.add(endpoint);
    return endpoint;
  }

  private async goOffline(endpoint: Endpoint): Promise<void> {
    endpoint.forwarding = false;
    for (const socket of endpoint.sockets) socket.destroy(); // open keep-alive connections die with the session
    if (this.options.offline === 'ngrok-offline') return;
    await closeServer(endpoint);
  }
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, opts: OpenTunnelOptions): void {
  const upstream = http.request(
    {
      host: opts.host,
      port: opts.port,
      method: req.method,
      path: req.url,
      agent: false,
      headers: {
        ...req.headers,
        'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
        'x-forwarded-host': req.headers.host ?? '',
        'x-forwarded-proto': 'http',
      },
    },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', () => {
    // What ngrok answers when nothing listens behind the tunnel.
    if (!res.headersSent) res.writeHead(502, { 'ngrok-error-code': 'ERR_NGROK_8012', 'content-type': 'text/plain' });
    res.end('ERR_NGROK_8012: the agent failed to establish a connection to the upstream web service');
  });
  req.pipe(upstream);
}

function answerOffline(res: http.ServerResponse, url: string): void {
  res.writeHead(404, { 'ngrok-error-code': 'ERR_NGROK_3200', 'content-type': 'text/html', connection: 'close' });
  res.end(`<html><body>The endpoint ${url} is offline. ERR_NGROK_3200</body></html>`);
}

function listenOn(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(endpoint: Endpoint): Promise<void> {
  for (const socket of endpoint.sockets) socket.destroy();
  const { server } = endpoint;
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}
