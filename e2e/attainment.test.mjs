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
      await page.getByText('Breached', { exact: true }).first().waitFor({ timeout: 90_000 });
      // the availability target, 99.5 %, and the breach record with its cause
      await page.getByText(/objective 99\.5 %/).first().waitFor();
      await page.getByText('Breaches in the last 90 days').waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/service-levels-tab.png`,
        });
      }
    });
  });

  it('shows healthy targets as met on the storefront page', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'attainment-met', async () => {
      await page.goto(serviceLevelsUrl('storefront-web'));
      await page.getByText('Met', { exact: true }).first().waitFor({ timeout: 90_000 });
      await page.getByText('No breaches in the last 90 days').waitFor();
      const breached = await page.getByText('Breached', { exact: true }).count();
      if (breached !== 0) throw new Error('a healthy demo service shows a breached target');
    });
  });
});
