// Staff's side of the do-not-call list (calls/do-not-call-list.ts): numbers as staff write them, one entry per
// patient's number, imports that report the line to fix. The screen and the CLI drive it through the engine.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addNumber, DoNotCallInputError, importNumbersCsv, importNumbersFile, listDoNotCall, removeNumber, toE164 } from '../../../src-main/core/calls/do-not-call-list';
import { isOnDoNotCallList } from '../../../src-main/core/store/do-not-call';
import { tempDb } from '../batches/fixtures';

const NOW = '2030-01-14T15:00:00.000Z';
const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});
function db() {
  const store = tempDb();
  stores.push(store);
  return store;
}

describe('the do-not-call list, as staff use it', () => {
  it('writes a number as staff type it in E.164 with the clinic region, and refuses what is not a phone number', () => {
    expect(toE164('(212) 555-0100', 'US')).toBe('+12125550100');
    expect(toE164('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(() => toE164('call me maybe', 'US')).toThrow(DoNotCallInputError);
  });

  it('adds a number once whatever its spelling, with a trimmed reason (none when blank), and removes it', () => {
    const { db: store } = db();
    const first = addNumber(store, { number: '(212) 555-0100', reason: '  asked on the phone ', defaultRegion: 'US', now: NOW });
    expect(first).toEqual({ added: true, entry: { phoneNumber: '+12125550100', reason: 'asked on the phone', source: 'staff', addedAt: NOW } });
    const again = addNumber(store, { number: '+1 212 555 0100', reason: 'again', source: 'keypad', defaultRegion: 'US', now: '2030-01-15T00:00:00.000Z' });
    expect(again).toEqual({ added: false, entry: first.entry }); // the first entry stands
    expect(addNumber(store, { number: '212-555-0101', reason: '   ', defaultRegion: 'US', now: NOW }).entry.reason).toBeNull();
    expect(isOnDoNotCallList(store, '+12125550100')).toBe(true);

    expect(removeNumber(store, '212 555 0100', 'US')).toEqual({ phoneNumber: '+12125550100', removed: true });
    expect(removeNumber(store, '212 555 0100', 'US')).toEqual({ phoneNumber: '+12125550100', removed: false });
    expect(isOnDoNotCallList(store, '+12125550100')).toBe(false);
    expect(listDoNotCall(store).map((e) => e.phoneNumber)).toEqual(['+12125550101']);
  });

  it('imports a CSV with a phone column and reasons: counts what was added and already listed, names the file line of each bad number', () => {
    const { db: store } = db();
    addNumber(store, { number: '+12125550100', defaultRegion: 'US', now: NOW });
    const csv = '\uFEFFName,Phone Number,Reason\n\nAnn,(212) 555-0100,moved away\nBo,212-555-0102,\n\nCy,not a number,x\nDi,+1 212 555 0103,asked\n';
    const result = importNumbersCsv(store, csv, { defaultRegion: 'US', now: NOW });
    expect(result).toEqual({ added: 2, alreadyListed: 1, errors: [{ line: 6, value: 'not a number', reason: expect.any(String) }] });
    expect(listDoNotCall(store).find((e) => e.phoneNumber === '+12125550102')).toMatchObject({ source: 'import', reason: 'imported list' });
    expect(listDoNotCall(store).find((e) => e.phoneNumber === '+12125550103')).toMatchObject({ source: 'import', reason: 'asked' });
  });

  it('imports a bare list of numbers, one per line, from a file', async () => {
    const { db: store, dir } = db();
    const file = path.join(dir, 'numbers.csv');
    fs.writeFileSync(file, '+12125550104\n212 555 0105\n');
    expect(await importNumbersFile(store, file, { defaultRegion: 'US', now: NOW })).toEqual({ added: 2, alreadyListed: 0, errors: [] });
    expect(listDoNotCall(store).map((e) => e.phoneNumber).sort()).toEqual(['+12125550104', '+12125550105']);
  });
});
