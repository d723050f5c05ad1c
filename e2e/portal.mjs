// Shared helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core against the portal that scripts/e2e.sh started.
import { chromium } from 'playwright-core';

export const baseUrl = process.env.PORTAL_URL ?? 'http://localhost:3000';

export async function openBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser for a test file whose first step waits for the frontend bundle:
 * one load with more than a step's 30 s before the steps run.
 */
export async function openWarmBrowser() {
  const browser = await openBrowser();
  const page = await browser.newPage();
  await page.goto(baseUrl, { timeout: 180_000 }).catch(() => {});
  await page.close();
  return browser;
}

/**
 * Opens `url` and reloads it until `locator` shows (what the backend does
 * a few seconds after start: the demo's ticket, an OpenSLO file read),
 * for at most `timeoutMs`.
 */
export async function reloadUntilShown(page, url, locator, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url);
    try {
      await locator.waitFor({ timeout: 15_000 });
      return locator;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/** A new page signed in as the guest (a member of team-checkout). */
export async function signInAsGuest(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  // The first load of the app's bundle from the dev server can take longer
  // than a step on a loaded machine.
  await page.goto(baseUrl, { timeout: 120_000 });
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  return page;
}

export function serviceLevelsUrl(name, kind = 'component') {
  return `${baseUrl}/catalog/default/${kind}/${name}/service-levels`;
}

/** Saves a screenshot next to the logs when a step fails. */
export async function withScreenshot(page, name, fn) {
  try {
    return await fn();
  } catch (error) {
    await page.screenshot({ path: `e2e-logs/${name}.png`, fullPage: true }).catch(() => {});
    throw error;
  }
}
