import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from './cli-helpers';

// `reminder-desk do-not-call …` as a user runs it, and a practice run that skips a listed number.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('reminder-desk do-not-call', () => {
  const dir = tempDataDir();
  dirs.push(dir);
  const data = ['--data-dir', dir];

  it('add, list --json, import, remove', async () => {
    const add = await runCli(['do-not-call', 'add', '(212) 555-0100', '--reason', 'asked at the desk', ...data]);
    expect(add).toMatchObject({ code: 0 });
    expect(add.stdout).toBe('Added +12125550100 to the do-not-call list.\n');
    expect((await runCli(['do-not-call', 'add', '+1 212 555 0100', ...data])).stdout).toMatch(/already on the do-not-call list/);

    const file = path.join(dir, 'numbers.csv');
    fs.writeFileSync(file, 'phone_number,reason\n617-555-0101,letter\n+12125550100,dup\nnot a number,\n');
    const imported = await runCli(['do-not-call', 'import', file, '--json', ...data]);
    expect(imported.code).toBe(1); // one bad line
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: 1, alreadyListed: 1, errors: [{ line: 4, value: 'not a number' }] });

    const list = await runCli(['do-not-call', 'list', '--json', ...data]);
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as { phoneNumber: string; source: string; reason: string | null }[];
    expect(entries.map((e) => [e.phoneNumber, e.source, e.reason]).sort()).toEqual([
      ['+12125550100', 'staff', 'asked at the desk'],
      ['+16175550101', 'import', 'letter'],
    ]);

    expect(await runCli(['do-not-call', 'remove', '617 555 0101', ...data])).toMatchObject({ code: 0, stdout: 'Removed +16175550101 from the do-not-call list.\n' });
    expect((await runCli(['do-not-call', 'remove', '617 555 0101', ...data])).code).toBe(1);
    expect(await runCli(['do-not-call', 'add', 'nonsense', ...data])).toMatchObject({ code: 2 });
  }, 120_000); // eight CLI processes, each starting through tsx

  it('a batch skips a listed number with the reason "do-not-call list" and dials the rest', async () => {
    const csv = path.join(dir, 'appointments.csv');
    fs.writeFileSync(csv, 'name,phone_number,appointment_date\nAnn Listed,(212) 555-0100,2030-03-11 10:00\nBo Called,212-555-0102,2030-03-11 11:00\n');
    const out = path.join(dir, 'log.csv');
    const run = await runCli(['run', csv, '--simulate', '--export', out, ...data]);
    expect(run.stderr).not.toMatch(/^reminder-desk:/m);
    expect(run.code).toBe(0);
    const rows = parse(fs.readFileSync(out, 'utf8').slice(1), { columns: true }) as Record<string, string>[];
    const listed = rows.find((r) => r.phone_number === "'+12125550100")!;
    expect(listed).toMatchObject({ call_status: 'skipped', error_message: 'do-not-call list', call_id: '', attempts: '0' });
    expect(rows.find((r) => r.phone_number === "'+12125550102")).toMatchObject({ call_status: 'completed' });
  }, 60_000);
});
