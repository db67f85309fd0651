import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../src-main/core/api/contract';
import { SAMPLE_CSV, WAIT_MS, importThroughChooser, screenshot, withApp, writeFutureSample, useBrowser } from './harness';

// The must-shows, driven through the real UI in headless Chromium against the browser preview and the
// real Engine in practice mode. Phone numbers' last two digits choose each simulated outcome.

const EXPECTED: Record<string, { status: string; label: string; confirmation: string }> = {
  'Maria Delgado': { status: 'completed', label: 'Answered', confirmation: 'Confirmed' }, // …00 presses 1
  "James O'Connor": { status: 'completed', label: 'Answered', confirmation: 'Cancelled' }, // …01 presses 2
  'Priya Raman': { status: 'completed', label: 'Answered', confirmation: '—' }, // …02 no key
  'Thomas Becker': { status: 'completed', label: 'Voicemail', confirmation: '—' }, // …03 machine
  'Aisha Bello': { status: 'busy', label: 'Busy', confirmation: '—' }, // …04
  'Kenji Watanabe': { status: 'no-answer', label: 'No answer', confirmation: '—' }, // …05
  'Sofia Rossi': { status: 'failed', label: 'Failed', confirmation: '—' }, // …06
  'Daniel Okafor': { status: 'failed', label: 'Not placed', confirmation: '—' }, // …07 refused at creation
};
/** The sample file's numbers, national digits only. */
const SAMPLE_PHONE_DIGITS = ['2125550100', '6175550101', '3125550102', '4155550103', '2065550104', '3035550105', '5125550106', '4045550107'];

/**
 * Masking check that any formatting would fail: separators are dropped ("(212) 555-0100", "+1 212 555 0100" and
 * "+12125550100" all become digit runs) and no 7 consecutive digits of any sample number may remain.
 */
function expectNoPhoneDigits(text: string | null): void {
  const compact = (text ?? '').replace(/[\s().+-]/g, '');
  for (const phone of SAMPLE_PHONE_DIGITS) {
    for (let i = 0; i + 7 <= phone.length; i += 1) expect(compact, `digits of the number ending ${phone.slice(-4)}`).not.toContain(phone.slice(i, i + 7));
  }
}

/** Posts a status callback with a made-up signature to the practice engine's callback server. */
async function postBadlySignedCallback(handlers: ApiHandlers): Promise<void> {
  const { statusCallbackUrl } = await handlers['connection/status']({});
  expect(statusCallbackUrl, 'practice mode should have a loopback callback URL').toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const response = await fetch(statusCallbackUrl as string, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'bm90LWEtcmVhbC1zaWduYXR1cmU=' },
    body: new URLSearchParams({ CallSid: 'CA00000000000000000000000000000000', AccountSid: 'AC00000000000000000000000000000000', CallStatus: 'completed', SequenceNumber: '3' }),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  expect(response.status).toBeGreaterThanOrEqual(400);
}

const LIVE_STATES = new Set(['dialing', 'queued', 'initiated', 'ringing', 'in-progress']);
const FINAL_STATES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

// The page-side globals these tests touch, declared for this module only: the Node test project has no DOM
// types, and the page's CSP forbids string evaluation, so page code is passed as real functions.
interface PageElement {
  dataset: Record<string, string | undefined>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>; body: unknown };
declare const window: { __statusHistory?: Record<string, string[]>; __sameDocument?: string };
declare const MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };

/** Records every value each status chip shows, as React commits it (a MutationObserver sees each render). */
async function recordChipHistory(page: Page): Promise<void> {
  await page.evaluate(() => {
    const history: Record<string, string[]> = {};
    const snapshot = () => {
      for (const chip of document.querySelectorAll('[data-testid^="call-status-"]')) {
        const seen = (history[chip.dataset.testid ?? ''] ??= []);
        if (seen[seen.length - 1] !== chip.dataset.status) seen.push(chip.dataset.status ?? '');
      }
    };
    snapshot();
    new MutationObserver(snapshot).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    window.__statusHistory = history;
  });
}

