import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  openWarmBrowser,
  reloadUntilShown,
  serviceLevelsUrl,
  signInAsGuest,
  withScreenshot,
} from './portal.mjs';

let browser;
before(async () => {
  browser = await openWarmBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * delivery-tracking's catalog entry (examples/entities.yaml) names
 * examples/openslo/delivery-tracking.yaml in its sla/openslo annotation; the
 * plugin reads it a few seconds after start (app-config.yaml). Reload the
 * tab until the managed agreement is there.
 */
async function openManagedAgreement(page) {
  // exact: the attainment section is "Attainment of Delivery tracking …"
  const card = page.getByRole('region', {
    name: 'Delivery tracking service levels',
    exact: true,
  });
  return reloadUntilShown(
    page,
    serviceLevelsUrl('delivery-tracking'),
    card,
    120_000,
  );
}

describe('SLOs as code (OpenSLO) in the portal', () => {
  it('shows the managed agreement of a service whose catalog file names an OpenSLO file, read-only with the file', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'openslo-managed', async () => {
      const card = await openManagedAgreement(page);
      await card
        .getByText('Managed as code (OpenSLO).', { exact: false })
        .waitFor();
      await card
        .getByText(/examples\/openslo\/delivery-tracking\.yaml$/)
        .waitFor();
      await card.getByText('Tracking look-ups succeed').first().waitFor();
      await card
        .getByText('Carrier events shown within 15 minutes')
        .first()
        .waitFor();
      // The guest owns the service (team-checkout), yet nothing is editable.
      for (const name of ['Edit', 'Start review', 'Withdraw']) {
        if ((await card.getByRole('button', { name }).count()) !== 0) {
          throw new Error(`a managed agreement offers "${name}"`);
        }
      }
      await page.getByRole('button', { name: 'Import OpenSLO' }).waitFor();
    });
  });

  it('exports the agreement as a download of valid OpenSLO YAML', async () => {
    const page = await signInAsGuest(browser);
    await withScreenshot(page, 'openslo-export', async () => {
      const card = await openManagedAgreement(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        card.getByRole('button', { name: 'Export as OpenSLO' }).click(),
      ]);
      const name = download.suggestedFilename();
      if (name !== 'delivery-tracking-service-levels.openslo.yaml') {
        throw new Error(`unexpected file name ${name}`);
      }
      const text = await readFile(await download.path(), 'utf8');
      const docs = parseAllDocuments(text);
      const broken = docs.filter(d => d.errors.length > 0);
      if (broken.length)
        throw new Error(`invalid YAML: ${broken[0].errors[0]}`);
      const kinds = docs.map(
        d => `${d.get('kind')}/${d.getIn(['metadata', 'name'])}`,
      );
      for (const expected of [
        'Service/delivery-tracking',
        'SLO/tracking-availability',
        'SLO/tracking-freshness',
        'AlertPolicy/opensla-page-1h',
      ]) {
        if (!kinds.includes(expected)) {
          throw new Error(`${expected} missing from ${kinds.join(', ')}`);
        }
      }
      if (docs.some(d => d.get('apiVersion') !== 'openslo/v1')) {
        throw new Error('a document is not openslo/v1');
      }
    });
  });
});
