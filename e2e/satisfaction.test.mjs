import { after, before, describe, it } from 'node:test';
import { baseUrl, openBrowser, signInAsGuest, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

const satisfactionUrl = name => `${baseUrl}/catalog/default/component/${name}/satisfaction`;

describe('satisfaction in the portal', () => {
  it('lets a user give feedback in the browser and shows it on the satisfaction tab', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'give-feedback', async () => {
      // The catalog may still be ingesting on a busy machine: retry the page.
      const empty = page.getByText('No feedback yet');
      const deadline = Date.now() + 120_000;
      for (;;) {
        await page.goto(satisfactionUrl('inventory'));
        try {
          await empty.waitFor({ timeout: 15_000 });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      await page.getByRole('button', { name: 'Give feedback' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: '2', exact: true }).click();
      await dialog.getByLabel(/^Comment/).fill('Stock levels lag behind the warehouse by an hour');
      await dialog.getByRole('button', { name: 'Send feedback' }).click();
      await dialog.waitFor({ state: 'detached' });

      const recent = page.getByRole('list', { name: 'Recent feedback' });
      await recent.getByText('Stock levels lag behind the warehouse by an hour').waitFor();
      await page.getByRole('group', { name: 'CSAT' }).getByText('0 %').waitFor();

      // still there after a reload: it was stored, not just rendered
      await page.reload();
      await page.getByText('Stock levels lag behind the warehouse by an hour').first().waitFor();
    });
  });

  it('shows the watermelon warning on the seeded cart service', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'watermelon', async () => {
      // The cart's SLA targets turn green once the demo metric source has
      // backfilled its window; its XLA (CSAT ≥ 80 %) is at 50 %.
      const warning = page.getByText('Watermelon: targets green, users unhappy');
      const deadline = Date.now() + 120_000;
      for (;;) {
        await page.goto(satisfactionUrl('cart'));
        await page.getByRole('group', { name: 'CSAT' }).waitFor();
        if (await warning.count()) break;
        if (Date.now() > deadline) throw new Error('no watermelon warning on the cart');
        await page.waitForTimeout(5_000);
      }
      await page.getByText(/Shopper satisfaction \(CSAT\) 50 %/).first().waitFor();
      await page.getByText('My basket was empty again after I signed in. Third time this week.').first().waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/satisfaction-tab.png`,
          fullPage: true,
        });
      }
      // and on the overview card
      await page.goto(`${baseUrl}/catalog/default/component/cart`);
      await warning.first().waitFor();
    });
  });
});
