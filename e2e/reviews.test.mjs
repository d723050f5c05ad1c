import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  baseUrl,
  openBrowser,
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

// An agreement of the guest's team that no other e2e test reads: agreed
// since 1 September 2026 with no review held, so its monthly service review
// is overdue until one is recorded.
const TITLE = 'Click & collect orders for the stores';

describe('reviews', () => {
  it('an owner records a review and the next due date moves', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'reviews', async () => {
      await page.goto(
        `${baseUrl}/catalog/default/component/checkout/sla-reviews`,
      );
      const next = page.getByRole('group', {
        name: `Next service review of ${TITLE}`,
      });
      await next.waitFor({ timeout: 60_000 });
      const before = (await next.textContent()) ?? '';
      assert.match(before, /Overdue/);

      await page
        .getByRole('button', { name: `Record review of ${TITLE}` })
        .click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Participants/).fill('user:default/guest');
      await dialog
        .getByLabel(/^Minutes/)
        .fill('Orders reach the stores in time.');
      // No decision: this agreement's customer signs too (issue 16), so a
      // decision that re-agrees it goes through both parties' signatures.
      await dialog.getByRole('button', { name: 'Record review' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });

      // Due a month after the review held today: scheduled, no longer overdue.
      await page
        .getByRole('group', { name: `Next service review of ${TITLE}` })
        .getByText(/Scheduled/)
        .waitFor({ timeout: 30_000 });
      const after = (await next.textContent()) ?? '';
      assert.notEqual(after, before);
      // A month on, clamped to the month's last day as the backend does.
      const now = new Date();
      const firstOfNext = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1),
      );
      const month = firstOfNext.toLocaleString('en-GB', {
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      });
      assert.ok(after.includes(month), `expected a date in ${month}: ${after}`);
      // The held review is listed (this agreement had none before).
      await page
        .getByText(`review of ${TITLE}, held`, { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
    });
  });
});
