import { after, before, describe, it } from 'node:test';
import {
  openBrowser,
  serviceLevelsUrl,
  signInAsGuest,
  withScreenshot,
} from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

describe('ticket SLAs in the portal', () => {
  it('shows an open P1 ticket with its clock paused while waiting on the customer', async () => {
    // examples/sla-agreements.yaml: identity-service-desk-sla; the demo
    // backend's slaDemoTickets feed records DEMO-<date>, P1, waiting on the
    // customer after 35 minutes (packages/backend/src/modules/slaDemoTickets.ts).
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'tickets', async () => {
      await page.goto(serviceLevelsUrl('identity'));
      const table = page.getByRole('table', { name: 'Open tickets' });
      const row = table.getByRole('row', { name: /DEMO-/ });
      await row.getByText('Store kiosks cannot sign customers in').waitFor();
      await row.getByText('P1', { exact: true }).waitFor();
      await row.getByText('paused — waiting on customer').first().waitFor();
      const bar = row.getByRole('progressbar', {
        name: 'Time used of P1 resolution',
      });
      await bar.waitFor();
      // 35 minutes of 4 hours used, standing still: the same after a while.
      const before = await bar.getAttribute('aria-valuetext');
      if (!/^15 % used, 3 h 25 min left$/.test(before ?? '')) {
        throw new Error(`Unexpected clock: ${before}`);
      }
      await page.waitForTimeout(2500);
      const later = await bar.getAttribute('aria-valuetext');
      if (later !== before) {
        throw new Error(`A paused clock moved: ${before} → ${later}`);
      }
    });
  });
});
