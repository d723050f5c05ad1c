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

// The demo (app-config.yaml) sets sla.permissions.signOnBehalf: true with its
// allow-all policy, so the guest (team-checkout) signs for the provider as a
// member and for the customer, team-platform, on behalf of it.
const TITLE = 'Platform team promotions agreement';

describe('negotiation in the portal', () => {
  it('agrees an SLA with another team only when both parties have signed', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'negotiation', async () => {
      await page.goto(serviceLevelsUrl('promotions'), { timeout: 120_000 });
      await page.getByRole('button', { name: 'Create agreement' }).first().click();

      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Title/).fill(TITLE);
      // the customer picked from the catalog (the editor's picker)
      const customer = dialog.getByLabel('Customer', { exact: true });
      await customer.click();
      await customer.pressSequentially('Platform team', { delay: 30 });
      await page.getByRole('option', { name: /^Platform team\s*Group/ }).first().click();
      await dialog.getByRole('button', { name: 'Add target' }).click();
      const target = dialog.getByRole('group', { name: 'Target 1' });
      await target.getByLabel(/^Target name/).fill('Availability');
      await target.getByLabel(/^Metric/).fill('promotions_requests');
      await target.getByLabel(/^Objective/).fill('99.5');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });

      const agreement = page.getByRole('region', { name: TITLE });
      await agreement.getByRole('button', { name: 'Start draft' }).click();
      await confirm(page);
      await agreement.getByRole('button', { name: 'Propose' }).click();
      await confirm(page);

      const negotiation = agreement.getByRole('region', { name: 'Negotiation' });
      // The lifecycle "Agree" is not offered: the customer signs too.
      await agreement.getByText(/agreed when both parties have signed/i).first().waitFor();
      if ((await agreement.getByRole('button', { name: 'Agree', exact: true }).count()) !== 0) {
        throw new Error('the card offers "Agree" on an agreement whose customer must sign');
      }

      // The portfolio's "Awaiting signature" filter finds the proposal's
      // service, and its KPI counts it.
      await page.goto(`${baseUrl}/sla`, { timeout: 120_000 });
      await page.getByLabel('Signatures', { exact: true }).selectOption('true');
      await serviceLink(page, 'promotions').waitFor({ timeout: 90_000 });
      // the demo's agreed services are left out
      await serviceLink(page, 'storefront-web').waitFor({ state: 'detached' });
      await serviceLink(page, 'checkout').waitFor({ state: 'detached' });
      const awaitingTile = page.getByRole('group', { name: 'Awaiting signature' });
      const awaitingCount = Number(await awaitingTile.getByTestId('kpi-value').textContent());
      if (!(awaitingCount >= 1)) {
        throw new Error(`expected the proposal to count as awaiting a signature, got ${awaitingCount}`);
      }
      await page.goto(serviceLevelsUrl('promotions'), { timeout: 120_000 });
      await negotiation.getByRole('button', { name: 'Sign for the provider' }).click();
      await negotiation.getByText("Awaiting the customer's signature", { exact: true }).waitFor();
      await negotiation.getByText(/^Provider .*signed by user:default\/guest/).waitFor();
      await negotiation.getByText(/^Customer \(group:default\/team-platform\): not signed yet/).waitFor();

      // After a reload the state comes from the backend, not the page.
      await page.reload({ timeout: 120_000 });
      const reloaded = page.getByRole('region', { name: TITLE });
      const again = reloaded.getByRole('region', { name: 'Negotiation' });
      await again.getByText("Awaiting the customer's signature", { exact: true }).waitFor();

      await again.getByRole('button', { name: 'Sign for the customer' }).click();
      await reloaded.getByText('Agreed', { exact: true }).first().waitFor();
      const signatures = reloaded.locator('[aria-label="Signatures"]');
      await signatures.getByText(/^Provider: signed by user:default\/guest/).waitFor();
      await signatures.getByText(/^Customer: signed by user:default\/guest .*\(on behalf\)/).waitFor();

      await page.reload({ timeout: 120_000 });
      const final = page.getByRole('region', { name: TITLE });
      await final.getByText('Agreed', { exact: true }).first().waitFor();
      await final.getByText(/\(on behalf\)/).first().waitFor();

      // Agreed by both: no longer awaiting, and the portfolio's average time
      // to agree (proposal to second signature) has a value.
      await page.goto(`${baseUrl}/sla`, { timeout: 120_000 });
      await page.getByLabel('Signatures', { exact: true }).selectOption('true');
      await serviceLink(page, 'promotions').waitFor({ state: 'detached', timeout: 60_000 });
      await page.getByLabel('Signatures', { exact: true }).selectOption('');
      await serviceLink(page, 'promotions').waitFor({ timeout: 60_000 });
      await page
        .getByRole('group', { name: 'Average time to agree' })
        .getByTestId('kpi-value')
        .getByText(/^\d+(\.\d)? (s|min|h|days?)$/)
        .waitFor({ timeout: 60_000 });
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({ path: `${process.env.E2E_SCREENSHOT_DIR}/negotiation.png` });
      }
    });
  });
});

/** The portfolio table's link to a demo service. */
function serviceLink(page, name) {
  return page.locator(`table a[href="/catalog/default/component/${name}"]`);
}

async function confirm(page) {
  const dialog = page.getByRole('dialog');
  if (await dialog.count()) {
    await dialog.getByRole('button', { name: /Confirm|Move|Propose/ }).last().click();
    await dialog.waitFor({ state: 'detached' });
  }
}
