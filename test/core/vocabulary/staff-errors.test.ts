import { describe, expect, it } from 'vitest';
import { ApiFailure, invokeOperation } from '../../../src-main/core/api/invoke-operation';
import type { ApiHandlers } from '../../../src-main/core/api/contract';
import { exampleOfDatePattern, maskPhonesIn, staffWordsFor, toStaffError } from '../../../src-main/core/vocabulary/staff-errors';

// Every raw message below was seen on screen by a receptionist (issue 8).

describe('staff words for errors', () => {
  it('a fake .xlsx: no JSZip message, no developer link', () => {
    const raw =
      "appointments.xlsx could not be opened as an .xlsx workbook (Can't find end of central directory : is this a zip file ? If it is, see https://stuk.github.io/jszip/documentation/howto/read_zip.html). If it is an older .xls file, open it in Excel and save it as .xlsx or CSV.";
    const words = staffWordsFor(raw)!;
    expect(words).toBe("This file isn't a readable Excel workbook. Open it in Excel, save it again as .xlsx (or as CSV), and import that file.");
    expect(words).not.toMatch(/jszip|http/i);
  });

  it('offline: getaddrinfo ENOTFOUND becomes what to check', () => {
    const offline = Object.assign(new Error('getaddrinfo ENOTFOUND api.twilio.com'), { code: 'ENOTFOUND' });
    expect(toStaffError(offline)).toEqual({
      known: true,
      message: "Reminder Desk can't reach Twilio: this computer seems to be offline. Check the internet connection, then try again.",
      details: 'getaddrinfo ENOTFOUND api.twilio.com',
    });
    expect(staffWordsFor('Could not reach Twilio: connect ECONNREFUSED 127.0.0.1:443')).toContain('offline');
  });

  it('date formats are shown as example dates, never as strftime patterns', () => {
    const raw = 'appointment_date "25.11.2026" does not match the date formats "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M" or ISO 8601 (e.g. 2026-11-25T14:30)';
    const words = staffWordsFor(raw)!;
    expect(words).toBe('The appointment date "25.11.2026" isn\'t written in a way Reminder Desk reads. Write it like "2026-11-25 14:30" or "11/25/2026 14:30", or change the date format in Settings.');
    expect(words).not.toContain('%');
    expect(exampleOfDatePattern('%a %d %b %Y %I:%M %p')).toBe('Wed 25 Nov 2026 02:30 PM');
  });

  it('an Account SID with non-hex letters is explained, not contradicted', () => {
    const words = staffWordsFor('accountSid: an Account SID starts with AC and has 34 characters')!;
    expect(words).toContain('only the digits 0–9 and the letters a–f');
  });

  it('Twilio 21211 says what to do and never shows the full number', () => {
    const raw = "Invalid 'To' Phone Number: +14045550107 (Twilio error 21211)";
    const words = staffWordsFor(raw)!;
    expect(words).toBe("Twilio can't call +1•••••••0107: it isn't a valid phone number. Correct the number in the appointment file and import it again.");
    expect(words).not.toContain('4045550107');
    expect(toStaffError(new Error(raw)).details).toBe("Invalid 'To' Phone Number: +1•••••••0107 (Twilio error 21211)");
    expect(staffWordsFor("21211: Invalid 'To' Phone Number")).toContain('isn\'t a valid phone number');
  });

  it('masks every phone number in free text, leaves other numbers alone', () => {
    expect(maskPhonesIn('call +14045550123 or +44 20 7946 0958 at 10:30, batch 20261124-093000')).toBe('call +1•••••••0123 or +44•••••••0958 at 10:30, batch 20261124-093000');
  });

  it('unknown errors stay unknown (the generic sentence), with the raw text as details', () => {
    expect(toStaffError(new Error('kaboom'))).toMatchObject({ known: false, details: 'kaboom' });
  });
});

describe('invokeOperation speaks staff words', () => {
  const handlers = {
    'batches/progress': () => {
      throw new ApiFailure('twilio', "Invalid 'To' Phone Number: +14045550107 (Twilio error 21211)");
    },
    'batches/list': () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND api.twilio.com'), { code: 'ENOTFOUND' });
    },
    'batches/active': () => {
      throw new ApiFailure('conflict', 'Another batch is still calling.', 'runner busy');
    },
  } as unknown as ApiHandlers;

  it('translates an ApiFailure, keeping the raw (masked) detail for the Details toggle and the log', async () => {
    const refusals: unknown[] = [];
    const reply = await invokeOperation(handlers, 'batches/progress', { batchId: 'b1' }, undefined, (_op, error) => refusals.push(error));
    expect(refusals).toEqual([expect.objectContaining({ details: "Invalid 'To' Phone Number: +1•••••••0107 (Twilio error 21211)" })]);
    expect(reply).toEqual({
      ok: false,
      error: {
        kind: 'twilio',
        message: "Twilio can't call +1•••••••0107: it isn't a valid phone number. Correct the number in the appointment file and import it again.",
        details: "Invalid 'To' Phone Number: +1•••••••0107 (Twilio error 21211)",
      },
    });
  });

  it('a known unexpected error is logged and said plainly; a staff sentence passes through with its details', async () => {
    const logged: unknown[] = [];
    const offline = await invokeOperation(handlers, 'batches/list', {}, (_op, error) => logged.push(error));
    expect(offline).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringContaining('offline'), details: expect.stringContaining('ENOTFOUND') } });
    expect(logged).toHaveLength(1);
    expect(await invokeOperation(handlers, 'batches/active', {})).toEqual({
      ok: false,
      error: { kind: 'conflict', message: 'Another batch is still calling.', details: 'runner busy' },
    });
  });

  it('validation of arguments: an Account SID with wrong letters', async () => {
    const reply = await invokeOperation(handlers, 'setup/check-twilio', { accountSid: `AC${'z'.repeat(32)}`, authToken: 'x'.repeat(32) });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('a–f'), details: expect.stringContaining('accountSid') } });
  });
});
