import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotBothSizes, withApp, useBrowser } from './harness';

// Issue 12's two screens: the practice wizard offering the sample appointments the app ships, and the alert
// when the saved Twilio token can't be read on this computer any more. Screenshots at both laptop sizes.

describe('desktop shell screens (browser preview)', () => {
  const browser = useBrowser();

  it('the practice wizard loads the sample appointments onto the board', async () => {
    await withApp(
      browser(),
      'practice-sample',
      async ({ page, handlers }) => {
        await page.getByRole('button', { name: /Try practice mode/ }).click();
        await page.getByTestId('practice-sample').waitFor();
        await page.getByTestId('load-sample').click();
        await page.getByTestId('sample-loaded').waitFor();
        expect(await page.getByTestId('sample-loaded').textContent()).toBe('8 sample appointments added to the board.');
        await page.getByTestId('sample-loaded').scrollIntoViewIfNeeded();
        await screenshotBothSizes(page, '13-wizard-practice-sample');

        await page.getByTestId('load-sample').click();
        await page.getByText('The 8 sample appointments are already on the board.').waitFor();

        await page.getByTestId('finish-setup').click();
        await page.getByTestId('appointments-scroll').waitFor();
        await page.getByText('Maria Delgado').waitFor();
        expect(await handlers['appointments/list']({})).toHaveLength(8);
      },
      { ready: false },
    );
  });

  it("says when the saved Twilio token can't be read any more, and opens the setup to enter it again", async () => {
    await withApp(
      browser(),
      'secret-problem',
      async ({ page, handlers }) => {
        const alert = page.getByTestId('secret-problem');
        await alert.waitFor();
        expect(await alert.textContent()).toContain("the saved Twilio token can't be read on this computer any more — enter it again");
        await screenshotBothSizes(page, '14-secret-unreadable');
        expect(await handlers['app/get-state']({})).toMatchObject({ secretProblem: "the saved Twilio token can't be read on this computer any more — enter it again" });

        await page.getByTestId('reenter-secret').click();
        await page.getByTestId('setup-wizard').waitFor();
        await page.getByRole('button', { name: /Connect my Twilio account/ }).waitFor();
      },
      {
        ready: false,
        setUpForRealCalls: true,
        // Written through the OS keychain on an earlier launch; this launch has none (the preview's store has no cipher).
        prepareDataDir: (dir) =>
          fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ TWILIO_AUTH_TOKEN: { encryption: 'os', data: Buffer.from('v10 sealed').toString('base64') } })),
      },
    );
  });
});
