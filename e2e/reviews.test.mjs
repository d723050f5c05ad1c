import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  baseUrl,
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

// An agreement of the guest's team that no other e2e test reads: agreed
// since 1 September 2026 with no review held, so its monthly service review
// is overdue until one is recorded. Its customer, Store Operations, signs
// too (issue 16): a review that prolongs it opens a round of signatures. The
// demo (sla.permissions.signOnBehalf with the allow-all policy) lets the
// guest sign for the provider as a member and for the customer on behalf.
const TITLE = 'Click & collect orders for the stores';

describe('reviews', () => {
  it('an owner records a review that prolongs the agreement, the next due date moves, and both parties sign it', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'reviews', async () => {
      await page.goto(
        `${baseUrl}/catalog/default/component/checkout/sla-reviews`,
        { timeout: 120_000 },
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
      await dialog
        .getByLabel(/^Decision/)
        .selectOption({ label: 'Prolong the agreement' });
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
      // The held review lists its decision: under review, both signatures
      // awaited (the customer signs too).
      await page
        .getByText('Prolong → Under review, awaiting both signatures')
        .first()
        .waitFor({ timeout: 30_000 });

      // Both parties sign the round on the service levels page: agreed again.
      await page.goto(serviceLevelsUrl('checkout'), { timeout: 120_000 });
      const agreement = page.getByRole('region', { name: TITLE });
      const negotiation = agreement.getByRole('region', {
        name: 'Negotiation',
      });
      await negotiation
        .getByText("Awaiting the provider's and the customer's signatures", {
          exact: true,
        })
        .waitFor({ timeout: 60_000 });
      await negotiation
        .getByRole('button', { name: 'Sign for the provider' })
        .click();
      await negotiation
        .getByText("Awaiting the customer's signature", { exact: true })
        .waitFor();
      await negotiation
        .getByRole('button', { name: 'Sign for the customer' })
        .click();
      await agreement.getByText('Agreed', { exact: true }).first().waitFor();
      const signatures = agreement.locator('[aria-label="Signatures"]');
      await signatures
        .getByText(/^Customer: signed by user:default\/guest .*\(on behalf\)/)
        .waitFor();
    });
  });
});
