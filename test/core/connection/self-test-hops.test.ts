import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { REJECT_REASON_HEADER, SELF_TEST_HEADER } from '../../../src-main/core/callbacks/self-test';
import { FakeTunnelProvider } from '../../../src-main/core/connection/fake-tunnel-provider';
import { runCallbackSelfTest } from '../../../src-main/core/connection/self-test';
import { TunnelManager } from '../../../src-main/core/connection/tunnel-manager';

// Each hop of the self-test against small servers that answer the way the real ones do (the end-to-end run
// with the real callback server is in self-test.test.ts).

const AUTH_TOKEN = 'hops-auth-token-0123456789abcdef';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The callback-server contract in a few lines: /health, and /status verified with twilio.validateRequest against `signedFor()`. */
async function contractServer(signedFor: () => string): Promise<string> {
  return serve((req, body, res) => {
    if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    if (req.url !== '/status') return void res.writeHead(404).end();
    const params = Object.fromEntries(new URLSearchParams(body));
    const valid = twilio.validateRequest(AUTH_TOKEN, String(req.headers['x-twilio-signature'] ?? ''), signedFor(), params);
    if (!valid) return void res.writeHead(403, { [REJECT_REASON_HEADER]: `Callbacks are being rejected: this server expects ${signedFor()}` }).end();
    res.writeHead(200, { [SELF_TEST_HEADER]: params.SelfTest ?? '' }).end();
  });
}

async function publish(port: number, provider = new FakeTunnelProvider()): Promise<{ tunnel: TunnelManager; provider: FakeTunnelProvider; statusUrl: string }> {
  const tunnel = new TunnelManager({ provider, authtoken: 'x', domain: null, host: '127.0.0.1', port });
  await tunnel.start();
  cleanups.push(() => provider.closeAll());
  cleanups.push(() => tunnel.stop());
  return { tunnel, provider, statusUrl: `${tunnel.publicUrl()}/status` };
}

describe('runCallbackSelfTest hops', () => {
  it('passes through a real hop to a server that validates with twilio.validateRequest', async () => {
    let statusUrl = '';
    const local = await contractServer(() => statusUrl);
    const published = await publish(Number(new URL(local).port));
    statusUrl = published.statusUrl;
    const result = await runCallbackSelfTest({ statusCallbackUrl: statusUrl, localBaseUrl: local, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: true, hop: null, message: expect.stringMatching(/^Callbacks reach this computer/) });
    expect(result.latencyMs).toEqual(expect.any(Number));
  });

  it('names the tunnel when the old URL answers ngrok’s "endpoint offline" page (ERR_NGROK_3200)', async () => {
    let statusUrl = '';
    const local = await contractServer(() => statusUrl);
    const published = await publish(Number(new URL(local).port), new FakeTunnelProvider({ offline: 'ngrok-offline' }));
    statusUrl = published.statusUrl;
    await published.provider.drop();
    const result = await runCallbackSelfTest({ statusCallbackUrl: statusUrl, localBaseUrl: local, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'tunnel-down', message: expect.stringMatching(/endpoint is offline/) });
    expect(result.details).toContain('ngrok: ERR_NGROK_3200');
  });

  // ngrok documents a 403 for a webhook that fails its edge verification; which code it sets is not documented,
  // so any ngrok code on a 403 must still be read as a signature problem.
  it('names the signature when ngrok’s edge (Twilio verification) refuses it, not the tunnel', async () => {
    const local = await contractServer(() => 'unused');
    const edge = await serve((_req, _body, res) => res.writeHead(403, { 'ngrok-error-code': 'ERR_NGROK_3304' }).end('webhook verification failed'));
    const result = await runCallbackSelfTest({ statusCallbackUrl: `${edge}/status`, localBaseUrl: local, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'signature-rejected', message: expect.stringMatching(/ngrok's edge \(ERR_NGROK_3304\)/) });
  });

  it('passes on the server’s reason for a rejected signature', async () => {
    let statusUrl = '';
    const local = await contractServer(() => statusUrl);
    statusUrl = `${local}/status`;
    const result = await runCallbackSelfTest({ statusCallbackUrl: statusUrl, localBaseUrl: local, authToken: AUTH_TOKEN, signUrl: `${local}/status/` });
    expect(result).toMatchObject({ ok: false, hop: 'signature-rejected', message: `Callbacks are being rejected: this server expects ${statusUrl}` });
    expect(result.details).toContain(`signed for ${local}/status/`);
  });

  it.each([
    ['a redirect', (res: http.ServerResponse) => res.writeHead(301, { location: 'https://elsewhere.example/status' }).end()],
    ['another program', (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>')],
    ['an echo of some other nonce', (res: http.ServerResponse) => res.writeHead(200, { [SELF_TEST_HEADER]: 'not-ours' }).end()],
  ])('calls %s at the public URL a URL mismatch', async (_name, answer) => {
    const local = await contractServer(() => 'unused');
    const other = await serve((_req, _body, res) => answer(res));
    const result = await runCallbackSelfTest({ statusCallbackUrl: `${other}/status`, localBaseUrl: local, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'url-mismatch' });
  });

  it('calls a public URL that never answers the tunnel being down', async () => {
    const local = await contractServer(() => 'unused');
    const silent = await serve(() => undefined);
    const result = await runCallbackSelfTest({ statusCallbackUrl: `${silent}/status`, localBaseUrl: local, authToken: AUTH_TOKEN, timeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, hop: 'tunnel-down', latencyMs: null });
    expect(result.details[0]).toMatch(/TimeoutError/);
  });

  it('names our own server when another program holds its port', async () => {
    const impostor = await serve((_req, _body, res) => res.writeHead(404).end());
    const result = await runCallbackSelfTest({ statusCallbackUrl: 'http://127.0.0.1:9/status', localBaseUrl: impostor, authToken: AUTH_TOKEN });
    expect(result).toMatchObject({ ok: false, hop: 'server-not-listening' });
    expect(result.details[0]).toMatch(/answered 404/);
  });
});
