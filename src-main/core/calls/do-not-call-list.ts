import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { normalisePhoneNumber } from '../appointments/phone-number';
import type { Db } from '../store/database';
import { addToDoNotCall, getDoNotCall, listDoNotCall, removeFromDoNotCall, type DoNotCallEntry, type DoNotCallSource } from '../store/do-not-call';

// Staff's side of the do-not-call list (the keypad's 9 adds through calls/voice.ts): numbers as staff write them,
// normalised to E.164 with phone.default_region like imported appointments, so "(212) 555-0100" and
// "+12125550100" are one entry. Shared by the CLI and the app's Do-not-call screen.

export class DoNotCallInputError extends Error {
  override readonly name = 'DoNotCallInputError';
}

export function toE164(text: string, defaultRegion: string): string {
  const result = normalisePhoneNumber(text, defaultRegion);
  if (!result.ok) throw new DoNotCallInputError(result.reason);
  return result.e164;
}

export function addNumber(db: Db, opts: { number: string; reason?: string | null; source?: DoNotCallSource; defaultRegion: string; now: string }): { entry: DoNotCallEntry; added: boolean } {
  const e164 = toE164(opts.number, opts.defaultRegion);
  const added = addToDoNotCall(db, { phoneNumber: e164, reason: opts.reason?.trim() || null, source: opts.source ?? 'staff', now: opts.now });
  return { entry: getDoNotCall(db, e164)!, added };
}

export function removeNumber(db: Db, number: string, defaultRegion: string): { phoneNumber: string; removed: boolean } {
  const e164 = toE164(number, defaultRegion);
  return { phoneNumber: e164, removed: removeFromDoNotCall(db, e164) };
}

export interface DoNotCallImport {
  added: number;
  alreadyListed: number;
  errors: { line: number; value: string; reason: string }[];
}

const PHONE_HEADERS = ['phone_number', 'phone', 'number', 'telephone', 'mobile'];

/**
 * A CSV of numbers: one per line, or a header row with a phone column (phone_number, phone, number…) and an
 * optional `reason` column. Every number is added in one transaction; bad lines are reported, not fatal.
 */
export function importNumbersCsv(db: Db, text: string, opts: { defaultRegion: string; now: string }): DoNotCallImport {
  // `info` gives each row the file line it ends on: blank lines are skipped, and staff fix the line we name.
  // (csv-parse's sync typings do not model `info: true`, hence the cast.)
  const parsed = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows = parsed.map((p) => p.record);
  const header = rows[0]?.map((cell) => cell.toLowerCase().replace(/\s+/g, '_')) ?? [];
  const phoneColumn = header.findIndex((cell) => PHONE_HEADERS.includes(cell));
  const reasonColumn = header.indexOf('reason');
  const hasHeader = phoneColumn !== -1;
  const result: DoNotCallImport = { added: 0, alreadyListed: 0, errors: [] };
  db.transaction(() => {
    rows.forEach((row, index) => {
      if (hasHeader && index === 0) return;
      const value = row[hasHeader ? phoneColumn : 0] ?? '';
      if (value === '') return;
      const phone = normalisePhoneNumber(value, opts.defaultRegion);
      if (!phone.ok) {
        result.errors.push({ line: parsed[index]!.info.lines, value, reason: phone.reason });
        return;
      }
      const reason = reasonColumn !== -1 ? row[reasonColumn] || null : null;
      if (addToDoNotCall(db, { phoneNumber: phone.e164, reason: reason ?? 'imported list', source: 'import', now: opts.now })) result.added += 1;
      else result.alreadyListed += 1;
    });
  })();
  return result;
}

export async function importNumbersFile(db: Db, file: string, opts: { defaultRegion: string; now: string }): Promise<DoNotCallImport> {
  return importNumbersCsv(db, await fs.readFile(file, 'utf8'), opts);
}

export { listDoNotCall };
