import { afterEach, describe, expect, it, vi } from 'vitest';
import { BodyReadAdmission } from '../../../src-main/core/callbacks/admission';
import { DiagnosisSampler, NOT_DIAGNOSED_REASON } from '../../../src-main/core/callbacks/diagnosis-sampler';
import { EXCERPT_MARKER, EXCERPT_MAX_FIELDS, headersExcerpt, paramsExcerpt } from '../../../src-main/core/callbacks/inspector-excerpt';
import { RejectionLog } from '../../../src-main/core/callbacks/rejection-log';
import { NO_MATCH_REASON } from '../../../src-main/core/callbacks/signature-diagnostics';
import { describeLowDisk, diskSpace } from '../../../src-main/core/store/disk-space';

describe('BodyReadAdmission', () => {
  it('admits every new reader and, when full, cuts the one reading longest', () => {
    const admission = new BodyReadAdmission(2);
    const a = admission.admit();
    const b = admission.admit();
    b.release();
    const c = admission.admit();
    expect(admission.reading).toBe(2);
    const d = admission.admit(); // full: a is the oldest
    expect(a.signal.aborted).toBe(true);
    expect(c.signal.aborted).toBe(false);
    expect(d.signal.aborted).toBe(false);
    expect(admission.evicted).toBe(1);
    a.release(); // releasing an evicted slot is harmless
    expect(admission.reading).toBe(2);
  });
});

describe('DiagnosisSampler', () => {
  const input = (bodyBytes = 500, params: Record<string, string | string[]> = { CallSid: 'CA1' }) => ({
    authToken: 't',
    signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    params,
    bodyBytes,
    expectedUrls: ['https://a.example/status'],
    request: { target: '/status', headers: { host: 'a.example' } },
  });

  it('diagnoses a burst, then one per interval, and skips bodies not shaped like a Twilio callback', () => {
    let now = 0;
    const sampler = new DiagnosisSampler({ clock: () => now, intervalMs: 1000, burst: 2 });
    expect(sampler.diagnose(input())).toEqual({ reason: NO_MATCH_REASON, diagnosed: true });
    expect(sampler.diagnose(input()).diagnosed).toBe(true);
    expect(sampler.diagnose(input())).toEqual({ reason: NOT_DIAGNOSED_REASON, diagnosed: false });
    now = 999;
    expect(sampler.diagnose(input()).diagnosed).toBe(false);
    now = 1000;
    expect(sampler.diagnose(input()).diagnosed).toBe(true);
    now = 10_000;
    expect(sampler.diagnose(input(62_000)).diagnosed).toBe(false);
    expect(sampler.diagnose(input(500, { X: Array.from({ length: 9000 }, (_, i) => String(i)) })).diagnosed).toBe(false);
    expect(sampler.diagnose(input()).diagnosed).toBe(true); // the skipped ones took no token
  });
});

describe('inspector excerpts', () => {
  it('keeps the first fields and headers, each cut short, and says how many were left out', () => {
    const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`K${i}`, 'v'.repeat(5000)]));
    const excerpt = paramsExcerpt(params)!;
    expect(Object.keys(excerpt)).toHaveLength(EXCERPT_MAX_FIELDS + 1);
    expect(excerpt[EXCERPT_MARKER]).toBe(`${40 - EXCERPT_MAX_FIELDS} more field(s) not kept`);
    expect(JSON.stringify(excerpt).length).toBeLessThan(2_000);
    expect(paramsExcerpt(null)).toBeNull();
    const headers = headersExcerpt({ host: 'a', 'user-agent': 'x'.repeat(10_000) });
    expect(headers['user-agent']!.length).toBeLessThan(250);
  });
});

describe('RejectionLog', () => {
  afterEach(() => vi.useRealTimers());

  it('writes one summary line per interval with the counts, none when nothing was rejected', () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const log = new RejectionLog({ log: { warn }, intervalMs: 60_000 });
    for (let i = 0; i < 500; i++) log.note('403 forged');
    for (let i = 0; i < 20; i++) log.note('413');
    expect(warn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('Rejected 520 request(s) on the public listener in the last 60 s', { rejected: { '403 forged': 500, '413': 20 } });
    vi.advanceTimersByTime(600_000);
    expect(warn).toHaveBeenCalledTimes(1);
    log.note('404');
    log.stop(); // the rest is written on stop
    expect(warn).toHaveBeenCalledTimes(2);
  });
});

describe('disk space', () => {
  it('reads free space for the app and marks it low below the mark', () => {
    const statfs = () => ({ bavail: 100, bsize: 1024 * 1024, blocks: 1000 });
    expect(diskSpace('/x', { statfs, lowBytes: 200 * 1024 * 1024 })).toEqual({ freeBytes: 100 * 1024 * 1024, totalBytes: 1000 * 1024 * 1024, low: true });
    expect(diskSpace('/x', { statfs, lowBytes: 50 * 1024 * 1024 })!.low).toBe(false);
    expect(diskSpace('/nope', { statfs: () => { throw new Error('ENOENT'); } })).toBeNull();
    expect(describeLowDisk({ freeBytes: 100 * 1024 * 1024, totalBytes: 0, low: true })).toMatch(/^Low disk space: 100 MB free/);
    expect(diskSpace(process.cwd())!.freeBytes).toBeGreaterThan(0); // the real statfs works here
  });
});
