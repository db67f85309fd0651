import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { EVENT_NAMES, type ApiHandlers } from '../core/api/contract';
import { invokeOperation } from '../core/api/invoke-operation';
import { bodyDeadlineMs, readBody, statusForBodyError } from '../core/http/body';
import { sendJson, sendText, setHeaders } from '../core/http/respond';
import { PAGE_SECURITY_HEADERS } from '../core/http/security-headers';

// The browser preview: the same React renderer the Electron window shows, served on its OWN loopback listener
// (never the public callback listener) and talking to the real core over HTTP + Server-Sent Events.
// Anyone on the machine can reach 127.0.0.1, so every API route needs the per-launch token, and the Host/Origin
// headers must be the preview's own (a DNS-rebinding page or a cross-site form cannot pass either check).

/** Base64 of a batch-log import is at most 70 MB (the contract's limit); leave room for the JSON around it. */
const MAX_INVOKE_BODY_BYTES = 72 * 1024 * 1024;
/** The page posts over loopback: even a slow machine moves 4 MB/s, so the largest body has about 19 s. */
const INVOKE_BODY_DEADLINE_MS = bodyDeadlineMs(MAX_INVOKE_BODY_BYTES, 4 * 1024 * 1024);
const SSE_KEEPALIVE_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export interface PreviewServerOptions {
  handlers: ApiHandlers;
  /** Emits the contract's ApiEvents names with their payloads. */
  events: EventEmitter;
  /** The built renderer (`out/renderer`). */
  staticDir: string;
  /** Loopback only; anything else is refused. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  port?: number;
  /** The per-launch secret; a random one is made when omitted. */
  token?: string;
  /** Streams a batch's log CSV into `writable` (the engine's batch-log format). */
  exportBatch(batchId: string, writable: Writable): Promise<unknown> | void;
  onInternalError?: (operation: string, error: unknown) => void;
}

