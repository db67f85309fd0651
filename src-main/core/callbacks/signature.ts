import crypto from 'node:crypto';
import { parse as parseLegacyQuery, stringify as stringifyLegacyQuery } from 'node:querystring';
import type { FormFields } from '../http/form';

// X-Twilio-Signature is an HMAC over the URL Twilio requested plus the sorted POST parameters. We check it
// against URLs we registered ourselves (stored on the call), never against one rebuilt from the request's
// Host header: behind a tunnel the server sees http://127.0.0.1:8080/status while Twilio signed the public URL.
//
// The check is what every request from anyone pays for, so it is one HMAC per URL form: the sorted parameter
// string is built once per request (twilio's validateRequest rebuilds it for each of its up to six URL forms),
// and the URL forms are the same ones validateRequest tries (a test keeps the two in agreement).

export const SIGNATURE_HEADER = 'x-twilio-signature';

/** Form parameters as they were posted; a repeated key keeps every value (Twilio signs each of them). */
export type SignedParams = FormFields;

/** At most this many registered URLs are tried for one request (the current one first). */
export const MAX_CANDIDATE_URLS = 16;

/** Twilio's parameter string: keys sorted, each key followed by its value (repeated values deduplicated, sorted). */
export function signedParamString(params: SignedParams): string {
  let data = '';
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    if (Array.isArray(value)) for (const item of [...new Set(value)].sort()) data += key + item;
    else data += key + value;
  }
  return data;
}

function hmac(authToken: string, url: string, paramString: string): Buffer {
  return crypto.createHmac('sha1', authToken).update(Buffer.from(url + paramString, 'utf-8')).digest();
}

/**
 * A fragment (`#rc=3&ct=...`, Twilio's connection overrides) is never sent over HTTP and it is not certain that
 * Twilio includes it when signing, so a registered URL with a fragment is also tried without it.
 */
function withAndWithoutFragment(url: string): string[] {
  const hash = url.indexOf('#');
  return hash === -1 ? [url] : [url, url.slice(0, hash)];
}

interface SplitUrl {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

function splitUrl(url: string): SplitUrl | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return null;
  const [prefix, scheme, authority] = match as unknown as [string, string, string];
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function removePort(url: string): string {
  const p = splitUrl(url);
  return p ? p.scheme + p.userInfo + p.host + p.rest : url;
}

function addPort(url: string): string {
  const p = splitUrl(url);
  if (!p || p.port) return url;
  return p.scheme + p.userInfo + p.host + (p.scheme.toLowerCase() === 'https://' ? ':443' : ':80') + p.rest;
}

function withLegacyQuerystring(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return `${url.slice(0, queryStart)}?${stringifyLegacyQuery(parseLegacyQuery(url.slice(queryStart + 1)))}`;
}

/** The URL forms twilio's validateRequest accepts for `url`: as given with and without a port, then normalised. */
export function acceptedUrlForms(url: string): string[] {
  const forms = [removePort(url), addPort(url)];
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    // validateRequest throws on a malformed URL: no signature can match it.
    return [];
  }
  const withoutPort = removePort(normalized);
  const withPort = addPort(normalized);
  forms.push(withoutPort, withPort, withLegacyQuerystring(withoutPort), withLegacyQuerystring(withPort));
  return [...new Set(forms)];
}

/** The first candidate URL the request was signed for, or null when it matches none of them. */
export function findSignedUrl(authToken: string, signature: string, candidateUrls: readonly string[], params: SignedParams): string | null {
  if (signature === '') return null;
  const given = Buffer.from(signature, 'base64');
  // A SHA-1 HMAC is 20 bytes; anything else (or not canonical base64) cannot be one.
  if (given.length !== 20 || given.toString('base64') !== signature) return null;
  const paramString = signedParamString(params);
  for (const candidate of candidateUrls.slice(0, MAX_CANDIDATE_URLS)) {
    for (const url of withAndWithoutFragment(candidate)) {
      if (acceptedUrlForms(url).some((form) => crypto.timingSafeEqual(hmac(authToken, form, paramString), given))) return candidate;
    }
  }
  return null;
}
