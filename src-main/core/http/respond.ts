import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BASE_SECURITY_HEADERS } from './security-headers';

// Writing answers: one function, which sets a Content-Length, the base security headers and nothing else, and
// never writes twice. Callers pass their own headers (Content-Type, Allow, Retry-After, Connection...).

export function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}, body: string | Buffer = ''): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...BASE_SECURITY_HEADERS, ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, text);
}

export function sendXml(res: ServerResponse, status: number, xml: string, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, { ...headers, 'Content-Type': 'text/xml; charset=utf-8' }, xml);
}

/** Sets headers that must go out with whatever answer follows (a page's security headers, before a stream). */
export function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
