import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../src-main/core/api/contract';
import { WAIT_MS, importThroughChooser, sampleEveClock, screenshotBothSizes, withApp, writeFutureSample, useBrowser } from './harness';

// Issue 8, "Safe and plain for front-desk staff", point by point through the real UI in headless Chromium
// (practice mode, the built-in simulator). Each test writes its screens at 1366×800 and 1024×700 into
// test-results/screenshots/. The sample's last two phone digits pick each simulated outcome:
// Maria confirms, James cancels, Priya answers without a key, Thomas's voicemail answers, Aisha is busy,
// Kenji doesn't answer, Sofia's call fails, Daniel's number is refused at creation.

/** Each test walks several screens and writes screenshots at two sizes: more than vitest's default 20 s. */
const TEST_MS = 90_000;

// Page-side globals (the Node test project has no DOM types; page code is passed as real functions).
interface PageElement {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>; activeElement: PageElement | null };

async function importFuture(page: Page, dataDir: string): Promise<[string, string]> {
  const { file, days } = writeFutureSample(dataDir);
  await page.getByTestId('appointments-empty').waitFor();
  await importThroughChooser(page, file);
  await page.getByText('8 of 8 appointments shown').waitFor();
  await page.getByTestId('import-summary').getByRole('button', { name: 'Close' }).click();
  return days;
}

async function waitAllFinal(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const chips = [...document.querySelectorAll('[data-testid^="call-status-"]')];
      return chips.length === n && chips.every((c) => c.dataset.final === 'true');
    },
    count,
    { timeout: WAIT_MS },
  );
}

/** Batches the engine holds, with the number of calls each made (skipped ones excluded). */
async function batchCount(handlers: ApiHandlers): Promise<number> {
  return (await handlers['batches/list']({})).length;
}

async function runWholeSample(page: Page): Promise<void> {
  await page.getByTestId('select-all').check();
  await page.getByTestId('call-selected').click();
  await page.getByTestId('batch-confirm').waitFor();
  await page.getByTestId('batch-confirm-confirm').click();
  await waitAllFinal(page, 8);
  await page.locator('[data-testid="batch-strip"][data-phase="done"]').waitFor({ timeout: WAIT_MS });
}

function rowLocator(page: Page, name: string) {
  return page.locator(`[data-testid^="appointment-row-"][data-name="${name.replace(/"/g, '\\"')}"]`);
}

