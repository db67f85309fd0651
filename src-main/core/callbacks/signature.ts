import twilio from 'twilio';

// X-Twilio-Signature is an HMAC over the URL Twilio requested plus the sorted POST parameters. We check it
// against URLs we registered ourselves (stored on the call), never against one rebuilt from the request's
// Host header: behind a tunnel the server sees http://127.0.0.1:8080/status while Twilio signed the public URL.

export const SIGNATURE_HEADER = 'x-twilio-signature';

/** Form parameters as they were posted; a repeated key keeps every value (Twilio signs each of them). */
export type SignedParams = Record<string, string | string[]>;

/**
 * A fragment (`#rc=3&ct=...`, Twilio's connection overrides) is never sent over HTTP and it is not certain that
 * Twilio includes it when signing, so a registered URL with a fragment is also tried without it.
 */
function withAndWithoutFragment(url: string): string[] {
  const hash = url.indexOf('#');
  return hash === -1 ? [url] : [url, url.slice(0, hash)];
}

/** Whether `signature` is Twilio's signature of `url` + `params` (twilio's validateRequest: also tries :443/:80). */
export function isSignedUrl(authToken: string, signature: string, url: string, params: SignedParams): boolean {
  try {
    return twilio.validateRequest(authToken, signature, url, params);
  } catch {
    // validateRequest parses the URL with `new URL()`, which throws on a malformed one: that URL cannot be it.
    return false;
  }
}

/** The first candidate URL the request was signed for, or null when it matches none of them. */
export function findSignedUrl(authToken: string, signature: string, candidateUrls: readonly string[], params: SignedParams): string | null {
  if (signature === '') return null;
  for (const candidate of candidateUrls) {
    if (withAndWithoutFragment(candidate).some((url) => isSignedUrl(authToken, signature, url, params))) return candidate;
  }
  return null;
}
