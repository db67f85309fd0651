// A big import must not stop the callback listener (it shares the main thread and has to answer Twilio) nor
// keep the memory it needed (issue 9.4). Measured on a real 50 MB file, through the engine, over loopback.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { ImportFileError } from '../../../src-main/core/appointments/read-appointments';
import { EngineHarness, settingsYaml } from '../engine/engine-fixtures';

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

const MB = 1024 * 1024;

/** Writes `rows` appointment rows padded with an ignored notes column to `bytes` in total; returns the path. */
function writeBigCsv(dir: string, name: string, rows: number, bytes: number): string {
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  const header = 'name,phone_number,appointment_date,notes\n';
  const rowLength = Math.floor((bytes - header.length) / rows);
  fs.writeSync(fd, header);
  let block = '';
  for (let i = 0; i < rows; i++) {
    const start = `Patient ${String(i).padStart(7, '0')},212-555-0100,2026-11-25 09:00,`;
    block += `${start}${'n'.repeat(Math.max(1, rowLength - start.length - 1))}\n`;
    if (block.length > MB) {
      fs.writeSync(fd, block);
      block = '';
    }
  }
  fs.writeSync(fd, block);
  fs.closeSync(fd);
  return file;
}

function getHealth(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${base}/health`, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

interface Probed<T> {
  result: T;
  /** /health answer times in ms, in the order asked. */
  latencies: number[];
  peakRss: number;
}

/** Runs `work` while asking /health every 25 ms and sampling RSS (the worker thread's memory is part of it). */
async function whileProbing<T>(engine: Engine, work: () => Promise<T>): Promise<Probed<T>> {
  const base = engine.listener.localUrl()!;
  const latencies: number[] = [];
  let running = true;
  let peakRss = process.memoryUsage.rss();
  const prober = (async () => {
    while (running) {
      const started = performance.now();
      expect(await getHealth(base)).toBe(200);
      latencies.push(performance.now() - started);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    return { result: await work(), latencies, peakRss };
  } finally {
    running = false;
    await prober;
  }
}

/** A full collection of this (main) thread's heap: V8's gc() made reachable for this one call. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** What this thread's JS keeps alive: the heap plus Buffers and other memory outside it. */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** /health answer times with nothing else going on, for the same number of probes: what the machine gives now. */
async function baselineLatencies(engine: Engine): Promise<number[]> {
  const until = performance.now() + 1_500;
  return (await whileProbing(engine, () => new Promise((resolve) => setTimeout(resolve, Math.max(0, until - performance.now()))))).latencies;
}

/**
 * The listener answered throughout. On a quiet machine every answer takes a few ms and the bar is 100 ms at
 * the 95th percentile. This machine is shared (load average 15-27 on 2 cores while these tests were written):
 * the OS then holds single answers back whatever the app does, so the bar rises to twice what /health takes
 * with no import at all, measured just before. The slowest answer must stay under 1 s: the import on the main
 * thread stopped the listener for as long as the parse took (15 s for 50 MB in the attack run).
 */
function expectResponsive(latencies: number[], baseline: number[], label: string): void {
  const bar = Math.max(100, 2 * percentile(baseline, 95));
  const summary =
    `${label}: ${latencies.length} /health answers, median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ` +
    `slowest ${Math.max(...latencies).toFixed(1)} ms (no import: p95 ${percentile(baseline, 95).toFixed(1)} ms; bar ${bar.toFixed(0)} ms)`;
  console.log(summary);
  expect(latencies.length, summary).toBeGreaterThan(10);
  expect(percentile(latencies, 95), summary).toBeLessThan(bar);
  expect(Math.max(...latencies), summary).toBeLessThan(1_000);
}

describe('imports in a worker thread', () => {
  it('imports a 50 MB CSV while /health answers within 100 ms; memory stays bounded and returns after', async () => {
    const dataDir = harness.tempDir(settingsYaml('import:\n  max_file_mb: 60\n  max_rows: 500000\n'));
    const engine = await harness.practice({}, dataDir);
    const file = writeBigCsv(dataDir, 'big.csv', 50_000, 50 * MB);
    expect(fs.statSync(file).size).toBeGreaterThan(49 * MB);
    const baseline = await baselineLatencies(engine);
    collectGarbage();
    const before = process.memoryUsage.rss();
    const heldBefore = heldBytes();

    const { result, latencies, peakRss } = await whileProbing(engine, () => engine.appointments.importFile(file));

    expect(result.usableRows).toBe(50_000);
    expect(result.summary.inserted).toBe(50_000);
    expectResponsive(latencies, baseline, '50 MB import');
    collectGarbage(); // what is left after a collection is what the import kept
    const after = process.memoryUsage.rss();
    const heldAfter = heldBytes();
    console.log(
      `50 MB import: RSS before ${(before / MB).toFixed(0)} MB, peak ${(peakRss / MB).toFixed(0)} MB, after ${(after / MB).toFixed(0)} MB; ` +
        `JS heap + buffers before ${(heldBefore / MB).toFixed(0)} MB, after ${(heldAfter / MB).toFixed(0)} MB`,
    );
    // What the import itself costs, on top of this test process (vitest, the engine, Chromium-free: ~130 MB): the
    // worker's heap is capped at 192 MB, so the whole import stays well under 300 MB however large the file.
    expect(peakRss - before).toBeLessThan(250 * MB);
    // The worker's heap went with it and this thread kept nothing. (RSS itself keeps some allocator slack the OS
    // gets back only under pressure; it stays bounded, not at the peak the in-thread import left: 1.76 GB.)
    expect(heldAfter - heldBefore).toBeLessThan(20 * MB);
    expect(after - before).toBeLessThan(200 * MB);
  }, 120_000);

  it('refuses 400,000 rows past import.max_rows quickly, with the staff message, the listener answering', async () => {
    const dataDir = harness.tempDir(settingsYaml('import:\n  max_file_mb: 60\n'));
    const engine = await harness.practice({}, dataDir);
    const file = writeBigCsv(dataDir, 'many.csv', 400_000, 50 * MB);
    const baseline = await baselineLatencies(engine);

    const { result, latencies } = await whileProbing(engine, () => engine.appointments.importFile(file).catch((error: Error) => error));

    expect(result).toBeInstanceOf(ImportFileError);
    expect((result as Error).message).toBe(
      'many.csv has more than 100,000 appointment rows, the most one import takes (import.max_rows). Split the file, or raise import.max_rows in the settings.',
    );
    expectResponsive(latencies, baseline, '400,000-row file refused');
    // And with the default size cap (20 MB) the same file is refused before a byte is parsed.
    const defaults = await harness.practice({}, harness.tempDir());
    await expect(defaults.appointments.importFile(file)).rejects.toThrow(/^many\.csv is 5\d MB, more than the 20 MB one import takes \(import\.max_file_mb\)/);
  }, 120_000);

  it('lists the first 1,000 problems of a file of bad rows and counts the rest', async () => {
    const engine = await harness.practice();
    const file = path.join(engine.dataDir, 'bad.csv');
    fs.writeFileSync(file, `name,phone_number,appointment_date\n${'Ann,not a phone,2026-11-25 09:00\n'.repeat(1_500)}`);
    const result = await engine.appointments.importFile(file);
    expect(result.usableRows).toBe(0);
    expect(result.errors).toHaveLength(1_000);
    expect(result.errorCount).toBe(1_500);
    expect(result.errors[0]!.line).toBe(2);
  });

  it('imports an upload (bytes moved to the worker), UTF-16 included, and reports an unreadable one as a validation failure', async () => {
    const engine = await harness.practice();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,phone_number,appointment_date\r\nJosé,212-555-0100,2026-11-25 09:00\r\n', 'utf16le')]);
    const summary = await engine.appointments.importUpload('unicode.csv', utf16);
    expect(summary).toMatchObject({ inserted: 1, errors: [] });
    await expect(engine.appointments.importUpload('x.xls', Buffer.from('x'))).rejects.toMatchObject({ kind: 'validation' });
  });
});
