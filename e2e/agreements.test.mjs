import { after, before, describe, it } from 'node:test';
import { openBrowser, serviceLevelsUrl, signInAsGuest, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

describe('service levels in the portal', () => {
  it('lets the guest, an owner, create an SLA with two targets and agree it', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'create-sla', async () => {
      await page.goto(serviceLevelsUrl('promotions'));
      await page.getByRole('button', { name: 'Create agreement' }).first().click();

      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Title/).fill('Promotions SLA');
      await dialog.getByRole('button', { name: 'Add target' }).click();
      await dialog.getByRole('button', { name: 'Add target' }).click();

      const first = dialog.getByRole('group', { name: 'Target 1' });
      await first.getByLabel(/^Target name/).fill('Availability');
      await first.getByLabel(/^Metric/).fill('promotions_requests');
      await first.getByLabel(/^Objective/).fill('99.5');
      const second = dialog.getByRole('group', { name: 'Target 2' });
      await second.getByLabel(/^Target name/).fill('Error rate budget');
      await second.getByLabel(/^Metric/).fill('promotions_good_events');
      await second.getByLabel(/^Objective/).fill('99');

      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });

      const agreement = page.getByRole('region', { name: 'Promotions SLA' });
      await agreement.getByRole('button', { name: 'Start draft' }).click();
      await confirmTransition(page);
      await agreement.getByRole('button', { name: 'Propose' }).click();
      await confirmTransition(page);
      await agreement.getByRole('button', { name: 'Agree' }).click();
      await confirmTransition(page);
      await agreement.getByText('Agreed', { exact: true }).first().waitFor();

      await page.reload();
      const reloaded = page.getByRole('region', { name: 'Promotions SLA' });
      await reloaded.getByText('Agreed', { exact: true }).first().waitFor();
      await reloaded.getByText('99.5 % of requests succeed over a rolling 28 days').first().waitFor();
      await reloaded.getByText('99 % of requests succeed over a rolling 28 days').first().waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/new-agreement.png`,
        });
      }
    });
  });

  it('shows a service the guest does not own read-only', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'read-only', async () => {
      await page.goto(serviceLevelsUrl('product-catalog'));
      await page.getByRole('region', { name: /Product catalog/i }).first().waitFor();
      for (const name of ['Create agreement', 'Edit', 'Withdraw', 'Start review']) {
        const count = await page.getByRole('button', { name }).count();
        if (count !== 0) throw new Error(`a non-owner sees the "${name}" button`);
      }
    });
  });
});

async function confirmTransition(page) {
  const dialog = page.getByRole('dialog');
  if (await dialog.count()) {
    await dialog.getByRole('button', { name: /Confirm|Move|Withdraw|Agree|Propose/ }).last().click();
    await dialog.waitFor({ state: 'detached' });
  }
}
