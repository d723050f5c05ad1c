import { after, before, describe, it } from 'node:test';
import { openBrowser, serviceLevelsUrl, signInAsGuest, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

// The demo catalog (examples/entities.yaml) and agreements
// (examples/sla-agreements.yaml):
// promotions -> session-cache (OLA 99.99 %) and, through product-catalog-api,
// product-catalog (SLA 99.9 %): it can support 0.9999 × 0.999 = 99.89001 %.
// storefront-web -> api-gateway 99.99, product-catalog 99.9, search 99,
// cart 99.8, checkout 99.5, identity 99.95 (recommendations is soft):
// 98.1508 % supportable (0.981507611), weakest link search at 99 %.
describe('viability in the portal', () => {
  it('warns with the weakest link while the owner types an objective above the supportable figure', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'viability-editor', async () => {
      await page.goto(serviceLevelsUrl('promotions'));
      await page.getByRole('button', { name: 'Create agreement' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Add target' }).click();
      const target = dialog.getByRole('group', { name: 'Target 1' });
      const objective = target.getByLabel(/^Objective/);
      const hint = dialog.getByRole('status', { name: 'Viability of target 1' });

      await objective.fill('99.5');
      await hint.getByText(/Viable: the dependencies support up to 99\.89 %/).waitFor();

      await objective.fill('99.95');
      await hint
        .getByText(
          '99.95 % is above what the dependencies can support: at most 99.89 %. ' +
            'Weakest link: component:default/product-catalog at 99.9 %.',
          { exact: false },
        )
        .waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/viability-editor.png`,
        });
      }
      // Nothing was saved by asking.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });
  });

  it('shows the dependency tree with the weakest link and the shortfall on the storefront page', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'viability-section', async () => {
      await page.goto(serviceLevelsUrl('storefront-web'));
      const section = page.getByRole('region', { name: 'Viability' });
      await section.getByText(/can support at most/).waitFor({ timeout: 60_000 });
      await section.getByText('98.1508 %', { exact: false }).first().waitFor();
      await section.getByText('Weakest link', { exact: true }).waitFor();
      await section.getByText(/Weakest link: .* at 99 %/).waitFor();
      await section.getByText('Not viable', { exact: true }).first().waitFor();
      await section.getByText(/Soft dependencies/).waitFor();
    });
  });
});
