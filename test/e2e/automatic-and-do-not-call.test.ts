import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WAIT_MS, importThroughChooser, screenshotBothSizes, withApp, useBrowser } from './harness';

// Issue 10's screens through the real UI (browser preview, practice engine): the "Automatic reminders" switch with
// its "Next: …" line, the Do-not-call screen, and the settings screen's language previews.

const tmpDirs: string[] = [];

/** Two appointments 30 and 80 hours from now (UTC wall clock, the engine's zone in these tests). */
function upcomingCsv(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-e2e-auto-'));
  tmpDirs.push(dir);
  const at = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  const file = path.join(dir, 'upcoming.csv');
  fs.writeFileSync(file, `name,phone_number,appointment_date,location\nAnn Upcoming,(212) 555-0100,${at(30)},Main Street Clinic\nBo Later,(212) 555-0101,${at(80)},Main Street Clinic\n`);
  return file;
}

describe('automatic reminders, do-not-call and languages in the UI', () => {
  const browser = useBrowser();
  afterAll(() => {
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the switch shows what it will do next and turns on in practice mode', async () => {
    await withApp(browser(), 'automatic-switch', async ({ page, engine }) => {
      await importThroughChooser(page, upcomingCsv());
      const bar = page.getByTestId('automatic-bar');
      await expect.poll(() => bar.textContent(), { timeout: WAIT_MS }).toMatch(/Automatic reminders off/);
      await expect.poll(() => page.getByTestId('automatic-next').textContent(), { timeout: WAIT_MS }).toMatch(/Off\. When on: next: 1 reminder (at|on) /);
      await page.getByText('Automatic reminders off').click();
      await expect.poll(() => page.getByTestId('automatic-next').textContent(), { timeout: WAIT_MS }).toMatch(/^Next: 1 reminder (at|on) .*\d:\d\d (AM|PM)$/);
      expect(await page.getByTestId('automatic-switch').isChecked()).toBe(true);
      expect(engine.batches.automatic.isOn()).toBe(true);
      await screenshotBothSizes(page, 'automatic-reminders-on');
    });
  }, 90_000);

  it('the Do-not-call screen adds and removes numbers, and refuses a bad one', async () => {
    await withApp(browser(), 'do-not-call-screen', async ({ page, handlers }) => {
      await page.getByRole('button', { name: 'Do not call' }).click();
      await page.getByTestId('dnc-number').fill('(212) 555-0111');
      await page.getByLabel('Reason (optional)').fill('Asked at the front desk');
      await page.getByTestId('dnc-add').click();
      await expect.poll(() => page.getByTestId('dnc-row').count(), { timeout: WAIT_MS }).toBe(1);
      expect(await page.getByTestId('dnc-row').first().textContent()).toContain('+12125550111');
      expect(await handlers['do-not-call/list']({})).toEqual([expect.objectContaining({ phoneNumber: '+12125550111', source: 'staff' })]);
      await page.getByTestId('dnc-number').fill('12');
      await page.getByTestId('dnc-number').fill('555');
      await page.getByTestId('dnc-add').click();
      await page.getByRole('alert').waitFor({ timeout: WAIT_MS });
      await handlers['do-not-call/add']({ number: '+16175550101', reason: 'pressed 9' });
      await page.getByRole('button', { name: 'Batches', exact: true }).click();
      await page.getByRole('button', { name: 'Do not call' }).click();
      await expect.poll(() => page.getByTestId('dnc-row').count(), { timeout: WAIT_MS }).toBe(2);
      await screenshotBothSizes(page, 'do-not-call-screen');
      await page.getByTestId('dnc-row').filter({ hasText: '+12125550111' }).getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => page.getByTestId('dnc-row').count(), { timeout: WAIT_MS }).toBe(1);
    });
  }, 90_000);

  it('settings preview each configured language', async () => {
    await withApp(
      browser(),
      'language-previews',
      async ({ page }) => {
        await page.getByRole('button', { name: 'Settings' }).click();
        await expect.poll(() => page.getByTestId('language-preview').count(), { timeout: WAIT_MS }).toBe(2);
        expect(await page.locator('[data-language="es"]').textContent()).toMatch(/voice Polly\.Lupe.*Hola Maria/);
        expect(await page.locator('[data-language="en"]').textContent()).toMatch(/Hello Maria\. This is a reminder of your appointment on/);
        await page.getByTestId('language-previews').scrollIntoViewIfNeeded();
        await screenshotBothSizes(page, 'settings-language-previews');
      },
      {
        prepareDataDir: (dir) =>
          fs.appendFileSync(
            path.join(dir, 'settings.yaml'),
            'message:\n  templates:\n    es: "Hola {first_name}. Le recordamos su cita el {appointment_date} a las {appointment_time}{location_text}."\n  voices:\n    es: { voice: Polly.Lupe, language: es-US }\n',
          ),
      },
    );
  }, 90_000);
});
