import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { send, sendJson } from '../../../src-main/core/http/respond';
import { CONTENT_SECURITY_POLICY, cspMetaTag, META_CONTENT_SECURITY_POLICY, PAGE_SECURITY_HEADERS } from '../../../src-main/core/http/security-headers';

describe('the one Content-Security-Policy', () => {
  it('has frame-ancestors only in its header form (browsers ignore it in a meta tag, with a warning)', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY.startsWith(META_CONTENT_SECURITY_POLICY)).toBe(true);
    expect(cspMetaTag()).toBe(`<meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`);
    expect(PAGE_SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('responses', () => {
  it('send one answer with a length and the base security headers, never twice', async () => {
    const server = http.createServer((_req, res) => {
      sendJson(res, 201, { ok: true }, { 'X-Extra': '1' });
      send(res, 500); // ignored: already answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('11');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-extra')).toBe('1');
    expect(await res.json()).toEqual({ ok: true });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
