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

// The payments service belongs to the guest's team and no other e2e test
// writes to it. The demo may seed initiatives of its own; this test only
// looks at the one it creates.
const TITLE = `Tokenise stored cards (e2e ${Date.now()})`;
const TARGET = 'Payments service level agreement: p95 authorisation latency';

describe('improvement initiatives', () => {
  it('an owner starts an initiative, sees its progress, starts it and marks it done', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'improvements', async () => {
      await page.goto(
        `${baseUrl}/catalog/default/component/payments/sla-reviews`,
      );
      const newButton = page.getByRole('button', { name: 'New initiative' });
      await newButton.waitFor({ timeout: 60_000 });
      await newButton.click();

      const dialog = page.getByRole('dialog');
      // The service's owner is the default owner.
      assert.equal(
        await dialog.getByLabel(/^Owner/).inputValue(),
        'group:default/team-checkout',
      );
      await dialog.getByLabel(/^Title/).fill(TITLE);
      await dialog
        .getByLabel(/^Description/)
        .fill('Fewer declined repeat payments, faster authorisation.');
      await dialog.getByLabel(/^Source$/).selectOption({ label: 'Breach' });
      await dialog.getByLabel(/^Progress/).fill('25');
      const due = new Date(Date.now() + 45 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      await dialog.getByLabel(/^Due/).fill(due);
      await dialog.getByLabel(TARGET).check();
      await dialog.getByRole('button', { name: 'Create initiative' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });

      // In the plan with its progress and linked target.
      const bar = page.getByRole('progressbar', { name: `${TITLE} progress` });
      await bar.waitFor({ timeout: 30_000 });
      assert.equal(await bar.getAttribute('aria-valuenow'), '25');
      const row = page.getByRole('row').filter({ hasText: TITLE });
      assert.match((await row.textContent()) ?? '', /Proposed/);
      assert.match(
        (await row.textContent()) ?? '',
        /p95 authorisation latency/,
      );

      // Start it, then mark it done.
      await page.getByRole('button', { name: `Start ${TITLE}` }).click();
      await row.getByText('In progress').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: `Done ${TITLE}` }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: 'Mark done' })
        .click();
      // Done counts 100 % (the row's "Done" button also reads "Done", so
      // wait for the bar rather than the text).
      await page
        .locator(
          `[role="progressbar"][aria-label="${TITLE} progress"][aria-valuenow="100"]`,
        )
        .waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /Done/);
      // Done is final: no more edit controls on the row.
      assert.equal(
        await page.getByRole('button', { name: `Edit ${TITLE}` }).count(),
        0,
      );

      // For people reading the logs: what the plan looks like.
      await page.getByText('Service improvement plan').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'e2e-logs/improvements-plan.png' });

      // A reload reads it back from the backend.
      await page.reload();
      const stored = page.getByRole('progressbar', {
        name: `${TITLE} progress`,
      });
      await stored.waitFor({ timeout: 60_000 });
      assert.equal(await stored.getAttribute('aria-valuenow'), '100');
    });
  });

  it("shows checkout's seeded improvement plan with progress and an overdue initiative", async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'improvements-seeded', async () => {
      await page.goto(
        `${baseUrl}/catalog/default/component/checkout/sla-reviews`,
      );
      // examples/sla-improvements.yaml
      const onCall = 'On-call rota for P1 incidents outside office hours';
      const bar = page.getByRole('progressbar', { name: `${onCall} progress` });
      await bar.waitFor({ timeout: 60_000 });
      assert.equal(await bar.getAttribute('aria-valuenow'), '40');
      const overdue = page.getByRole('group', {
        name: 'Store ticket triage in the morning stand-up is overdue',
      });
      await overdue.waitFor({ timeout: 30_000 });
    });
  });
});
