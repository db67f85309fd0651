import type { IncomingHttpHeaders } from 'node:http';

// What the listener reads from request headers: whether a request came through a tunnel or proxy, and which
// headers may be kept in the inspector.

/** Headers never stored: they authenticate someone (the signature is as good as a one-request password). */
const SECRET_HEADERS = new Set(['x-twilio-signature', 'authorization', 'proxy-authorization', 'cookie']);
const SECRET_LOOKING = /(token|secret|password|api-key|apikey)/i;

/** Headers any tunnel or reverse proxy adds (ngrok adds X-Forwarded-For/-Host/-Proto). */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'x-original-host', 'via'];

export function headersWithoutSecrets(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name) || SECRET_LOOKING.test(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** True when anything between the client and us announced itself: such a request did not come from this computer. */
export function cameThroughProxy(headers: IncomingHttpHeaders): boolean {
  return PROXY_HEADERS.some((name) => headers[name] !== undefined) || Object.keys(headers).some((name) => name.startsWith('ngrok-') || name.startsWith('x-ngrok'));
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** A Host naming this computer (a page on another site that resolves to 127.0.0.1 still sends its own name). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** Header values we echo must be one printable ASCII line (a reason sentence or the self-test nonce). */
export function safeHeaderValue(text: string, max = 500): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);
}