describe('Issue 8: safe and plain for front-desk staff (browser preview, practice mode)', () => {
  const browser = useBrowser();

  it('1. asks before any batch, skips the already reminded, re-calls only patients ticked one by one', async () => {
    await withApp(browser(), 'i8-confirm-batch', async ({ page, handlers, dataDir }) => {
      const [firstDay] = await importFuture(page, dataDir);

      // The confirmation: who, how many, from which number, in which mode. Esc walks away without dialling.
      await page.getByTestId('select-all').check();
      await page.getByTestId('call-selected').click();
      const dialog = page.getByTestId('batch-confirm');
      await dialog.waitFor();
      expect(await page.getByTestId('plan-to-call').textContent()).toBe('8 patients will be called');
      expect(await page.getByTestId('plan-mode').textContent()).toContain('Practice');
      expect((await page.getByTestId('plan-from').textContent())?.trim()).not.toBe('');
      // The safe button has the focus: Enter never dials by accident.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('batch-confirm-cancel');
      await screenshotBothSizes(page, 'i8-1-confirm-first-batch');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await batchCount(handlers)).toBe(0);

      await page.getByTestId('call-selected').click();
      await page.getByTestId('batch-confirm-confirm').click();
      await waitAllFinal(page, 8);
      await page.locator('[data-testid="batch-strip"][data-phase="done"]').waitFor();

      // The same day again: only the not-reached patient (Aisha, busy) is called; the others are listed with why.
      await page.getByTestId('filter-day').selectOption(firstDay);
      await page.getByTestId('call-day').click();
      await dialog.waitFor();
      expect(await page.getByTestId('plan-to-call').textContent()).toBe('1 patient will be called');
      expect(await page.getByTestId('plan-skipped').textContent()).toContain('4 patients will not be called');
      expect(await page.locator('[data-testid="plan-skip-reasons"] li[data-reason="already-reminded"]').textContent()).toContain('Already reminded: 4');
      // Calling an already-reminded patient again is one explicit tick per patient.
      const priya = await rowLocator(page, 'Priya Raman').getAttribute('data-testid');
      const priyaId = Number(priya?.replace('appointment-row-', ''));
      await page.getByTestId(`call-again-${priyaId}`).check();
      expect(await page.getByTestId('plan-to-call').textContent()).toBe('2 patients will be called');
      await screenshotBothSizes(page, 'i8-1-confirm-second-batch-call-again');
      await page.getByTestId('batch-confirm-confirm').click();
      await dialog.waitFor({ state: 'detached' });
      // Both batches' strips, each finished (the first stays on screen until hidden).
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-strip"][data-phase="done"]').length === 2, undefined, { timeout: WAIT_MS });
      await waitAllFinal(page, 5); // the board shows the chosen day
      await screenshotBothSizes(page, 'i8-1-second-batch-done');

      // Maria was called once, Priya and Aisha twice: nobody else was rung again.
      const timelines = await Promise.all(
        ['Maria Delgado', 'Priya Raman', 'Aisha Bello', 'Thomas Becker'].map(async (name) => {
          const id = Number((await rowLocator(page, name).getAttribute('data-testid'))?.replace('appointment-row-', ''));
          const timeline = await handlers['appointments/timeline']({ appointmentId: id });
          return timeline.calls.filter((c) => c.attempt.status !== 'skipped').length;
        }),
      );
      expect(timelines).toEqual([1, 2, 2, 1]);
    });
  }, TEST_MS);

  it('1. skips a past appointment with its reason, and a second batch while one runs asks first; every running batch is shown', async () => {
    await withApp(browser(), 'i8-second-batch', async ({ page, handlers, dataDir }) => {
      const { file } = writeFutureSample(dataDir);
      // One appointment yesterday, with the sample's others in the future.
      const yesterday = new Date(sampleEveClock() - 86_400_000);
      const past = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')} 10:00`;
      fs.appendFileSync(file, `\nA-0999,Past Patient,(212) 555-0198,${past},,Main Street Clinic\n`);
      await page.getByTestId('appointments-empty').waitFor();
      await importThroughChooser(page, file);
      await page.getByText('9 of 9 appointments shown').waitFor();
      await page.getByTestId('import-summary').getByRole('button', { name: 'Close' }).click();

      // Slow pacing keeps the first batch dialling while the second is asked for.
      await handlers['settings/update']({ callsPerSecond: 0.5 });
      // "p": Priya Raman and the past patient.
      await page.getByTestId('filter-search').fill('p');
      await page.getByText('2 of 9 appointments shown').waitFor();
      await page.getByTestId('select-all').check();
      await page.getByTestId('call-selected').click();
      await page.getByTestId('batch-confirm').waitFor();
      await page.locator('[data-testid="plan-skip-reasons"] li[data-reason="appointment-passed"]').waitFor();
      expect(await page.getByTestId('plan-skip-list').textContent()).toContain('Past Patient');
      await screenshotBothSizes(page, 'i8-1-confirm-past-appointment');
      await page.getByTestId('batch-confirm-confirm').click();
      await page.getByTestId('batch-strip').first().waitFor();

      await page.getByTestId('filter-search').fill('Kenji');
      await page.getByText('1 of 9 appointments shown').waitFor();
      await rowLocator(page, 'Kenji Watanabe').getByRole('checkbox').check();
      await page.getByTestId('call-selected').click();
      await page.getByTestId('plan-running').waitFor();
      expect(await page.getByTestId('plan-running').textContent()).toContain('still calling');
      expect(await page.getByTestId('batch-confirm-confirm').textContent()).toContain('Start alongside');
      await screenshotBothSizes(page, 'i8-1-second-batch-asks');
      await page.getByTestId('batch-confirm-confirm').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-strip"]').length === 2, undefined, { timeout: WAIT_MS });
      await screenshotBothSizes(page, 'i8-1-two-batches-running');
    });
  }, TEST_MS);

  it('2. leaving practice mode says what happens to the practice data, and real work starts from the real data', async () => {
    await withApp(browser(), 'i8-practice-apart', async ({ page, handlers, dataDir }) => {
      await importFuture(page, dataDir);
      await runWholeSample(page);
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByTestId('leave-practice-button').click();
      const summary = page.getByTestId('practice-data-summary');
      await summary.getByText('8 practice appointments').waitFor();
      expect(await summary.textContent()).toMatch(/1 batch\b/);
      expect(await page.getByTestId('leave-practice').textContent()).toContain('practice data never appears in real work');
      await screenshotBothSizes(page, 'i8-2-leave-practice', page.getByTestId('leave-practice'));
      await page.getByTestId('leave-practice-confirm').click();
      await page.getByTestId('setup-wizard').waitFor();
      // Real mode: none of the practice appointments or batches are there.
      expect(await handlers['appointments/list']({})).toEqual([]);
      expect(await handlers['batches/list']({})).toEqual([]);
    });
  }, TEST_MS);

  it('3. cancel asks first; calls on the line stay in progress; counts say "not called (batch cancelled)"; the chart shows outcomes only', async () => {
    await withApp(browser(), 'i8-cancel', async ({ page, handlers, dataDir }) => {
      await importFuture(page, dataDir);
      await handlers['settings/update']({ callsPerSecond: 0.5 });
      await page.getByTestId('select-all').check();
      await page.getByTestId('call-selected').click();
      await page.getByTestId('batch-confirm-confirm').click();
      await page.getByTestId('batch-strip').waitFor();
      await page.getByRole('button', { name: 'Open batch' }).click();
      await page.locator('[data-testid="batch-detail"][data-phase="calling"]').waitFor();

      // Paused: no time estimate.
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.locator('[data-testid="batch-detail"][data-phase="paused"]').waitFor();
      expect(await page.getByTestId('batch-finished').textContent()).not.toMatch(/left/);
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.locator('[data-testid="batch-detail"][data-phase="calling"]').waitFor();

      await page.getByTestId('cancel-batch').click();
      const confirm = page.getByTestId('cancel-confirm');
      await confirm.waitFor();
      expect(await confirm.textContent()).toMatch(/not dialled yet will not be called/);
      await screenshotBothSizes(page, 'i8-3-cancel-asks');
      await page.getByTestId('cancel-confirm-cancel').click();
      await confirm.waitFor({ state: 'detached' });
      expect((await handlers['batches/list']({}))[0]?.state).not.toBe('cancelled');

      await page.getByTestId('cancel-batch').click();
      await page.getByTestId('cancel-confirm-confirm').click();
      await page.locator('[data-testid="batch-detail"][data-state="cancelled"]').waitFor();
      await page.locator('[data-testid="batch-detail"][data-phase="done"]').waitFor({ timeout: WAIT_MS });
      const line = await page.getByTestId('batch-finished').textContent();
      expect(line).toMatch(/\d+ not called \(batch cancelled\)/);
      expect(line).not.toMatch(/8 of 8/);
      await page.getByTestId('outcome-chart').waitFor();
      const chart = (await page.getByTestId('outcome-chart').getAttribute('aria-label')) ?? '';
      expect(chart).not.toMatch(/Ringing|On the line|Calling|Queued/);
      await screenshotBothSizes(page, 'i8-3-cancelled');
    });
  }, TEST_MS);

  it('4. errors read as plain sentences with the raw detail behind "Details"; jargon sits under technical details; the patient detail has the full number', async () => {
    await withApp(browser(), 'i8-plain-words', async ({ page, dataDir }) => {
      await page.getByTestId('appointments-empty').waitFor();
      const fake = path.join(dataDir, 'not-really.xlsx');
      fs.writeFileSync(fake, 'this is not a workbook at all');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-button').click()]);
      await chooser.setFiles(fake);
      const error = page.getByTestId('import-error');
      await error.waitFor();
      const sentence = await error.locator('.error-sentence').textContent();
      expect(sentence).toMatch(/Excel|CSV/);
      expect(sentence).not.toMatch(/JSZip|github|stuk/i);
      await error.getByText('Details').click();
      await screenshotBothSizes(page, 'i8-4-plain-error-details');

      await importFuture(page, dataDir);
      await runWholeSample(page);
      await page.getByRole('button', { name: 'Daniel Okafor' }).click();
      const panel = page.getByTestId('timeline-panel');
      await panel.waitFor();
      expect(await page.getByTestId('timeline-phone').textContent()).toBe('+14045550107');
      // Twilio's words are folded away until asked for.
      expect(await panel.getByText(/Twilio call ID/).isVisible()).toBe(false);
      const visibleText = await panel.evaluate((el) => (el as unknown as { innerText: string }).innerText);
      expect(visibleText).not.toMatch(/Twilio call ID|Source|callback|21211/);
      await screenshotBothSizes(page, 'i8-4-patient-detail');
    });
  }, TEST_MS);

  it('5. results per batch and per day, a printable needs-follow-up list with full numbers, batches named by day, the latest call labelled', async () => {
    await withApp(browser(), 'i8-results', async ({ page, dataDir }) => {
      const [firstDay] = await importFuture(page, dataDir);
      await runWholeSample(page);

      await page.getByRole('button', { name: 'Priya Raman' }).click();
      await page.locator('[data-testid="timeline-call"][data-latest="true"]').getByText('Latest call').waitFor();
      await page.getByTestId('timeline-close').click();

      await page.getByRole('button', { name: 'Batches', exact: true }).click();
      await page.getByTestId('outcome-tiles').waitFor();
      const tile = async (key: string) => (await page.getByTestId(`result-${key}`).locator('.result-n').textContent())?.trim();
      expect(await tile('confirmed')).toBe('1');
      expect(await tile('cancelled')).toBe('1');
      expect(await tile('reached')).toBe('1');
      expect(await tile('voicemail')).toBe('1');
      expect(await tile('not-reached')).toBe('4');
      // Named by the appointment days, not by when it started.
      expect(await page.getByTestId('batch-item').first().textContent()).not.toMatch(/^\w+ \d+, \d+:\d+/);
      const followUp = page.getByTestId('follow-up-row');
      expect(await followUp.count()).toBe(5); // James cancelled + 4 not reached
      expect(await page.getByTestId('follow-up-table').textContent()).toContain('+12065550104');
      await screenshotBothSizes(page, 'i8-5-batch-results');
      await page.emulateMedia({ media: 'print' });
      await screenshotBothSizes(page, 'i8-5-follow-up-print');
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('button', { name: 'Results', exact: true }).click();
      await page.getByTestId('results-view').waitFor();
      await page.getByTestId('results-day').selectOption(firstDay);
      await page.getByTestId('follow-up-table').waitFor();
      // The first day: James cancelled, Aisha busy.
      expect(await page.getByTestId('follow-up-row').count()).toBe(2);
      await screenshotBothSizes(page, 'i8-5-day-results');
    });
  }, TEST_MS);

  it('6. exports the batch and the follow-up list as an Excel file staff can open (phones as text, times as dates)', async () => {
    await withApp(browser(), 'i8-xlsx', async ({ page, dataDir }) => {
      await importFuture(page, dataDir);
      await runWholeSample(page);
      await page.getByRole('button', { name: 'Batches', exact: true }).click();
      await page.getByTestId('outcome-tiles').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0];
      expect(sheet).toBeDefined();
      const header = (sheet?.getRow(1).values as unknown[]).map(String);
      const phoneColumn = header.indexOf('phone_number');
      const dateColumn = header.indexOf('appointment_date');
      expect(phoneColumn).toBeGreaterThan(0);
      expect(typeof sheet?.getRow(2).getCell(phoneColumn).value).toBe('string');
      expect(sheet?.getRow(2).getCell(dateColumn).value).toBeInstanceOf(Date);

      const [followUp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('follow-up-xlsx').click()]);
      expect(followUp.suggestedFilename()).toMatch(/\.xlsx$/);
      const second = new ExcelJS.Workbook();
      await second.xlsx.readFile(await followUp.path());
      expect(second.worksheets[0]?.rowCount).toBeGreaterThanOrEqual(6); // header + 5 patients
    });
  }, TEST_MS);

  it('7. fits 1024×700, keeps the session on refresh, and the details: settings, drawer focus, header-only file, announcements', async () => {
    await withApp(browser(), 'i8-layout', async ({ page, dataDir }) => {
      await importFuture(page, dataDir);
      await runWholeSample(page);

      // Nothing on the board is cut off at the smallest window.
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.getByTestId('batch-strip').getByRole('button', { name: 'Hide' }).click();
      const clippedCells = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('.appt-row [role="cell"], .appt-row [role="columnheader"], .brand, .connection-pill, .nav-tab')]
            .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
            .map((cell) => cell.textContent),
        );
      expect(await clippedCells()).toEqual([]);
      await screenshotBothSizes(page, 'i8-7-board');

      // The drawer: focus moves in, Esc closes it, focus returns; the navigation stays uncovered.
      await page.setViewportSize({ width: 1024, height: 700 });
      const maria = page.getByRole('button', { name: 'Maria Delgado' });
      await maria.click();
      await page.getByTestId('timeline-panel').waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('timeline-heading');
      // The list keeps its patient, time, status and answer columns readable beside the drawer.
      expect(await clippedCells()).toEqual([]);
      const nav = await page.locator('.top-bar').boundingBox();
      const drawer = await page.getByTestId('timeline-panel').boundingBox();
      expect(drawer && nav && drawer.y >= nav.y + nav.height).toBe(true);
      await screenshotBothSizes(page, 'i8-7-drawer');
      await page.keyboard.press('Escape');
      await page.getByTestId('timeline-panel').waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Maria Delgado');

      // Status changes were announced politely.
      expect(await page.getByTestId('announcer').getAttribute('aria-live')).toBe('polite');
      expect(await page.getByTestId('announcer').textContent()).toMatch(/calls? ended/);

      // A header-only file is not a successful import.
      const headerOnly = path.join(dataDir, 'header-only.csv');
      fs.writeFileSync(headerOnly, 'name,phone_number,appointment_date\n');
      await importThroughChooser(page, headerOnly);
      await page.getByTestId('import-empty').waitFor();
      expect(await page.getByTestId('import-summary').textContent()).toContain('No appointments found');
      await screenshotBothSizes(page, 'i8-7-header-only');

      // Refresh keeps the session (the key stays with this tab, not in the address).
      await page.reload();
      await page.getByText('8 of 8 appointments shown').waitFor();
      expect(page.url()).not.toContain('token=');

      // Settings: a time-zone picker, the keypad prompt in the preview, number boxes that validate.
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByTestId('timezone').waitFor();
      expect(await page.getByTestId('timezone').locator('option').count()).toBeGreaterThan(100);
      await page.getByTestId('keypad-prompt').waitFor();
      expect(await page.getByTestId('keypad-prompt').textContent()).toContain('Press 1');
      const retries = page.getByTestId('max-retries');
      await retries.fill('');
      await page.getByTestId('number-maxRetries-problem').waitFor();
      expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
      await screenshotBothSizes(page, 'i8-7-settings-number');
      await retries.fill('2');
      expect(await page.getByTestId('number-maxRetries-problem').count()).toBe(0);
      // A refused save, then fixed: the error goes and Save works again.
      await page.getByLabel('Not before').fill('20:00');
      await page.getByLabel('Not after').fill('08:00');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByTestId('settings-error').waitFor();
      await page.getByLabel('Not before').fill('08:00');
      await page.getByLabel('Not after').fill('20:00');
      expect(await page.getByTestId('settings-error').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(false);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
    });
  }, TEST_MS);
});
