import crypto from 'node:crypto';
import { signedParamString, type SignedParams } from './signature';

// When a signature check fails, find out which URL Twilio actually signed by trying the usual ways a URL gets
// bent between Twilio and this server (http vs https, another host, a port, a trailing slash, another path, a
// reordered or dropped query, a fragment), and say it in one plain sentence instead of a silent 403.
// Pure: no I/O, no clock. Runs only for rejected requests; the number of variants tried is bounded.

const PREFIX = 'Callbacks are being rejected:';

export const NO_MATCH_REASON = `${PREFIX} they are not signed with this account’s Auth Token. Check that the Auth Token in Setup (or TWILIO_AUTH_TOKEN) belongs to the Twilio account placing the calls.`;
export const MISSING_SIGNATURE_REASON = `${PREFIX} the request has no X-Twilio-Signature header, so it cannot be shown to come from Twilio (or a proxy in front of this server removes the header).`;
export const MISSING_AUTH_TOKEN_REASON = `${PREFIX} no Twilio auth token is set, so no signature can be checked: set TWILIO_AUTH_TOKEN (or enter it in the setup wizard).`;

/** Upper bound on HMACs computed for one rejected request (a flood of forged requests must stay cheap). */
export const MAX_VARIANTS = 400;
/** Hosts taken from request headers (Host, X-Forwarded-Host, X-Original-Host): few, and only plausible names. */
const MAX_HEADER_HOSTS = 3;
const HOST_SHAPE = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/i;
const MAX_TARGET_CHARS = 2048;

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface RejectedRequest {
  /** Path and query exactly as received (`/status?x=1`). */
  target: string;
  headers: RequestHeaders;
}

export interface SignatureDiagnosisInput {
  authToken: string;
  signature: string;
  params: SignedParams;
  /** The URLs this server checked the request against, most likely first (may be empty). */
  expectedUrls: readonly string[];
  request: RejectedRequest;
  /** HMACs allowed for this diagnosis (default MAX_VARIANTS). */
  maxVariants?: number;
}

export interface SignatureDiagnosis {
  /** The URL Twilio signed, when one of the variants matched. */
  signedUrl: string | null;
  /** Our URL that variant was derived from; null when nothing matched or we had no URL for this request. */
  expectedUrl: string | null;
  reason: string;
}

interface UrlParts {
  scheme: string; // 'http' | 'https' | other, lower case
  host: string;
  port: string; // '' or ':8080'
  path: string;
  query: string; // '' or '?a=1'
  fragment: string; // '' or '#rc=3'
}

/** Splits a URL without normalising it (new URL() would re-encode characters Twilio signed verbatim). */
export function splitUrl(url: string): UrlParts | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!match) return null;
  const authority = match[2]!.slice(match[2]!.lastIndexOf('@') + 1);
  const { host, port } = splitHostPort(authority);
  return { scheme: match[1]!.toLowerCase(), host, port, path: match[3] ?? '', query: match[4] ?? '', fragment: match[5] ?? '' };
}

function splitHostPort(hostAndPort: string): { host: string; port: string } {
  // A colon only starts the port after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return portStart === -1 ? { host: hostAndPort, port: '' } : { host: hostAndPort.slice(0, portStart), port: hostAndPort.slice(portStart) };
}

function joinUrl(p: UrlParts): string {
  return `${p.scheme}://${p.host}${p.port}${p.path}${p.query}${p.fragment}`;
}

function firstHeader(headers: RequestHeaders, name: string): string | null {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  // Proxies append to X-Forwarded-Host: the first entry is what the client (Twilio) asked for.
  const first = value?.split(',')[0]?.trim();
  return first ? first : null;
}

function toggleTrailingSlash(path: string): string {
  if (path === '' || path === '/') return path === '' ? '/' : '';
  return path.endsWith('/') ? path.replace(/\/+$/, '') : `${path}/`;
}

