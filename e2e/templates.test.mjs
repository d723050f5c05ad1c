import { after, before, describe, it } from 'node:test';
import {
  baseUrl,
  openBrowser,
  serviceLevelsUrl,
  withScreenshot,
} from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
  // The first load compiles the app bundle (with the scaffolder's pages): on
  // a busy machine that takes longer than a step's timeout.
  const warmUp = await browser.newPage();
  await warmUp.goto(baseUrl, { timeout: 300_000 });
  await warmUp
    .getByRole('button', { name: 'Enter' })
    .waitFor({ timeout: 300_000 });
  await warmUp.close();
});
after(async () => {
  await browser?.close();
});

/** signInAsGuest with room for a slow first load of the bundle. */
async function signInAsGuest() {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(baseUrl, { timeout: 300_000, waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click({ timeout: 300_000 });
  await enter.waitFor({ state: 'detached' });
  return page;
}

describe('software templates', () => {
  it('"Service with an SLA" creates a service whose Service levels tab shows its draft SLA', async () => {
    const page = await signInAsGuest();
    // A new name on every run: the demo's scaffolded files outlive a run.
    const name = `loyalty-${Date.now().toString(36)}`;
    await withScreenshot(page, 'template-service-with-sla', async () => {
      await page.goto(`${baseUrl}/create`, { timeout: 120_000 });
      await page.getByText('Service with an SLA').first().waitFor();
      await page.goto(
        `${baseUrl}/create/templates/default/service-with-an-sla`,
      );

      await page.getByRole('textbox', { name: /^Name/ }).fill(name);
      await page
        .getByRole('textbox', { name: /^Description/ })
        .fill('Loyalty points for shoppers');
      await page.getByRole('button', { name: 'Next' }).click();

      // The service levels step: keep the availability default, change the latency threshold
      await page
        .getByRole('spinbutton', { name: /^Availability objective/ })
        .fill('99.7');
      await page
        .getByRole('spinbutton', { name: /^Latency threshold/ })
        .fill('250');
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();

      // The task runs both steps; its output links to the new service's tab
      const link = page.getByRole('link', {
        name: 'Service levels of the new service',
      });
      await link.waitFor({ timeout: 90_000 });

      await page.goto(serviceLevelsUrl(name));
      const agreement = page.getByRole('region', { name: `${name} SLA` });
      await agreement.getByText('Draft', { exact: true }).first().waitFor();
      await agreement
        .getByText('99.7 % of requests succeed over a rolling 28 days')
        .first()
        .waitFor();
      await agreement
        .getByText(/250 ms/)
        .first()
        .waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/template-draft-sla.png`,
        });
      }
    });
  });
});
