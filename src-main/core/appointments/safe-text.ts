// Text that came from a file and is shown back to people (a CSV header in an error, a bad cell's value):
// an attacker-made file can hold terminal escape sequences, NULs and multi-megabyte "lines". Before it
// reaches a terminal, a log or the UI it is stripped of control characters and cut to a readable length.

/** C0 and C1 control characters (ESC, NUL, BEL, CSI...), DEL, and the bidi overrides that reorder what is shown. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The longest piece of file text quoted back in a message. */
export const MAX_QUOTED_CHARS = 80;

/** `text` safe to print: controls replaced by a space (so words stay apart), cut with "…" past `max` characters. */
export function quoteFileText(text: string, max = MAX_QUOTED_CHARS): string {
  // Cut first: replacing inside a 5 MB string just to throw most of it away is wasted work.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const clean = head.replace(UNSHOWABLE, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(clean); // don't split a surrogate pair
  return chars.length > max || text.length > head.length ? `${chars.slice(0, max).join('')}…` : clean;
}

/** True when `text` holds a character that can't be spoken or printed (NUL, ESC, other controls, bidi overrides). */
export function hasControlCharacters(text: string): boolean {
  UNSHOWABLE.lastIndex = 0;
  return UNSHOWABLE.test(text.replace(/[\t\n\r]/g, ' '));
}
