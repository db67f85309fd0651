import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_LOG_COLUMNS } from '../../src-main/core/batches/batch-log-csv';
import { FAST_SETTINGS, runCli, SAMPLE_CSV, spawnCli, tempDataDir } from './cli-helpers';

// The real `reminder-desk` binary (bin/reminder-desk.mjs running the built out/cli), spawned as a user would run it.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function dataDir(settings?: string): string {
  const dir = tempDataDir(settings);
  dirs.push(dir);
  return dir;
}

/** The sample file's numbers end in 00..07: the simulator's outcome table decides each call's true ending. */
const EXPECTED_BY_LAST_DIGITS: Record<string, { status: string; answered: string; confirmation: string }> = {
  '00': { status: 'completed', answered: 'Yes', confirmation: 'confirmed' },
  '01': { status: 'completed', answered: 'Yes', confirmation: 'cancelled' },
  '02': { status: 'completed', answered: 'Yes', confirmation: '' },
  '03': { status: 'completed', answered: 'Yes', confirmation: '' },
  '04': { status: 'busy', answered: 'No', confirmation: '' },
  '05': { status: 'no-answer', answered: 'No', confirmation: '' },
  '06': { status: 'failed', answered: 'No', confirmation: '' },
  '07': { status: 'failed', answered: 'No', confirmation: '' }, // refused by Twilio at creation (21211)
};

function readCsv(file: string): Record<string, string>[] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { columns: true }) as Record<string, string>[];
}

describe('reminder-desk run --wait', () => {
  it('ends the batch when the wait runs out, listing the calls still open, and exports them as open', async () => {
    // Realistic timing (time_scale 1): no call can finish within a 2 s wait.
    const dir = tempDataDir(FAST_SETTINGS.replace('time_scale: 0.01', 'time_scale: 1'));
    const out = path.join(dir, 'open.csv');
    const result = await runCli(['run', SAMPLE_CSV, '--simulate', '--wait', '2', '--export', out, '--data-dir', dir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: \d+ call\(s\) had no final status when the wait ran out/);
    const rows = readCsv(out);
    expect(rows).toHaveLength(8);
    const open = rows.filter((r) => r.error_message?.startsWith('still open'));
    expect(open.length).toBeGreaterThan(0);
    const status = await runCli(['status', '--json', '--data-dir', dir]);
    expect(JSON.parse(status.stdout)).toMatchObject({ batch: { batch: { state: 'timed_out' }, openCalls: open.length } });
  });
});

describe('reminder-desk run --simulate', () => {
  const dir = dataDir();
  const out = path.join(dir, 'out', 'log.csv');
  let first: Awaited<ReturnType<typeof runCli>>;

  it('calls every appointment of the sample file in practice mode and exports each true final status', async () => {
    first = await runCli(['run', SAMPLE_CSV, '--simulate', '--export', out, '--data-dir', dir]);
    expect(first.stderr).not.toMatch(/^reminder-desk:/m);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('SIMULATED');
    expect(first.stdout).toMatch(/completed 4, busy 1, no-answer 1, failed 1, rejected 1/);

    const header = fs.readFileSync(out, 'utf8').slice(1).split('\r\n')[0]!.split(',');
    expect(header).toEqual([...BATCH_LOG_COLUMNS]);
    const rows = readCsv(out);
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const lastDigits = row.phone_number!.slice(-2);
      const expected = EXPECTED_BY_LAST_DIGITS[lastDigits]!;
      expect({ number: row.phone_number, status: row.call_status, answered: row.call_answered, confirmation: row.confirmation }).toEqual({
        number: row.phone_number,
        ...expected,
      });
      if (lastDigits !== '07') {
        expect(row.call_id).toMatch(/^CA[0-9a-f]{32}$/);
        expect(row.status_source).toBe('callback');
      } else {
        expect(row.error_message).toContain('21211');
      }
    }
    expect(rows[0]!.phone_number).toBe("'+12125550100"); // formula-neutralised E.164
  });

  it('status --json reports the finished batch', async () => {
    const result = await runCli(['status', '--json', '--data-dir', dir]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { practiceMode: boolean; batch: { batch: { state: string; simulated: boolean }; total: number; finished: number }; openCalls: unknown[] };
    expect(report.batch.batch).toMatchObject({ state: 'completed', simulated: true });
    expect(report.batch.total).toBe(8);
    expect(report.batch.finished).toBe(8);
    expect(report.openCalls).toEqual([]);
    const human = await runCli(['status', '--data-dir', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/completed, 8\/8 calls final/);
  });

  it('export --batch latest writes the same log again', async () => {
    const again = path.join(dir, 'again.csv');
    const result = await runCli(['export', '--batch', 'latest', '--out', again, '--json', '--data-dir', dir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 8, savedTo: again });
    expect(readCsv(again).map((r) => r.call_status)).toEqual(readCsv(out).map((r) => r.call_status));
  });

  it('callbacks --json lists the inspector, and replaying a stored callback changes nothing', async () => {
    const result = await runCli(['callbacks', '--json', '--limit', '500', '--data-dir', dir]);
    expect(result.code).toBe(0);
    const requests = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: number; path: string; signatureVerdict: string; responseStatus: number });
    const statuses = requests.filter((r) => r.path === '/status');
    expect(statuses.length).toBeGreaterThanOrEqual(7);
    expect(statuses.every((r) => r.signatureVerdict === 'valid' && r.responseStatus === 204)).toBe(true);

    const replay = await runCli(['callbacks', 'replay', String(statuses[0]!.id), '--json', '--data-dir', dir]);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ stored: false, applied: false });
    const bad = await runCli(['callbacks', 'replay', 'abc', '--data-dir', dir]);
    expect(bad.code).toBe(2);
  });

  it('run without FILE says there is nothing to resume (exit 1)', async () => {
    const result = await runCli(['run', '--simulate', '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('reminder-desk:'))).toEqual([
      'reminder-desk: there is no interrupted batch to resume; give a FILE of appointments to call',
    ]);
  });
});

