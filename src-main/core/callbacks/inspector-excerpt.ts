// What the inspector keeps of a request that did not pass the signature check. Such a request may come from
// anyone: storing its whole body (up to 64 KB) for a week let 2,000 unsigned posts grow the data folder by 168 MB.
// An excerpt keeps enough to see what it was (its first fields, cut short) and nothing that can fill a disk.

export const EXCERPT_MAX_FIELDS = 12;
export const EXCERPT_MAX_KEY_CHARS = 40;
export const EXCERPT_MAX_VALUE_CHARS = 80;
export const EXCERPT_MAX_HEADERS = 24;
export const EXCERPT_MAX_HEADER_CHARS = 200;
/** The key under which an excerpt says how much was left out. */
export const EXCERPT_MARKER = '…';

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The first fields of a rejected body, each cut short, plus a marker saying how many were left out. */
export function paramsExcerpt(params: Record<string, string> | null): Record<string, string> | null {
  if (params === null) return null;
  const keys = Object.keys(params);
  const excerpt: Record<string, string> = {};
  for (const key of keys.slice(0, EXCERPT_MAX_FIELDS)) excerpt[cut(key, EXCERPT_MAX_KEY_CHARS)] = cut(params[key]!, EXCERPT_MAX_VALUE_CHARS);
  if (keys.length > EXCERPT_MAX_FIELDS) excerpt[EXCERPT_MARKER] = `${keys.length - EXCERPT_MAX_FIELDS} more field(s) not kept`;
  return excerpt;
}

/** A rejected request's headers: at most EXCERPT_MAX_HEADERS of them, each value cut short. */
export function headersExcerpt(headers: Record<string, string>): Record<string, string> {
  const excerpt: Record<string, string> = {};
  const names = Object.keys(headers);
  for (const name of names.slice(0, EXCERPT_MAX_HEADERS)) excerpt[cut(name, EXCERPT_MAX_KEY_CHARS)] = cut(headers[name]!, EXCERPT_MAX_HEADER_CHARS);
  if (names.length > EXCERPT_MAX_HEADERS) excerpt[EXCERPT_MARKER] = `${names.length - EXCERPT_MAX_HEADERS} more header(s) not kept`;
  return excerpt;
}
