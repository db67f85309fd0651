import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandlers, BatchProgress } from '../../src-main/core/api/contract';
import { ApiFailure } from '../../src-main/core/api/invoke-operation';
import { CONTENT_SECURITY_POLICY } from '../../src-main/core/http/security-headers';
import { startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';

const TOKEN = 'test-token-0123456789abcdef';

function progressOf(batchId: string): BatchProgress {
  return {
    batch: { id: batchId, state: 'completed', simulated: true, createdAt: '2026-01-01T00:00:00Z', finishedAt: null, waitDeadline: null, total: 1 },
    counts: { completed: 1 },
    total: 1,
    finished: 1,
    etaSeconds: null,
    openCalls: 0,
  };
}

/** Only the operations these tests reach are real; the rest fail loudly if the server ever called them. */
function fakeHandlers(): ApiHandlers {
  const unexpected = () => {
    throw new Error('not used by this test');
  };
  const handlers = new Proxy({} as ApiHandlers, { get: () => unexpected });
  return Object.assign(Object.create(handlers) as ApiHandlers, {
    'settings/preview-message': ({ template }: { template: string }) => ({ text: template.replace('{name}', 'Ana'), problems: [] }),
    'batches/progress': ({ batchId }: { batchId: string }) => {
      if (batchId !== 'b1') throw new ApiFailure('not-found', `No batch ${batchId}`);
      return progressOf(batchId);
    },
  });
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw node:http so Host and Origin can be set to anything (fetch forbids both). */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function invoke(port: number, body: unknown, headers: Record<string, string> = {}) {
  return request(port, {
    method: 'POST',
    path: '/api/invoke',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}`, ...headers },
    body: JSON.stringify(body),
  });
}

describe('browser preview server', () => {
  let tmp: string;
  let events: EventEmitter;
  let server: PreviewServer;
  let exported: string[];

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-test-'));
    const staticDir = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Reminder Desk</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the renderer');
    events = new EventEmitter();
    exported = [];
    server = await startPreviewServer({
      handlers: fakeHandlers(),
      events,
      staticDir,
      port: 0,
      token: TOKEN,
      exportBatch: (batchId, writable) => {
        exported.push(batchId);
        writable.write('batch_id,call_status\n');
        writable.end(`${batchId},completed\n`);
      },
    });
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('answers an operation through the contract when the token is right', async () => {
    const reply = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'Hello {name}' } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { text: 'Hello Ana', problems: [] } });
  });

  it('refuses a missing or wrong token with 401', async () => {
    const wrong = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'x' } }, { Authorization: 'Bearer test-token-0123456789abcdeX' });
    expect(wrong.status).toBe(401);
    const missing = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'x' } }, { Authorization: '' });
    expect(missing.status).toBe(401);
    const shorter = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'x' } }, { Authorization: 'Bearer short' });
    expect(shorter.status).toBe(401);
  });

  it('refuses a foreign Origin or Host with 403 even with the right token', async () => {
    const foreignOrigin = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'x' } }, { Origin: 'http://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    // DNS rebinding: the attacker's name resolves to 127.0.0.1, but the Host header still names it.
    const rebinding = await invoke(server.port, { operation: 'settings/preview-message', args: { template: 'x' } }, { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` });
    expect(rebinding.status).toBe(403);
    const page = await request(server.port, { path: '/', headers: { Host: 'evil.example' } });
    expect(page.status).toBe(403);
  });

  it('refuses non-JSON bodies, so a cross-site form cannot reach a handler', async () => {
    const reply = await request(server.port, {
      method: 'POST',
      path: '/api/invoke',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'operation=settings/get',
    });
    expect(reply.status).toBe(415);
  });

  it('turns an unknown operation and bad arguments into error envelopes', async () => {
    const unknown = JSON.parse((await invoke(server.port, { operation: 'files/delete-everything', args: {} })).body);
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    const bad = JSON.parse((await invoke(server.port, { operation: 'settings/preview-message', args: { template: 42 } })).body);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(bad.error.message).toContain('template');
  });

  it('pushes every core event to an EventSource-style stream', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${TOKEN}`, headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes(': connected')) events.emit('callback-rejected', { count: 3, reason: 'wrong auth token' });
          if (text.includes('event: callback-rejected')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      setTimeout(() => reject(new Error('no event within 5 s')), 5_000).unref();
    });
    expect(received).toContain(`event: callback-rejected\ndata: ${JSON.stringify({ count: 3, reason: 'wrong auth token' })}\n\n`);
  });

  it('refuses the event stream without the token', async () => {
    const reply = await request(server.port, { path: '/api/events?token=nope' });
    expect(reply.status).toBe(401);
  });

  it('answers batches/export with a download link that streams the CSV as an attachment', async () => {
    const envelope = JSON.parse((await invoke(server.port, { operation: 'batches/export', args: { batchId: 'b1' } })).body);
    expect(envelope).toEqual({ ok: true, value: { savedTo: null, downloadUrl: `/api/batches/b1/export.csv?token=${TOKEN}` } });
    const download = await request(server.port, { path: envelope.value.downloadUrl });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="reminder-batch-b1.csv"');
    expect(download.body).toBe('batch_id,call_status\nb1,completed\n');
    expect(exported).toEqual(['b1']);

    const missing = JSON.parse((await invoke(server.port, { operation: 'batches/export', args: { batchId: 'nope' } })).body);
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect((await request(server.port, { path: `/api/batches/nope/export.csv?token=${TOKEN}` })).status).toBe(404);
    expect((await request(server.port, { path: '/api/batches/b1/export.csv?token=wrong' })).status).toBe(401);
  });

  it('serves the renderer with the CSP header', async () => {
    const page = await request(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<title>Reminder Desk</title>');
    const asset = await request(server.port, { path: '/assets/app.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('never lists directories or serves files outside the renderer folder', async () => {
    expect((await request(server.port, { path: '/assets/' })).status).toBe(404);
    expect((await request(server.port, { path: '/../secret.txt' })).status).toBe(404);
    expect((await request(server.port, { path: '/%2e%2e/secret.txt' })).status).toBe(404);
    expect((await request(server.port, { path: '/assets/..%2f..%2fsecret.txt' })).status).toBe(404);
    const traversal = await request(server.port, { path: '/%2e%2e%2fsecret.txt' });
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain('outside the renderer');
  });

  it('refuses to start when the renderer is not built, naming the fix', async () => {
    await expect(
      startPreviewServer({ handlers: fakeHandlers(), events, staticDir: path.join(tmp, 'missing'), exportBatch: () => undefined }),
    ).rejects.toThrow(/electron-vite build/);
  });
});
