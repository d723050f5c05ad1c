import { readFile } from 'node:fs/promises';
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

const reportUrl = name =>
  `${baseUrl}/catalog/default/component/${name}/service-report`;

/** The last full UTC month, as the tab names it by default ("October 2026"). */
function lastFullMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const label = d.toLocaleString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const value = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(
    2,
    '0',
  )}`;
  return { label, value };
}

/**
 * Opens checkout's report and waits until its availability target has
 * figures: the demo metric source backfills 35 days seconds after start.
 */
async function openCheckoutReport(page) {
  const { label } = lastFullMonth();
  const targets = page.getByRole('table', {
    name: 'Targets of Checkout service level agreement',
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    await page.goto(reportUrl('checkout'));
    try {
      await page
        .getByText(`Service report: Checkout, ${label}`)
        .waitFor({ timeout: 30_000 });
      const row = targets.getByRole('row').filter({ hasText: 'Availability' });
      await row.waitFor({ timeout: 10_000 });
      const attainment =
        (await row.getByRole('cell').nth(2).textContent()) ?? '';
      if (/\d %$/.test(attainment.trim())) return row;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error('checkout report has no availability figures');
    await page.waitForTimeout(5_000);
  }
}

describe('service report in the portal', () => {
  it('renders the report of the last full month for a demo service', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'report-renders', async () => {
      const row = await openCheckoutReport(page);
      // objective, attainment and met/not met in the availability row
      const cells = await row.getByRole('cell').allTextContents();
      if (!/%/.test(cells[1]) || !/^(Met|Not met)$/.test(cells[3].trim())) {
        throw new Error(`unexpected availability row: ${cells.join(' | ')}`);
      }
      await page.getByRole('group', { name: 'Targets met' }).waitFor();
      await page
        .getByText('Click & collect orders for the stores')
        .first()
        .waitFor();
      await page
        .getByRole('table', { name: 'Published reports' })
        .or(
          page.getByText('No report has been published yet', { exact: false }),
        )
        .first()
        .waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/service-report-tab.png`,
          fullPage: true,
        });
      }
    });
  });

  it('downloads the CSV with the header and the target rows', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'report-csv', async () => {
      await openCheckoutReport(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const { value } = lastFullMonth();
      if (
        download.suggestedFilename() !==
        `sla-report-component-default-checkout-${value}.csv`
      ) {
        throw new Error(`unexpected file name ${download.suggestedFilename()}`);
      }
      const text = await readFile(await download.path(), 'utf8');
      const lines = text.trim().split('\r\n');
      if (
        !lines[0].startsWith(
          'entityRef,periodStart,periodEnd,agreementId,agreementKind,agreementTitle,targetId,targetName',
        )
      ) {
        throw new Error(`unexpected CSV header: ${lines[0]}`);
      }
      // checkout-sla has four targets, the click & collect SLA two
      const rows = lines.slice(1);
      if (rows.length !== 6)
        throw new Error(`expected 6 target rows, got ${rows.length}`);
      const availability = rows.find(l =>
        l.includes(
          ',checkout-sla,SLA,Checkout service level agreement,availability,Availability,',
        ),
      );
      if (!availability) throw new Error(`no availability row in:\n${text}`);
      if (
        !availability.startsWith(
          `component:default/checkout,${value}-01T00:00:00.000Z,`,
        )
      ) {
        throw new Error(`unexpected row: ${availability}`);
      }
    });
  });

  it('hides the sidebar, tabs and buttons when printed', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'report-print', async () => {
      await openCheckoutReport(page);
      // The nav itself has no box (its drawer is fixed): look at its links.
      const sidebar = page.locator('nav[aria-label="sidebar nav"] a').first();
      const overviewTab = page.getByText('Overview', { exact: true }).first();
      await sidebar.waitFor({ state: 'visible' });
      await overviewTab.waitFor({ state: 'visible' });
      await page.emulateMedia({ media: 'print' });
      await sidebar.waitFor({ state: 'hidden' });
      await overviewTab.waitFor({ state: 'hidden' });
      await page
        .getByRole('button', { name: 'Print' })
        .waitFor({ state: 'hidden' });
      await page
        .getByRole('button', { name: 'Download CSV' })
        .waitFor({ state: 'hidden' });
      // the report itself still shows, tables included
      await page
        .getByRole('table', {
          name: 'Targets of Checkout service level agreement',
        })
        .waitFor();
      if (process.env.E2E_SCREENSHOT_DIR) {
        await page.screenshot({
          path: `${process.env.E2E_SCREENSHOT_DIR}/service-report-print.png`,
          fullPage: true,
        });
      }
      await page.emulateMedia({ media: 'screen' });
      await sidebar.waitFor({ state: 'visible' });
    });
  });
});
