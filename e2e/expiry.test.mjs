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

describe('agreement expiry in the portal', () => {
  it('warns on the card of an agreement that runs out within 30 days', async () => {
    // examples/sla-agreements.yaml: notifications-ola is valid until 2026-12-15
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'expiry', async () => {
      await page.goto(serviceLevelsUrl('notifications'));
      const card = page.getByRole('region', {
        name: 'Notifications operational level agreement',
      });
      const remaining = Date.parse('2026-12-15T00:00:00Z') - Date.now();
      if (remaining > 0) {
        const days = Math.ceil(remaining / 86_400_000);
        const text = `expires in ${days} day${days === 1 ? '' : 's'}`;
        await card.getByText(text).first().waitFor();
        if (days <= 30) {
          await card
            .getByLabel('Status warning')
            .filter({ hasText: text })
            .first()
            .waitFor();
        }
      } else {
        // once the date has passed (the plugin expires it soon after start)
        await card.getByText('expired on 15 Dec 2026').first().waitFor();
      }
    });
  });
});
