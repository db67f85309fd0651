import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timers } from '../../../src-main/core/connection/tunnel-manager';

/** Back-off timers the test fires by hand: delays are asserted, never waited for. */
export class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  readonly delays: number[] = [];
  private nextId = 1;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ fn, ms, id });
    this.delays.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Fires the next timer; the caller awaits the resulting status (see nextStatus). */
  fireNext(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no timer scheduled');
    next.fn();
  }
}

/** A local service to publish: answers every request with 200 and its own name. */
export async function startUpstream(name = 'upstream'): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name });
    res.end(`${name} ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