export interface PreviewServer {
  /** Open this in a browser: it carries the token, which the page strips from the address bar. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new Error(`The browser preview listens on loopback only, not ${host}`);
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The preview token must have at least 16 characters');
  const staticRoot = path.resolve(options.staticDir);
  if (!fs.existsSync(path.join(staticRoot, 'index.html'))) {
    throw new Error(`The renderer is not built: ${path.join(staticRoot, 'index.html')} is missing. Run "npx electron-vite build" first.`);
  }

  let port = 0;
  const sseClients = new Set<http.ServerResponse>();

  const handlers: ApiHandlers = {
    ...options.handlers,
    // The browser cannot be handed a save dialog: the preview answers with a token-bearing download link instead,
    // after asking the core whether the batch exists (so a wrong id is an error here, not a broken download).
    'batches/export': async ({ batchId }) => {
      await options.handlers['batches/progress']({ batchId });
      return { savedTo: null, downloadUrl: `/api/batches/${encodeURIComponent(batchId)}/export.csv?token=${encodeURIComponent(token)}` };
    },
  };

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const hostIsOurs = (req: http.IncomingMessage) => allowedHosts().has(String(req.headers.host ?? '').toLowerCase());
  const originIsOurs = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    if (origin === undefined) return true; // same-origin GETs and non-browser clients send none; the token still guards them
    try {
      const parsed = new URL(origin);
      return parsed.protocol === 'http:' && allowedHosts().has(parsed.host.toLowerCase());
    } catch {
      return false;
    }
  };
  const tokenMatches = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const expected = Buffer.from(token);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = http.createServer((req, res) => {
    setHeaders(res, PAGE_SECURITY_HEADERS);
    handle(req, res).catch((error: unknown) => {
      options.onInternalError?.('preview-request', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { kind: 'internal', message: 'The preview server failed to answer.' } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!hostIsOurs(req)) return sendJson(res, 403, { ok: false, error: { kind: 'unavailable', message: 'Wrong Host header.' } });
    if (!originIsOurs(req)) return sendJson(res, 403, { ok: false, error: { kind: 'unavailable', message: 'Cross-origin requests are refused.' } });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname === '/api/invoke') return handleInvoke(req, res);
    if (url.pathname === '/api/events') return handleEvents(req, res, url);
    const exportMatch = /^\/api\/batches\/([^/]+)\/export\.csv$/.exec(url.pathname);
    if (exportMatch?.[1]) return handleExport(req, res, url, decodeURIComponent(exportMatch[1]));
    if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { ok: false, error: { kind: 'not-found', message: 'No such API route.' } });
    return serveStatic(req, res, url.pathname);
  }

  async function handleInvoke(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { kind: 'validation', message: 'Use POST.' } }, { Allow: 'POST' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!tokenMatches(bearer)) return sendJson(res, 401, { ok: false, error: { kind: 'unavailable', message: 'Missing or wrong preview token.' } });
    // Requiring JSON means a cross-site <form> (which cannot send application/json) never reaches a handler.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { ok: false, error: { kind: 'validation', message: 'Send the request as application/json.' } });
    }
    let body: Buffer;
    try {
      body = await readBody(req, { maxBytes: MAX_INVOKE_BODY_BYTES, deadlineMs: INVOKE_BODY_DEADLINE_MS });
    } catch (error) {
      const status = statusForBodyError(error);
      if (status === 413) return sendJson(res, 413, { ok: false, error: { kind: 'validation', message: 'The request is too large.' } }, { Connection: 'close' });
      if (status === 408) return sendJson(res, 408, { ok: false, error: { kind: 'validation', message: 'The request took too long to arrive.' } }, { Connection: 'close' });
      return; // the page went away
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { ok: false, error: { kind: 'validation', message: 'The request body is not valid JSON.' } });
    }
    const { operation, args } = (parsed && typeof parsed === 'object' ? parsed : {}) as { operation?: unknown; args?: unknown };
    const envelope = await invokeOperation(handlers, operation, args, options.onInternalError);
    sendJson(res, 200, envelope);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (req.method !== 'GET') return sendJson(res, 405, { ok: false, error: { kind: 'validation', message: 'Use GET.' } }, { Allow: 'GET' });
    // EventSource cannot send headers, so the token travels in the query string of this loopback-only URL.
    if (!tokenMatches(url.searchParams.get('token'))) return sendJson(res, 401, { ok: false, error: { kind: 'unavailable', message: 'Missing or wrong preview token.' } });
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const listeners = EVENT_NAMES.map((name) => {
      const listener = (payload: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      options.events.on(name, listener);
      return () => options.events.off(name, listener);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    keepalive.unref();
    sseClients.add(res);
    const cleanup = () => {
      clearInterval(keepalive);
      for (const off of listeners) off();
      sseClients.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function handleExport(req: http.IncomingMessage, res: http.ServerResponse, url: URL, batchId: string) {
    if (req.method !== 'GET') return sendJson(res, 405, { ok: false, error: { kind: 'validation', message: 'Use GET.' } }, { Allow: 'GET' });
    if (!tokenMatches(url.searchParams.get('token'))) return sendJson(res, 401, { ok: false, error: { kind: 'unavailable', message: 'Missing or wrong preview token.' } });
    const known = await invokeOperation(options.handlers, 'batches/progress', { batchId }, options.onInternalError);
    if (!known.ok) return sendJson(res, known.error.kind === 'not-found' ? 404 : 400, known);
    const safeName = batchId.replace(/[^A-Za-z0-9_-]/g, '_');
    // setHeader (not writeHead): the headers only go out with the first CSV bytes, so an early failure can still
    // be answered with a proper error status.
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="reminder-batch-${safeName}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await options.exportBatch(batchId, res);
      if (!res.writableEnded) res.end();
    } catch (error) {
      options.onInternalError?.('batches/export', error);
      if (!res.headersSent) {
        res.removeHeader('Content-Disposition');
        sendJson(res, 500, { ok: false, error: { kind: 'internal', message: 'The batch log could not be exported.' } });
      } else res.destroy();
    }
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'Bad path');
    }
    if (decoded.includes('\0')) return sendText(res, 400, 'Bad path');
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = path.resolve(staticRoot, relative);
    // No escaping the renderer folder, and no directory listings: only regular files inside it are served.
    if (file !== staticRoot && !file.startsWith(staticRoot + path.sep)) return sendText(res, 404, 'Not found');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return sendText(res, 404, 'Not found');
    }
    if (!stat.isFile()) return sendText(res, 404, 'Not found');
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      // Hashed asset names change with every build; the page itself must always be fresh.
      'Cache-Control': relative === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host === '::1' ? '[::1]' : host}:${port}`;

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sseClients) client.end();
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
