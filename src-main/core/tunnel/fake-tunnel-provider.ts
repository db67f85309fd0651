import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenTunnel, OpenTunnelOptions, ProviderSessionEvent, TunnelProvider } from './tunnel-provider';

/**
 * A stand-in for ngrok that really forwards: each open() starts a reverse proxy on 127.0.0.1 with a port of its
 * own, so requests cross a real hop and every reconnect comes with a NEW public URL while the old one stops
 * answering — exactly what a free ngrok session does on restart. For tests and demos only (ngrok's service is
 * unreachable from CI); it adds X-Forwarded-* headers like ngrok does.
 */
export class FakeTunnelProvider implements TunnelProvider {
  readonly name = 'fake';
  readonly opened: string[] = [];
  private active: { server: http.Server; sockets: Set<Socket>; onSessionEvent: (e: ProviderSessionEvent) => void } | null = null;
  private nextFailures: unknown[] = [];

  /** The next open() rejects with this error (e.g. an object shaped like the ngrok SDK's, with errorCode). */
  failNextOpen(error: unknown): void {
    this.nextFailures.push(error);
  }

  get currentUrl(): string | null {
    return this.opened.at(-1) ?? null;
  }

  async open(opts: OpenTunnelOptions): Promise<OpenTunnel> {
    const failure = this.nextFailures.shift();
    if (failure !== undefined) throw failure;
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => {
      const upstream = http.request(
        {
          host: opts.host,
          port: opts.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1', 'x-forwarded-host': req.headers.host ?? '', 'x-forwarded-proto': 'http' },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      upstream.on('error', () => {
        // What ngrok answers when nothing listens behind the tunnel.
        if (!res.headersSent) res.writeHead(502, { 'ngrok-error-code': 'ERR_NGROK_8012', 'content-type': 'text/plain' });
        res.end('ERR_NGROK_8012: upstream connection refused');
      });
      req.pipe(upstream);
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.opened.push(url);
    const entry = { server, sockets, onSessionEvent: opts.onSessionEvent };
    this.active = entry;
    return {
      url,
      close: async () => {
        if (this.active === entry) this.active = null;
        await closeServer(server, sockets);
      },
    };
  }

  /** The session dies: the public URL stops answering and the manager is told, as the SDK's onStatusChange would. */
  async drop(error = 'connection lost'): Promise<void> {
    const entry = this.active;
    if (!entry) return;
    this.active = null;
    await closeServer(entry.server, entry.sockets);
    entry.onSessionEvent({ kind: 'disconnected', error });
  }
}

function closeServer(server: http.Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}
