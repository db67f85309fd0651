import { clinicDayOf } from '../vocabulary/clinic-day';

// The bundled sample's appointments are on fixed days, and past appointments are never called: practice would call
// nobody once those days have gone by. So the sample is always handed out moved to the coming days, keeping each
// appointment's time of day and the gaps between its days.

const DAY_MS = 86_400_000;
const ISO_DAY = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `text` with every YYYY-MM-DD moved so that its earliest day becomes the clinic's tomorrow (`timezone`). */
export function moveSampleToComingDays(text: string, nowMs: number, timezone: string): string {
  const days = [...text.matchAll(ISO_DAY)].map((m) => m[0]).sort();
  const first = days[0];
  if (!first) return text;
  const tomorrow = addDays(clinicDayOf(new Date(nowMs).toISOString(), timezone), 1);
  const shift = daysBetween(first, tomorrow);
  return text.replace(ISO_DAY, (day) => addDays(day, shift));
}