describe('exit codes', () => {
  it('2 for an unknown flag, with one line naming it', async () => {
    const result = await runCli(['run', SAMPLE_CSV, '--bogus', '--data-dir', dataDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("reminder-desk: unknown option '--bogus'");
  });

  it('2 for an unknown command', async () => {
    const result = await runCli(['dial-everyone', '--data-dir', dataDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("reminder-desk: unknown command 'dial-everyone'");
  });

  it('2 for an invalid settings file, naming the key and the expected value', async () => {
    const dir = dataDir('calling:\n  calls_per_second: "fast"\nserver:\n  port: 0\n');
    const result = await runCli(['status', '--data-dir', dir]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reminder-desk: invalid settings: calling\.calls_per_second: .*number/);
  });

  it('2 for --config pointing at invalid settings', async () => {
    const dir = dataDir();
    const config = path.join(dir, 'bad.yaml');
    fs.writeFileSync(config, 'twilio:\n  from_number: "555"\n');
    const result = await runCli(['status', '--config', config, '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/twilio\.from_number: a phone number in E\.164 form/);
  });

  it('2 for --config naming a file that does not exist (a typo must not mean "use defaults")', async () => {
    const dir = dataDir();
    const result = await runCli(['status', '--config', path.join(dir, 'settigns.yaml'), '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^reminder-desk: .*settigns\.yaml \(--config\) does not exist$/);
  });

  it('1 for a file that does not exist', async () => {
    const dir = dataDir();
    const result = await runCli(['import', path.join(dir, 'nope.csv'), '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^reminder-desk: could not read .*nope\.csv: the file does not exist$/);
  });

  it('2 when calling for real without Twilio credentials', async () => {
    const result = await runCli(['run', SAMPLE_CSV, '--data-dir', dataDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reminder-desk: Twilio is not set up/m);
  });
});

describe('reminder-desk tunnel check', () => {
  it('exits 1 saying nothing receives callbacks when no engine runs on the data folder', async () => {
    const result = await runCli(['tunnel', 'check', '--data-dir', dataDir()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED: No Reminder Desk is receiving callbacks now/);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('reminder-desk:'))).toHaveLength(1);
    expect(result.stderr).toMatch(/^reminder-desk: no Reminder Desk is receiving callbacks now/m);
  });
});

describe('reminder-desk serve', () => {
  it('runs until SIGTERM and then shuts down cleanly with exit 0', async () => {
    const child = spawnCli(['serve', '--simulate', '--data-dir', dataDir()]);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('callback server on http://127.0.0.1:')) resolve();
      });
    });
    const port = /127\.0\.0\.1:(\d+)/.exec(stdout)![1];
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM: stopping');
    expect(stderr).not.toMatch(/^reminder-desk:/m);
  });
});

describe('practice mode on a busy port', () => {
  it('listens on a free port when server.port is taken and nothing public needs it', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = dataDir(`server:\n  port: ${port}\ncalling:\n  calls_per_second: 50\nsimulator:\n  time_scale: 0.01\n`);
      const result = await runCli(['run', SAMPLE_CSV, '--simulate', '--data-dir', dir]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`port ${port} is in use; listening on a free port instead`);
    } finally {
      blocker.close();
    }
  });
});
