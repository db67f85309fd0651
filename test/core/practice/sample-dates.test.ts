import { describe, expect, it } from 'vitest';
import { moveSampleToComingDays } from '../../../src-main/core/practice/sample-dates';

const SAMPLE = ['id,name,phone_number,appointment_date', 'A,Ann,+12125550100,2026-11-25 09:00', 'B,Bo,+12125550101,2026-11-26 14:30', 'C,Cy,+12125550102,2026-11-25 16:00'].join('\n');

describe('moveSampleToComingDays', () => {
  it('moves the earliest day to the clinic\'s tomorrow and keeps times and the gaps between days', () => {
    const now = Date.parse('2026-12-01T16:00:00Z'); // Dec 1, 11:00 in New York
    expect(moveSampleToComingDays(SAMPLE, now, 'America/New_York').split('\n').slice(1)).toEqual([
      'A,Ann,+12125550100,2026-12-02 09:00',
      'B,Bo,+12125550101,2026-12-03 14:30',
      'C,Cy,+12125550102,2026-12-02 16:00',
    ]);
  });

  it('reads "tomorrow" on the clinic\'s clock, across a month and a year end', () => {
    const lateNightInTokyo = Date.parse('2026-12-31T15:30:00Z'); // Jan 1, 00:30 in Tokyo; still Dec 31 in UTC
    expect(moveSampleToComingDays(SAMPLE, lateNightInTokyo, 'Asia/Tokyo')).toContain('A,Ann,+12125550100,2027-01-02 09:00');
    expect(moveSampleToComingDays(SAMPLE, lateNightInTokyo, 'UTC')).toContain('A,Ann,+12125550100,2027-01-01 09:00');
  });

  it('leaves a text without dates as it is', () => {
    expect(moveSampleToComingDays('id,name\n1,Ann', Date.now(), 'UTC')).toBe('id,name\n1,Ann');
  });
});
