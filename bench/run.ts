// `npm run bench`: Reminder Desk against real baselines, side by side in one run on this machine. Prints a table,
// writes bench/results.json (with the machine it ran on) and exits 1 when a target is missed.
// What each part measures and why its baseline is the fair one: docs/BENCHMARKS.md.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCliStartup } from './cli-startup';
import { benchPacing, type PacingResult } from './dispatch/pacing';
import { benchExport } from './export';
import { benchIngest, type IngestRun } from './ingest/ingest';
import { describeMachine } from './lib/machine';
import { benchBoard } from './ui/board';
import { benchFreshness } from './ui/freshness';

const REPO = path.resolve(import.meta.dirname, '..');
const PACING_CALLS = Number(process.env.BENCH_PACING_CALLS ?? 1000);

interface Row {
  section: string;
  measure: string;
  value: string;
  target: string;
  ok: boolean | null; // null: information, no target
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};
const started = Date.now();
const log = (line: string) => console.log(line);

function check(section: string, measure: string, value: string, target: string, ok: boolean | null): void {
  rows.push({ section, measure, value, target, ok });
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

/** BENCH_ONLY=board,export runs just those sections (a quick re-measure); the default is all of them. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;

async function section(name: string, fn: () => Promise<void>): Promise<void> {
  if (ONLY && !ONLY.has(name)) return;
  const t0 = Date.now();
  log(`\n== ${name}`);
  try {
    await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${message}`);
    results[`${name}Error`] = message;
    check(name, 'ran', 'error', 'runs', false);
  }
  log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

function ensureBuilt(): void {
  // The bench measures what a user runs: the built CLI and the built renderer, from the current sources.
  execFileSync(process.execPath, [path.join(REPO, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'ignore', cwd: REPO });
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bench-'));
  try {
    ensureBuilt();
    const machine = describeMachine(work);
    results.machine = machine;
    log(`machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}, ${machine.fsyncPerSecond} fsyncs/s, load ${machine.loadAverage.join(' ')}`);

    await section('ingest', async () => {
      const config = { connections: 16, flatSeconds: 8, fixedSeconds: 6, fixedRate: 1000 };
      const runs = await benchIngest(work, config, log);
      results.ingest = { config, runs };
      const by = (r: IngestRun['receiver']) => runs.find((run) => run.receiver === r)!;
      const [bare, express, desk] = [by('bare'), by('express'), by('desk')];
      for (const run of runs) {
        check('ingest', `${run.label}: flat out`, `${run.flat.rps.toFixed(0)} req/s (p50 ${run.flat.p50} ms, p99 ${run.flat.p99} ms)`, '', null);
      }
      const ratio = desk.flat.rps / express.flat.rps;
      check('ingest', 'throughput: serve / Express', `${ratio.toFixed(2)}x`, '>= 2x', ratio >= 2);
      check('ingest', 'throughput: serve / bare 204', `${(desk.flat.rps / bare.flat.rps).toFixed(2)}x`, '', null);
      for (const run of runs) {
        const isDesk = run.receiver === 'desk';
        check('ingest', `${run.label}: at ${config.fixedRate}/s`, `p50 ${run.fixed.p50} ms, p99 ${run.fixed.p99} ms (${run.fixed.rps.toFixed(0)}/s)`, isDesk ? 'p99 < 10 ms' : '', isDesk ? run.fixed.p99 < 10 : null);
      }
      for (const run of [express, desk]) {
        check('ingest', `${run.label}: acknowledged but missing after SIGKILL`, `${run.missing} of ${run.acknowledged}`, '0', run.missing === 0);
      }
      check('ingest', 'serve: non-2xx answers', String(desk.flat.non2xx + desk.fixed.non2xx + desk.flat.errors + desk.fixed.errors), '0', desk.flat.non2xx + desk.fixed.non2xx + desk.flat.errors + desk.fixed.errors === 0);
    });

    await section('freshness', async () => {
      const r = await benchFreshness({ events: 500, rowsOnScreen: 10, perSecond: 20 });
      results.freshness = r;
      log(`  ${r.events} events: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, max ${ms(r.max)}, unseen ${r.unseen}`);
      check('freshness', `callback -> board (${r.events} events at ${r.perSecond}/s)`, `p50 ${ms(r.p50)}, p95 ${ms(r.p95)}`, 'p95 < 100 ms', r.p95 < 100 && r.unseen === 0);
    });

    await section('board', async () => {
      const r = await benchBoard({ appointments: 10_000, perSecond: 200, seconds: 5 });
      results.board = r;
      log(`  first render ${ms(r.firstRenderMs)}; ${r.events} events at ${r.eventsPerSecond.toFixed(0)}/s: max frame ${ms(r.maxFrameMs)}, p99 ${ms(r.p99FrameMs)}, ${r.longTasks} long tasks`);
      check('board', '10,000 appointments: first render', ms(r.firstRenderMs), '< 300 ms', r.firstRenderMs < 300);
      check('board', `longest frame, status events at ${r.eventsPerSecond.toFixed(0)}/s (asked 200/s)`, `${ms(r.maxFrameMs)} (p99 ${ms(r.p99FrameMs)})`, '< 50 ms', r.maxFrameMs < 50);
    });

    await section('pacing', async () => {
      const plans = [
        { callsPerSecond: 10, speedup: 1 },
        { callsPerSecond: 5, speedup: 2 },
        { callsPerSecond: 1, speedup: 10 },
      ];
      const out: PacingResult[] = [];
      for (const plan of plans) {
        const r = await benchPacing({ ...plan, calls: PACING_CALLS });
        out.push(r);
        log(`  ${r.callsPerSecond}/s: ${r.calls} calls, achieved ${r.achievedRate.toFixed(3)}/s (${r.errorPercent.toFixed(2)}%), max ${r.maxInOneSecond} in 1 s, 429s ${r.rateLimited}, duplicates ${r.duplicates}, ${r.realSeconds.toFixed(0)} s real`);
        const clock = r.speedup === 1 ? 'real clock' : `clock x${r.speedup}`;
        check('pacing', `${r.calls} calls at ${r.callsPerSecond}/s (${clock})`, `${r.achievedRate.toFixed(3)}/s (${r.errorPercent.toFixed(2)}% off)`, 'within 2%', r.errorPercent <= 2);
        check('pacing', `  429s / duplicates at ${r.callsPerSecond}/s`, `${r.rateLimited} / ${r.duplicates}`, '0 / 0', r.rateLimited === 0 && r.duplicates === 0 && r.calls === PACING_CALLS);
      }
      results.pacing = out;
    });

    await section('export', async () => {
      const r = await benchExport(work);
      results.export = r;
      log(`  ${r.rows} rows: ${ms(r.ms)}, peak RSS ${r.maxRssMb.toFixed(0)} MB, file ${r.fileMb.toFixed(1)} MB`);
      check('export', `${r.rows.toLocaleString('en-US')}-row batch: time (start-up included)`, ms(r.ms), '< 2000 ms', r.ms < 2000);
      check('export', `${r.rows.toLocaleString('en-US')}-row batch: peak RSS`, `${r.maxRssMb.toFixed(0)} MB`, '< 150 MB', r.maxRssMb < 150);
    });

    await section('cli', async () => {
      const r = await benchCliStartup(15);
      results.cliStartup = r;
      check('cli', `reminder-desk --version vs node -e "" (median of ${r.runs})`, `${ms(r.cliMs)} vs ${ms(r.bareMs)} = ${r.ratio.toFixed(2)}x`, '<= 3x', r.ratio <= 3);
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const missed = rows.filter((r) => r.ok === false);
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log(`\n${'section'.padEnd(10)} ${'measure'.padEnd(width)}  ${'value'.padEnd(44)} ${'target'.padEnd(12)} result`);
  for (const r of rows) {
    console.log(`${r.section.padEnd(10)} ${r.measure.padEnd(width)}  ${r.value.padEnd(44)} ${r.target.padEnd(12)} ${r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'}`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nbench took ${seconds.toFixed(0)} s`);
  fs.writeFileSync(
    path.join(REPO, 'bench/results.json'),
    `${JSON.stringify({ ranAt: new Date().toISOString(), seconds, ...results, table: rows, missed: missed.length }, null, 2)}\n`,
  );
  if (missed.length > 0) {
    console.error(`${missed.length} target(s) missed`);
    process.exitCode = 1;
  }
}

await main();
// The simulator, SSE and keep-alive sockets must not keep a finished bench alive.
process.exit(process.exitCode ?? 0);
