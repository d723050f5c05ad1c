import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseUrl, openBrowser, serviceLevelsUrl, withScreenshot } from './portal.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});

/**
 * signInAsGuest with patience: run alone, this file meets the dev server's
 * first build, and a loaded machine serves the bundle slowly.
 */
async function signInAsGuest() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(baseUrl, { timeout: 600_000 });
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click({ timeout: 300_000 });
  await enter.waitFor({ state: 'detached' });
  return page;
}
after(async () => {
  await browser?.close();
});

/** Types into a catalog or metric picker and picks the option named so. */
async function pick(page, input, text, option) {
  await input.click();
  await input.pressSequentially(text, { delay: 30 });
  await page.getByRole('option', { name: option }).first().click();
}

/** The text of a native select's chosen option. */
function chosen(select) {
  return select.evaluate(el => el.options[el.selectedIndex]?.textContent);
}

describe('the agreement editor for service owners', () => {
  it('creates an agreement with targets using only pickers and presets: no entity ref, no ISO 8601 typed', async () => {
    const page = await signInAsGuest();
    await withScreenshot(page, 'editor-pickers', async () => {
      await page.goto(serviceLevelsUrl('cart'), { timeout: 300_000 });
      await page.getByRole('button', { name: 'Create agreement' }).first().click();
      const dialog = page.getByRole('dialog');

      await dialog.getByLabel('Kind', { exact: true }).selectOption({ label: 'OLA: with an internal team' });
      await dialog.getByLabel(/^Title/).fill('Cart OLA from pickers');

      // Parties from the catalog by their display names.
      await pick(page, dialog.getByLabel('Customer', { exact: true }), 'Digital', /Digital Commerce/);
      await pick(page, dialog.getByLabel('Provider', { exact: true }), 'Checkout team', /^Checkout team\s*Group/);
      await dialog.getByLabel('Review interval', { exact: true }).selectOption({ label: 'every 3 months' });

      await dialog.getByRole('button', { name: 'Add target' }).click();
      await dialog.getByRole('button', { name: 'Add target' }).click();

      // Availability from its preset, the metric from the cart's own series.
      const first = dialog.getByRole('group', { name: 'Target 1' });
      await first.getByLabel('Preset', { exact: true }).selectOption({
        label: 'Availability 99.9 % over rolling 28 days',
      });
      await pick(page, first.getByLabel(/^Metric/), 'cart_req', /cart_requests/);
      await first.getByLabel('Window', { exact: true }).selectOption({ label: 'rolling 30 days' });
      await first.getByText('Reads as: 99.9 % of requests succeed over a rolling 30 days').waitFor();

      // P1 resolution in business hours from its preset.
      const second = dialog.getByRole('group', { name: 'Target 2' });
      await second.getByLabel('Preset', { exact: true }).selectOption({
        label: 'P1 incidents resolved within 4 business hours (95 % per month)',
      });
      await pick(page, second.getByLabel(/^Metric/), 'cart_inc', /cart_incidents/);
      await second.getByText('Reads as: P1 incidents resolved within 4 business hours, 95 % per month').waitFor();

      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });

      const agreement = page.getByRole('region', { name: 'Cart OLA from pickers' });
      await agreement.getByText('99.9 % of requests succeed over a rolling 30 days').first().waitFor();
      await agreement.getByText('P1 incidents resolved within 4 business hours, 95 % per month').first().waitFor();
      await agreement.getByText('group:default/digital-commerce').first().waitFor();
      await agreement.getByText('group:default/team-checkout').first().waitFor();

      // Opened again, the editor shows the choices in words, not refs or ISO values.
      await agreement.getByRole('button', { name: 'Edit' }).click();
      const editor = page.getByRole('dialog', { name: 'Edit agreement' });
      const customer = editor.getByLabel('Customer', { exact: true });
      await page.waitForFunction(
        el => el.value === 'Digital Commerce',
        await customer.elementHandle(),
      );
      assert.equal(await editor.getByLabel('Provider', { exact: true }).inputValue(), 'Checkout team');
      assert.equal(await chosen(editor.getByLabel('Review interval', { exact: true })), 'every 3 months');
      const editedFirst = editor.getByRole('group', { name: 'Target 1' });
      assert.equal(await chosen(editedFirst.getByLabel('Window', { exact: true })), 'rolling 30 days');
      assert.equal(await editedFirst.getByLabel(/^Metric/).inputValue(), 'cart_requests');
      const editedSecond = editor.getByRole('group', { name: 'Target 2' });
      assert.equal(await chosen(editedSecond.getByLabel('Maximum duration', { exact: true })), '4 hours');
      assert.equal(
        await chosen(editedSecond.getByLabel('Time counted', { exact: true })),
        'business hours (Mon–Fri 09:00–17:00)',
      );
      assert.equal(await chosen(editedSecond.getByLabel('Window', { exact: true })), 'calendar month');
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({ path: `${process.env.E2E_SCREENSHOT_DIR}/agreement-editor.png` });
      }
      await editor.getByRole('button', { name: 'Cancel' }).click();
      await editor.waitFor({ state: 'detached' });
    });
  });
});
