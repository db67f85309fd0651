import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BodyAbortedError,
  BodyTimeoutError,
  BodyTooLargeError,
  bodyDeadlineMs,
  readBody,
  statusForBodyError,
  type ReadBodyOptions,
} from '../../../src-main/core/http/body';
import { send } from '../../../src-main/core/http/respond';

// readBody over real loopback sockets: the cap, the deadline, the abort signal and a client that goes away.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that reads each body with `opts` and reports the outcome (and answers as the listeners do). */
async function bodyServer(opts: ReadBodyOptions | (() => ReadBodyOptions)): Promise<{ port: number; outcomes: Promise<Buffer | Error>[] }> {
  const outcomes: Promise<Buffer | Error>[] = [];
  const server = http.createServer((req, res) => {
    const outcome = readBody(req, typeof opts === 'function' ? opts() : opts).then(
      (body) => {
        send(res, 200, {}, String(body.length));
        return body;
      },
      (error: Error) => {
        const status = statusForBodyError(error);
        if (status) send(res, status, { Connection: 'close' });
        return error;
      },
    );
    outcomes.push(outcome);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, outcomes };
}

function raw(port: number, payload: string, keepOpenMs = 0): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(payload));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (received += data));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    if (keepOpenMs) setTimeout(() => socket.destroy(), keepOpenMs).unref();
  });
}

async function eventuallyOutcome(outcomes: Promise<Buffer | Error>[]): Promise<Buffer | Error> {
  for (let i = 0; i < 200 && outcomes.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  return outcomes[0]!;
}

describe('readBody', () => {
  it('returns the body when it fits', async () => {
    const { port, outcomes } = await bodyServer({ maxBytes: 100 });
    const answer = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(((await outcomes[0]) as Buffer).toString()).toBe('hello');
  });

  it('refuses a body announced too large before reading it, and one streamed past the cap, both with 413', async () => {
    const { port, outcomes } = await bodyServer({ maxBytes: 10 });
    const announced = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n');
    expect(announced).toMatch(/^HTTP\/1\.1 413 /);
    const chunk = 'x'.repeat(11);
    const streamed = await raw(port, `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(streamed).toMatch(/^HTTP\/1\.1 413 /);
    expect(await outcomes[0]).toBeInstanceOf(BodyTooLargeError);
    expect(await outcomes[1]).toBeInstanceOf(BodyTooLargeError);
  });

  it('cuts a stalled body at its deadline with 408 and closes the connection', async () => {
    const { port, outcomes } = await bodyServer({ maxBytes: 1000, deadlineMs: 100 });
    const started = Date.now();
    const answer = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-this');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await outcomes[0]).toBeInstanceOf(BodyTimeoutError);
  });

  it('stops reading when its signal is aborted (an evicted reader)', async () => {
    const controller = new AbortController();
    const { port, outcomes } = await bodyServer({ maxBytes: 1000, deadlineMs: 10_000, signal: controller.signal });
    const answered = raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npart');
    for (let i = 0; i < 200 && outcomes.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await answered).toMatch(/^HTTP\/1\.1 408 /);
    expect(await outcomes[0]).toBeInstanceOf(BodyTimeoutError);
  });

  it('reports a client that goes away mid-body as aborted (nobody to answer)', async () => {
    const { port, outcomes } = await bodyServer({ maxBytes: 1000, deadlineMs: 10_000 });
    await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npart', 50);
    expect(await eventuallyOutcome(outcomes)).toBeInstanceOf(BodyAbortedError);
    expect(statusForBodyError(await outcomes[0])).toBeNull();
  });

  it('gives a deadline proportional to the cap', () => {
    expect(bodyDeadlineMs(64 * 1024)).toBe(2_000);
    expect(bodyDeadlineMs(640 * 1024)).toBe(11_000);
    expect(bodyDeadlineMs(1024, 1024, 0)).toBe(1_000);
  });
});
