import { after, before, describe, it } from 'node:test';
import { baseUrl, openBrowser, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Signs the guest in like portal.mjs's signInAsGuest, with longer timeouts:
 * the dev server serves its bundle slowly on a busy machine.
 */
async function signInAsGuestPatiently() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  page.setDefaultNavigationTimeout(180_000);
  await page.goto(baseUrl);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  return page;
}

describe('service levels in Backstage search', () => {
  it('finds the checkout SLA by searching "checkout", with its status', async () => {
    const page = await signInAsGuestPatiently();
    await withScreenshot(page, 'search-checkout', async () => {
      // The index is built on a schedule (search.collators.sla.schedule:
      // every minute in the demo, the first a minute after the start, when
      // the catalog and the backfill may still be arriving): search again
      // until it holds checkout's SLA with its status and owner.
      const deadline = Date.now() + 300_000;
      const item = page
        .getByTestId('sla-search-result')
        .filter({ hasText: 'Checkout service level agreement' })
        .first();
      for (;;) {
        await page.goto(`${baseUrl}/search?query=checkout`);
        try {
          await item.waitFor({ timeout: 20_000 });
          // the demo's checkout breaches its targets (app-config.yaml)
          await item
            .locator('[data-testid="target-status"][data-status="breached"]')
            .waitFor({ timeout: 5_000 });
          await item.getByText('Owner: group:default/team-checkout').waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await page.waitForTimeout(10_000);
        }
      }
      await item.getByText('Breached').first().waitFor();

      await item.getByRole('link', { name: 'Checkout service level agreement' }).click();
      await page.waitForURL(/\/catalog\/default\/component\/checkout\/service-levels/);
      await page.getByRole('region', { name: 'Checkout service level agreement' }).first().waitFor();
    });
  });
});
