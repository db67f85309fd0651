import { describe, expect, it } from 'vitest';
import { createDateParser } from '../../../src-main/core/appointments/appointment-date';
import { DatePatternError, validateDateFormat } from '../../../src-main/core/appointments/strftime-pattern';

const ny = createDateParser(['%Y-%m-%d %H:%M', '%m/%d/%Y %I:%M %p'], 'America/New_York');
const iso = (parser: ReturnType<typeof createDateParser>, text: string): string => {
  const result = parser.parseText(text);
  if (!result.ok) throw new Error(result.reason);
  return result.iso;
};
const reason = (parser: ReturnType<typeof createDateParser>, text: string): string => {
  const result = parser.parseText(text);
  if (result.ok) throw new Error(`expected "${text}" to be rejected, got ${result.iso}`);
  return result.reason;
};

describe('configured date formats (Python strftime patterns)', () => {
  it('reads the main format and the fallback format as clinic wall-clock time', () => {
    expect(iso(ny, '2026-11-25 14:30')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, '11/25/2026 2:30 PM')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, ' 11/25/2026 02:30 pm ')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, '1/5/2027 12:05 AM')).toBe('2027-01-05T00:05:00-05:00');
    expect(iso(ny, '1/5/2027 12:05 PM')).toBe('2027-01-05T12:05:00-05:00');
    expect(iso(ny, '2026-07-01 10:00')).toBe('2026-07-01T10:00:00-04:00'); // summer time
  });

  it('supports names, two-digit years, seconds, weekdays and a literal %', () => {
    const parser = createDateParser(['%d %B %Y %H:%M', '%a %b %d %y %H:%M:%S'], 'America/Chicago');
    expect(iso(parser, '5 March 2027 09:05')).toBe('2027-03-05T09:05:00-06:00');
    expect(iso(parser, '05 mar 2027 09:05')).toBe('2027-03-05T09:05:00-06:00');
    expect(iso(parser, 'Wed Nov 25 26 14:30:15')).toBe('2026-11-25T14:30:15-06:00');
    expect(iso(parser, 'wednesday November 25 26 14:30:15')).toBe('2026-11-25T14:30:15-06:00');
    expect(reason(parser, 'Tue Nov 25 26 14:30:15')).toBe('appointment_date "Tue Nov 25 26 14:30:15" says Tue but that date is a Wednesday');
    const percent = createDateParser(['%Y%%%m%%%d %H.%M'], 'UTC');
    expect(iso(percent, '2026%11%25 14.30')).toBe('2026-11-25T14:30:00+00:00');
  });

  it('always accepts ISO 8601, with or without an offset', () => {
    expect(iso(ny, '2026-11-25T14:30')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, '2026-11-25T14:30:00.000')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, '2026-11-25')).toBe('2026-11-25T00:00:00-05:00');
    expect(iso(ny, '2026-11-25T19:30:00Z')).toBe('2026-11-25T14:30:00-05:00');
    expect(iso(ny, '2026-11-25T14:30:00+01:00')).toBe('2026-11-25T08:30:00-05:00');
    expect(iso(ny, '2026-11-25 14:30:00+0530')).toBe('2026-11-25T04:00:00-05:00');
  });

  it('explains a value that fits no format, naming the formats tried', () => {
    expect(reason(ny, 'next Tuesday')).toBe(
      'appointment_date "next Tuesday" does not match the date formats "%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M %p" or ISO 8601 (e.g. 2026-11-25T14:30)',
    );
    expect(reason(ny, '2027-02-29 10:00')).toBe('appointment_date "2027-02-29 10:00" is not a real calendar date or time');
    expect(iso(ny, '2028-02-29 10:00')).toBe('2028-02-29T10:00:00-05:00');
  });
});

describe('daylight saving time', () => {
  it('rejects a time the clocks skip, instead of moving the appointment', () => {
    expect(reason(ny, '2027-03-14 02:30')).toBe(
      'appointment_date "2027-03-14 02:30" does not exist in America/New_York: the clocks skip that hour when daylight saving time starts; check the time',
    );
    expect(iso(ny, '2027-03-14 01:59')).toBe('2027-03-14T01:59:00-05:00');
    expect(iso(ny, '2027-03-14 03:00')).toBe('2027-03-14T03:00:00-04:00');
  });

  it('rejects a time that happens twice and shows how to write either one', () => {
    expect(reason(ny, '2026-11-01 01:30')).toBe(
      'appointment_date "2026-11-01 01:30" happens twice in America/New_York (the clocks go back an hour when daylight saving time ends); write it with its offset: 2026-11-01T01:30-04:00 or 2026-11-01T01:30-05:00',
    );
    expect(iso(ny, '2026-11-01T01:30-05:00')).toBe('2026-11-01T01:30:00-05:00');
    expect(iso(ny, '2026-11-01 00:59')).toBe('2026-11-01T00:59:00-04:00');
    expect(iso(ny, '2026-11-01 02:00')).toBe('2026-11-01T02:00:00-05:00');
  });

  it('works for zones with half-hour offsets and half-hour DST shifts', () => {
    expect(iso(createDateParser(['%Y-%m-%d %H:%M'], 'Asia/Kolkata'), '2026-11-25 14:30')).toBe('2026-11-25T14:30:00+05:30');
    const lordHowe = createDateParser(['%Y-%m-%d %H:%M'], 'Australia/Lord_Howe');
    expect(reason(lordHowe, '2026-04-05 01:45')).toContain('2026-04-05T01:45+11:00 or 2026-04-05T01:45+10:30');
    const london = createDateParser(['%Y-%m-%d %H:%M'], 'Europe/London');
    expect(reason(london, '2027-03-28 01:30')).toContain('does not exist in Europe/London');
    expect(iso(london, '2027-03-28 02:30')).toBe('2027-03-28T02:30:00+01:00');
  });
});

describe('validating date formats', () => {
  it('names unsupported directives and formats that cannot give a full date', () => {
    expect(validateDateFormat('%Y-%m-%d %H:%M')).toEqual([]);
    expect(validateDateFormat('%-m/%-d/%Y')).toEqual([]);
    expect(validateDateFormat('%Y-%m-%d %Q')[0]).toMatch(/uses %Q, which is not supported \(use %Y %y %m/);
    expect(validateDateFormat('%m/%d %H:%M')).toEqual(['date format "%m/%d %H:%M" is missing a year (%Y)']);
    expect(() => createDateParser(['%Y-%m-%d %'], 'UTC')).toThrow(DatePatternError);
  });
});
