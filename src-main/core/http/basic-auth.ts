import { timingSafeEqual } from 'node:crypto';

// HTTP Basic credentials (RFC 7617): how Twilio's REST API (and so the simulator) authenticates a client.

export interface BasicCredentials {
  user: string;
  password: string;
}

export function parseBasicAuth(authorization: string | undefined): BasicCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether the header carries exactly these credentials, compared in constant time. */
export function basicAuthMatches(authorization: string | undefined, user: string, password: string): boolean {
  const given = parseBasicAuth(authorization);
  if (!given) return false;
  const expected = Buffer.from(`${user}:${password}`);
  const actual = Buffer.from(`${given.user}:${given.password}`);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
