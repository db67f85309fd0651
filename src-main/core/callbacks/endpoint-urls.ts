// The public URLs of the voice endpoints, derived from what was registered on the call. The <Gather> action URL
// is produced here once and used both in the TwiML we serve and for checking the signature of the key press,
// so the two can never drift apart.

export const STATUS_PATH = '/status';
export const TWIML_PATH = '/twiml';
export const GATHER_PATH = '/gather';
export const HEALTH_PATH = '/health';

/**
 * `https://abc.ngrok-free.app/twiml?attempt=7` -> `https://abc.ngrok-free.app/gather?attempt=7`. The base path of
 * the TwiML URL is kept (a clinic's reverse proxy may serve us under `/reminders/`), query and fragment are not.
 */
export function gatherActionUrlFor(twimlUrl: string, attemptId: number): string {
  const end = twimlUrl.search(/[?#]/);
  const withoutQuery = end === -1 ? twimlUrl : twimlUrl.slice(0, end);
  const base = withoutQuery.endsWith(TWIML_PATH) ? withoutQuery.slice(0, -TWIML_PATH.length) : new URL(withoutQuery).origin;
  return `${base}${GATHER_PATH}?attempt=${attemptId}`;
}

/** gatherActionUrlFor for a stored URL that may not parse: null instead of throwing inside a request. */
export function safeGatherUrl(twimlUrl: string, attemptId: number): string | null {
  try {
    return gatherActionUrlFor(twimlUrl, attemptId);
  } catch {
    return null;
  }
}

/** A request target as a URL (against a placeholder origin: only path and query matter), or null when it is not one. */
export function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://listener.invalid');
  } catch {
    return null;
  }
}

/** `attempt=12` -> 12; anything else (missing, repeated, not a positive integer) -> null. */
export function attemptIdFromQuery(search: URLSearchParams): number | null {
  const values = search.getAll('attempt');
  if (values.length !== 1 || !/^[1-9]\d{0,15}$/.test(values[0]!)) return null;
  const id = Number(values[0]);
  return Number.isSafeInteger(id) ? id : null;
}