function sortedQuery(query: string): string {
  if (query.length <= 1) return query;
  return `?${query.slice(1).split('&').sort().join('&')}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * The URLs Twilio may have signed instead of `expectedUrl` (or, with no expected URL, the ones it may have
 * requested judging by the headers), fewest changes first. The expected URL itself is not included.
 */
export function signatureUrlVariants(expectedUrl: string | null, request: RejectedRequest): string[] {
  // Whatever the client sent is bounded before it multiplies into URLs: the target's length, and the hosts.
  const target = request.target.slice(0, MAX_TARGET_CHARS);
  // Usually origin-form (`/status?x=1`); a client talking to us as to a proxy sends the absolute URL.
  const received = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? splitUrl(target) : splitUrl(`http://placeholder${target.startsWith('/') ? '' : '/'}${target}`);
  const headerHosts = ['host', 'x-forwarded-host', 'x-original-host']
    .map((name) => firstHeader(request.headers, name))
    .filter((value): value is string => value !== null && HOST_SHAPE.test(value))
    .slice(0, MAX_HEADER_HOSTS)
    .map(splitHostPort);
  const base: UrlParts | null = expectedUrl === null ? null : splitUrl(expectedUrl);
  if (expectedUrl !== null && base === null) return [];

  const schemes = unique([base?.scheme ?? 'https', 'https', 'http']);
  const hosts = unique([...(base ? [base.host] : []), ...headerHosts.map((h) => h.host.toLowerCase())]);
  const ports = unique([base?.port ?? '', '', ...headerHosts.map((h) => h.port), ':443', ':80']);
  const paths = unique([
    ...(base ? [base.path, toggleTrailingSlash(base.path)] : []),
    ...(received ? [received.path, toggleTrailingSlash(received.path)] : []),
  ]);
  const queries = unique([...(base ? [base.query, '', sortedQuery(base.query)] : []), ...(received ? [received.query, sortedQuery(received.query)] : [])]);
  const fragments = unique(['', base?.fragment ?? '']);

  const reference: UrlParts = base ?? { scheme: 'https', host: hosts[0] ?? '', port: '', path: received?.path ?? '/', query: received?.query ?? '', fragment: '' };
  const candidates: { url: string; changes: number }[] = [];
  // Among variants with as many changes, the generation order decides: http vs https first (the classic tunnel
  // mistake), then host, port, path, query, fragment.
  for (const host of hosts)
    for (const port of ports)
      for (const path of paths)
        for (const query of queries)
          for (const fragment of fragments)
            for (const scheme of schemes) {
              const parts: UrlParts = { scheme, host, port, path, query, fragment };
              const changes = (Object.keys(parts) as (keyof UrlParts)[]).filter((key) => parts[key] !== reference[key]).length;
              candidates.push({ url: joinUrl(parts), changes });
            }
  candidates.sort((a, b) => a.changes - b.changes);
  return unique(candidates.map((c) => c.url))
    .filter((url) => url !== expectedUrl)
    .slice(0, MAX_VARIANTS);
}

function signs(input: SignatureDiagnosisInput, url: string, paramString: string): boolean {
  // Exact comparison (not validateRequest, which also tries port forms): the sentence must name the URL itself.
  const expected = Buffer.from(crypto.createHmac('sha1', input.authToken).update(Buffer.from(url + paramString, 'utf-8')).digest('base64'));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** Names the URL Twilio signed (and the one we expected), or says that no URL explains the signature. */
export function diagnoseRejectedSignature(input: SignatureDiagnosisInput): SignatureDiagnosis {
  const paramString = signedParamString(input.params);
  const budget = Math.min(MAX_VARIANTS, input.maxVariants ?? MAX_VARIANTS);
  const perUrlBudget = Math.max(1, Math.floor(budget / Math.max(1, input.expectedUrls.length)));
  for (const expectedUrl of input.expectedUrls) {
    const signedUrl = signatureUrlVariants(expectedUrl, input.request)
      .slice(0, perUrlBudget)
      .find((url) => signs(input, url, paramString));
    if (signedUrl) return { signedUrl, expectedUrl, reason: `${PREFIX} Twilio signs ${signedUrl} but this server expects ${expectedUrl}.` };
  }
  if (input.expectedUrls.length === 0) {
    const signedUrl = signatureUrlVariants(null, input.request)
      .slice(0, budget)
      .find((url) => signs(input, url, paramString));
    if (signedUrl) {
      return {
        signedUrl,
        expectedUrl: null,
        reason: `${PREFIX} Twilio signs ${signedUrl} but this server has no call or callback URL registered for it.`,
      };
    }
  }
  return { signedUrl: null, expectedUrl: null, reason: NO_MATCH_REASON };
}
