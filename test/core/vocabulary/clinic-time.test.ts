import { describe, expect, it } from 'vitest';
import { wallClockAt } from '../../../src-main/core/vocabulary/clinic-time';

// wallClockAt caches each zone's offset per quarter hour of UTC (an export asks for hundreds of thousands of wall
// clocks). It must read exactly what Intl reads, on both sides of every transition, in zones with odd offsets too.
function intlWallClock(instantMs: number, timeZone: string) {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  for (const part of format.formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute!, second: +parts.second! };
}

describe('wallClockAt', () => {
  const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
  // Around each 2026 transition of these zones, every 97 s for three hours either side, plus a year at odd steps.
  const transitions = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-03-08T05:30:00Z', '2026-04-04T14:00:00Z', '2026-09-26T14:00:00Z'];

  for (const zone of zones) {
    it(`reads what Intl reads in ${zone}, across its transitions`, () => {
      const instants: number[] = [];
      for (const at of transitions) for (let t = Date.parse(at) - 3 * 3_600_000; t <= Date.parse(at) + 3 * 3_600_000; t += 97_000) instants.push(t);
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3 * 3_600_000 + 7 * 60_000 + 11_000) instants.push(t);
      const wrong = instants.filter((t) => JSON.stringify(wallClockAt(t, zone)) !== JSON.stringify(intlWallClock(t, zone)));
      expect(wrong.map((t) => new Date(t).toISOString())).toEqual([]);
    });
  }
});
