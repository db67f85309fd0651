// Batches are named by the appointment day(s) they cover (issue 8), not by when they were started:
// "Wed, Nov 25"; "Nov 25 – Nov 27" for consecutive days; "Nov 25, Nov 27" / "Nov 25, Nov 27 and 3 more days" otherwise.

const DAY_MS = 86_400_000;

function parseDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function format(dayMs: number, weekday: boolean): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', ...(weekday ? { weekday: 'short' } : {}) }).format(dayMs);
}

/** `days`: clinic days as YYYY-MM-DD, in any order. */
export function batchLabel(days: readonly string[], opts: { testCall?: boolean } = {}): string {
  if (opts.testCall) return 'Test call';
  const sorted = [...new Set(days)].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  if (sorted.length === 0) return 'No appointments';
  const ms = sorted.map(parseDay);
  if (ms.length === 1) return format(ms[0]!, true);
  const consecutive = ms.every((v, i) => i === 0 || v - ms[i - 1]! === DAY_MS);
  if (consecutive) return `${format(ms[0]!, false)} – ${format(ms[ms.length - 1]!, false)}`;
  if (ms.length <= 3) return ms.map((v) => format(v, false)).join(', ');
  return `${format(ms[0]!, false)}, ${format(ms[1]!, false)} and ${ms.length - 2} more days`;
}
