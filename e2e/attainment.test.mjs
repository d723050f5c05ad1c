import { after, before, describe, it } from 'node:test';
import { openBrowser, serviceLevelsUrl, signInAsGuest, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

// The demo backend's metric source backfills the demo services' windows
// seconds after start: checkout breaches its targets, storefront-web meets
// them (app-config.yaml, sla.demo.measurements).
describe('attainment in the portal', () => {
  it('shows a breached target on the checkout service page', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'attainment-breached', async () => {
      await page.goto(serviceLevelsUrl('checkout'));
      const agreement = page.getByRole('region', { name: 'Checkout service level agreement' });
      await agreement.getByText('Breached').first().waitFor({ timeout: 90_000 });
      await agreement.getByText(/objective 99\.5 %/).first().waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/attainment-breached.png`,
          fullPage: true,
        });
      }
    });
  });

  it('shows healthy targets as met on the storefront page', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'attainment-met', async () => {
      await page.goto(serviceLevelsUrl('storefront-web'));
      const agreement = page.getByRole('region', { name: 'Web shop service level agreement' });
      await agreement.getByText('Met', { exact: true }).first().waitFor({ timeout: 90_000 });
      const breached = await agreement.getByText('Breached', { exact: true }).count();
      if (breached !== 0) throw new Error('a healthy demo service shows a breached target');
    });
  });
});