async function rowChip(page: Page, name: string) {
  const row = page.locator(`[data-testid^="appointment-row-"][data-name="${name.replace(/"/g, '\\"')}"]`);
  return row.locator('[data-testid^="call-status-"]');
}

describe('Reminder Desk in the browser preview (practice mode)', () => {
  const browser = useBrowser();

  it('walks a first-time user through practice mode with a live test call', async () => {
    await withApp(
      browser(),
      'practice-wizard',
      async ({ page, handlers }) => {
        await page.getByTestId('setup-wizard').waitFor();
        await screenshot(page, '01-wizard-welcome');

        await page.getByRole('button', { name: /Try practice mode/ }).click();
        await page.getByTestId('test-call-step').waitFor();
        await page.getByTestId('simulated-banner').waitFor();
        expect(await page.getByTestId('simulated-banner').textContent()).toContain('SIMULATED');

        await page.getByTestId('test-call-button').click();
        // initiated → ringing → answered → completed, each pushed by the engine while the page stays put.
        for (const stage of ['initiated', 'ringing', 'answered', 'completed']) {
          await page.locator(`[data-testid="stage-${stage}"][data-reached="true"]`).waitFor({ timeout: WAIT_MS });
        }
        expect(await page.getByTestId('test-call-status').getAttribute('data-status')).toBe('completed');
        await screenshot(page, '02-wizard-test-call');

        // "Call again" follows the NEW call to its end (the old attempt id must not filter its updates out).
        const firstAttempt = await page.getByTestId('test-call-progress').getAttribute('data-attempt');
        await page.getByRole('button', { name: 'Call again' }).click();
        const second = page.locator(`[data-testid="test-call-progress"]:not([data-attempt="${firstAttempt}"])`);
        await second.locator('[data-testid="stage-completed"][data-reached="true"]').waitFor({ timeout: WAIT_MS });
        expect(await second.getByTestId('test-call-status').getAttribute('data-status')).toBe('completed');

        await page.getByTestId('finish-setup').click();
        await page.getByTestId('appointments-scroll').waitFor();
        // The practice call is not a patient: the board is still empty (and "select all" can't catch it).
        await page.getByTestId('appointments-empty').waitFor();
        await page.getByTestId('simulated-banner').waitFor();
        const state = await handlers['app/get-state']({});
        expect(state).toMatchObject({ setupComplete: true, practiceMode: true });
      },
      { ready: false },
    );
  });

  it('imports the sample file through the file chooser and lists every row error with its line', async () => {
    await withApp(browser(), 'import', async ({ page, dataDir }) => {
      await page.getByTestId('appointments-empty').waitFor();
      await importThroughChooser(page, SAMPLE_CSV);
      expect(await page.getByTestId('import-inserted').textContent()).toBe('8 new');
      expect(await page.getByTestId('import-error-count').textContent()).toBe('0 rows need attention');
      await page.getByText('8 of 8 appointments shown').waitFor();
      for (const name of Object.keys(EXPECTED)) await page.locator(`[data-name="${name}"]`).waitFor();
      // Phones are masked on the board: the number never reaches the screen, in any formatting.
      const board = await page.locator('[data-testid="appointments-scroll"]').textContent();
      expect(board).toContain('+1•••••••0100');
      expectNoPhoneDigits(board);
      await screenshot(page, '03-appointments-imported');

      const broken = path.join(dataDir, 'broken.csv');
      fs.writeFileSync(
        broken,
        ['name,phone_number,appointment_date', 'Ok Person,(212) 555-0188,2026-11-27 09:00', 'Bad Phone,12,2026-11-27 09:30', 'Bad Date,(212) 555-0189,someday'].join('\n'),
      );
      await importThroughChooser(page, broken);
      await page.getByTestId('import-errors').waitFor();
      const errorLines = await page.locator('[data-testid="import-errors"] tbody tr td:first-child').allTextContents();
      expect(errorLines).toEqual(['3', '4']);
      expect(await page.getByTestId('import-inserted').textContent()).toBe('1 new');
      await screenshot(page, '04-import-row-errors');
    });
  });

  it('runs a batch: chips change live without a reload, the timeline shows the events, the CSV exports', async () => {
    await withApp(browser(), 'batch', async ({ page, dataDir }) => {
      await page.getByTestId('appointments-empty').waitFor();
      // The sample's own dates have passed by now; a past appointment is never called.
      await importThroughChooser(page, writeFutureSample(dataDir).file);
      await page.getByRole('button', { name: 'Close' }).first().click();
      await recordChipHistory(page);
      await page.evaluate(() => {
        window.__sameDocument = 'still-here';
      });
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });

      await page.getByTestId('select-all').check();
      await page.getByTestId('call-selected').click();
      await page.getByTestId('batch-confirm-confirm').click();
      await page.getByTestId('batch-strip').waitFor();
      // A live state on screen, then every chip final — all by push.
      await page.waitForFunction((live) => [...document.querySelectorAll('[data-testid^="call-status-"]')].some((c) => live.includes(c.dataset.status ?? '')), [...LIVE_STATES], {
        timeout: WAIT_MS,
      });
      await screenshot(page, '05-appointments-calling');
      await page.waitForFunction(
        () => {
          const chips = [...document.querySelectorAll('[data-testid^="call-status-"]')];
          return chips.length === 8 && chips.every((c) => c.dataset.final === 'true');
        },
        undefined,
        { timeout: WAIT_MS },
      );

      expect(navigations).toBe(0);
      expect(await page.evaluate(() => window.__sameDocument)).toBe('still-here');
      const history = (await page.evaluate(() => window.__statusHistory)) ?? {};
      const placedChips = Object.values(history).filter((seen) => seen.some((s) => LIVE_STATES.has(s)));
      expect(placedChips.length).toBeGreaterThan(0);
      for (const seen of placedChips) {
        const firstLive = seen.findIndex((s) => LIVE_STATES.has(s));
        const lastState = seen[seen.length - 1] ?? '';
        expect(FINAL_STATES.has(lastState), `history ${seen.join(' → ')}`).toBe(true);
        expect(firstLive).toBeLessThan(seen.length - 1);
      }

      for (const [name, expected] of Object.entries(EXPECTED)) {
        const chip = await rowChip(page, name);
        expect(await chip.getAttribute('data-status'), name).toBe(expected.status);
        expect((await chip.textContent())?.trim(), name).toBe(expected.label);
        const row = page.locator(`[data-name="${name}"]`);
        expect(await row.locator('[data-testid^="confirmation-"]').textContent(), name).toBe(expected.confirmation);
      }
      await page.getByText('8 of 8 calls ended', { exact: false }).first().waitFor();
      await screenshot(page, '06-appointments-done');

      // The timeline of Maria's call: every event, in SequenceNumber order, from Twilio's callbacks.
      await page.getByRole('button', { name: 'Maria Delgado' }).click();
      await page.getByTestId('timeline-panel').waitFor();
      await page.locator('[data-testid="timeline-event"][data-status="completed"]').waitFor();
      const events = page.getByTestId('timeline-event');
      const statuses = await events.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      const order = ['initiated', 'ringing', 'in-progress', 'completed'];
      expect(statuses.filter((s) => order.includes(s ?? ''))).toEqual(order);
      expect(await events.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source')))).toContain('callback');
      const sequenceNumbers = (await events.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sequence')))).filter((s) => s !== '').map(Number);
      expect(sequenceNumbers.length).toBeGreaterThan(0);
      expect(sequenceNumbers).toEqual([...sequenceNumbers].sort((a, b) => a - b));
      // Staff see plain steps; how each status arrived and Twilio's own terms wait under "Technical details".
      await page.getByTestId('call-technical').first().locator('summary').click();
      const callbackCell = page.locator('[data-testid="technical-event"] td:nth-child(3)', { hasText: 'From Twilio (live)' }).first();
      expect(await callbackCell.getAttribute('title')).toBe('Source: callback');
      const panel = await page.getByTestId('timeline-panel').textContent();
      expect(panel).toMatch(/Twilio call ID CA[0-9a-f]{32}/);
      await screenshot(page, '07-call-timeline');

      // Batches: finished, with the outcome chart, and the CSV export in the engine's batch-log format.
      await page.getByRole('button', { name: 'Batches', exact: true }).click();
      await page.locator('[data-testid="batch-detail"][data-state="completed"]').waitFor();
      await page.getByTestId('outcome-chart').waitFor();
      await screenshot(page, '08-batch-finished');

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.getByTestId('export-csv').click()]);
      expect(download.suggestedFilename()).toMatch(/^reminder-log-.+\.csv$/);
      const file = await download.path();
      const records = parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(records).toHaveLength(8);
      for (const column of ['batch_id', 'timestamp', 'name', 'phone_number', 'appointment_date', 'location', 'call_answered', 'call_status', 'call_duration_seconds', 'call_duration_formatted', 'call_id', 'error_message']) {
        expect(Object.keys(records[0] ?? {})).toContain(column);
      }
      for (const record of records) {
        const expected = EXPECTED[record.name ?? ''];
        expect(expected, `unexpected row ${record.name}`).toBeDefined();
        expect(record.call_status, record.name).toBe(expected?.status);
      }
      const maria = records.find((r) => r.name === 'Maria Delgado');
      expect(maria?.call_id).toMatch(/^CA[0-9a-f]{32}$/);
      expect(records.find((r) => r.name === 'Daniel Okafor')?.error_message).not.toBe('');
    });
  });

  it('raises an alert on every screen when a callback with a bad signature is refused', async () => {
    await withApp(browser(), 'rejected-signature', async ({ page, handlers }) => {
      await page.getByTestId('appointments-scroll').waitFor();
      expect(await page.getByTestId('callback-rejected-alert').count()).toBe(0);
      await postBadlySignedCallback(handlers);

      const alert = page.getByTestId('callback-rejected-alert');
      await alert.waitFor({ timeout: WAIT_MS });
      expect(await alert.textContent()).toContain('1 call status update was refused');
      // The practice simulator has no Twilio account: Auth Token advice would send staff looking for one.
      const advice = await alert.getByTestId('rejection-advice').textContent();
      expect(advice).toContain('practice mode');
      expect(advice).not.toContain('Auth Token');
      await screenshot(page, '09-rejected-signature-alert');

      await alert.getByRole('button', { name: 'Open Connection' }).click();
      await page.getByTestId('connection-panel').waitFor();
      await page.locator('[data-testid="rejected-count"]', { hasText: /^[1-9]/ }).waitFor();
      expect(await page.getByTestId('rejected-count').textContent()).not.toContain('Auth Token');
      // The simulator's loopback address is not presented as a public one.
      expect(await page.getByTestId('simulator-address').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(await page.getByTestId('connection-panel').textContent()).not.toContain('Public address');
      await page.getByTestId('self-test').click();
      await page.getByTestId('self-test-result').waitFor();
      await screenshot(page, '10-connection');
    });
  });

  it('catches up with a refusal pushed before the event stream connected', async () => {
    // The page's event stream is held back until the refusal has happened, so it is never pushed: only the
    // resync when the stream opens can raise the alert.
    let releaseStream = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      releaseStream = resolve;
    });
    let streamAsked = (): void => undefined;
    const asked = new Promise<void>((resolve) => {
      streamAsked = resolve;
    });
    try {
      await withApp(
        browser(),
        'rejected-before-stream',
        async ({ page, handlers }) => {
          await page.getByTestId('appointments-scroll').waitFor();
          // The window's first look at the connection (the banner's baseline) is in, and the stream was asked for.
          await page.locator('[data-testid="connection-summary"]', { hasNotText: 'Checking connection' }).waitFor();
          await asked;
          await postBadlySignedCallback(handlers);
          expect(await page.getByTestId('callback-rejected-alert').count()).toBe(0);

          releaseStream();
          const alert = page.getByTestId('callback-rejected-alert');
          await alert.waitFor({ timeout: WAIT_MS });
          expect(await alert.textContent()).toContain('1 call status update was refused');
        },
        {
          beforeLoad: async (page) => {
            await page.route(
              (url) => url.pathname === '/api/events',
              async (route) => {
                streamAsked();
                await held;
                await route.continue();
              },
            );
          },
        },
      );
    } finally {
      releaseStream();
    }
  });

  it('leaves practice mode for a real Twilio account, after a confirmation, and opens the setup again', async () => {
    await withApp(browser(), 'leave-practice', async ({ page, handlers }) => {
      await page.getByTestId('simulated-banner').waitFor();
      await page.getByRole('button', { name: 'Connection', exact: true }).click();
      await page.getByTestId('leave-practice-button').click();
      await page.getByTestId('leave-practice-confirm').waitFor();
      expect(await page.getByTestId('leave-practice').textContent()).toContain('practice data never appears in real work');
      await page.getByTestId('practice-data-summary').getByText(/practice appointments?/).waitFor();
      await screenshot(page, '12-leave-practice-confirm');

      await page.getByTestId('leave-practice-confirm').click();
      await page.getByTestId('setup-wizard').waitFor();
      await page.getByRole('button', { name: /Connect my Twilio account/ }).waitFor();
      expect(await page.getByTestId('simulated-banner').count()).toBe(0);
      expect(await handlers['app/get-state']({})).toMatchObject({ practiceMode: false, setupComplete: false });
      expect((await handlers['connection/status']({})).simulated).toBe(false);
      // Real work starts from the real data: nothing practised shows up.
      expect(await handlers['appointments/list']({})).toEqual([]);
    });
  });

  it('keeps only a screenful of rows in the page for 10,000 appointments and scrolls to the last one', async () => {
    await withApp(browser(), 'ten-thousand', async ({ page, dataDir }) => {
      const lines = ['id,name,phone_number,appointment_date'];
      for (let i = 0; i < 10_000; i += 1) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        lines.push(`B-${i},Patient ${String(i).padStart(5, '0')},+1212555${String(i % 10_000).padStart(4, '0')},2026-12-${day} ${String(8 + (i % 9)).padStart(2, '0')}:00`);
      }
      const big = path.join(dataDir, 'ten-thousand.csv');
      fs.writeFileSync(big, lines.join('\n'));
      await page.getByTestId('appointments-empty').waitFor();
      await importThroughChooser(page, big);
      expect(await page.getByTestId('import-inserted').textContent()).toBe('10000 new');
      await page.getByText('10,000 of 10,000 appointments shown').waitFor();
      // Virtualised: the DOM holds the visible rows plus overscan, never 10,000.
      expect(await page.locator('[data-testid^="appointment-row-"]').count()).toBeLessThan(100);
      await page.getByTestId('appointments-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      // The header is row 1, so the 10,000th appointment is row 10,001 (rows are in appointment-time order).
      await page.locator('[data-testid^="appointment-row-"][aria-rowindex="10001"]').waitFor();
      await page.getByTestId('filter-search').fill('Patient 04242');
      await page.getByText('1 of 10,000 appointments shown').waitFor();
      await page.locator('[data-name="Patient 04242"]').waitFor();
    });
  });

  it('shows the settings with a live preview of the spoken message', async () => {
    await withApp(browser(), 'settings', async ({ page }) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      const template = page.getByTestId('message-template');
      await template.waitFor();
      await template.fill('Hello {name}, this is Main Street Clinic calling about {appointment_date}. Press 1 to confirm.');
      await page.getByTestId('message-preview').getByText(/^“Hello (?!\{name\})/).waitFor();
      expect(await page.getByTestId('message-preview').textContent()).not.toContain('{name}');
      await page.getByText('Retries of patients not reached').waitFor();
      await screenshot(page, '11-settings');

      // A refused value is explained with the labels on screen, not the settings file's key or the validator's words.
      await page.getByLabel('Not before').fill('20:00');
      await page.getByLabel('Not after').fill('08:00');
      await page.getByRole('button', { name: 'Save settings' }).click();
      const error = await page.getByTestId('settings-error').textContent();
      expect(error).toContain('“Not before” has to be earlier than “Not after”');
    });
  });
});
