import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { EntitySlaContent } from './EntitySlaContent';
import { makeAgreement } from '../__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  entityPageRoutes,
  installFakeSlaBackend,
} from '../__testUtils__/slaTestBackend';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const DAY = 86_400_000;
/** validUntil `days` days and an hour from now (so it rounds up to days + 1). */
const inDays = (days: number) =>
  new Date(Date.now() + days * DAY - 3_600_000).toISOString();

async function renderContent(config: object = {}) {
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data: config })]]}>
      <EntityPageWrapper>
        <EntitySlaContent />
      </EntityPageWrapper>
    </TestApiProvider>,
    { mountedRoutes: entityPageRoutes },
  );
}

function agreements() {
  return [
    makeAgreement({
      id: 'soon',
      title: 'Ends soon',
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: inDays(10),
    }),
    makeAgreement({
      id: 'later',
      title: 'Ends later',
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: inDays(200),
    }),
    makeAgreement({
      id: 'over',
      title: 'Ended',
      status: 'expired',
      validFrom: '2025-01-01T00:00:00.000Z',
      validUntil: '2026-01-01T00:00:00.000Z',
    }),
    makeAgreement({
      id: 'draft',
      title: 'Draft',
      status: 'draft',
      validUntil: inDays(3),
    }),
  ];
}

const card = (name: string) => screen.findByRole('region', { name });

describe('agreement expiry on the card', () => {
  it('says when an agreement expires, warning within the first notice, and when it expired', async () => {
    installFakeSlaBackend(server, { agreements: agreements() });
    await renderContent();

    const soon = await card('Ends soon');
    const warning = within(soon).getByText('expires in 10 days');
    // StatusWarning renders the text inside its status element
    expect(warning.closest('[aria-label="Status warning"]')).not.toBeNull();

    const later = await card('Ends later');
    const plain = within(later).getByText('expires in 200 days');
    expect(plain.closest('[aria-label^="Status"]')).toBeNull();

    const over = await card('Ended');
    expect(
      within(over)
        .getByText('expired on 1 Jan 2026')
        .closest('[aria-label="Status warning"]'),
    ).not.toBeNull();

    const draft = await card('Draft');
    expect(within(draft).queryByText(/expire/)).toBeNull();
  });

  it('warns only within the largest of sla.expiry.noticeDays', async () => {
    installFakeSlaBackend(server, { agreements: agreements() });
    await renderContent({ sla: { expiry: { noticeDays: [7, 1] } } });

    const soon = await card('Ends soon');
    expect(
      within(soon)
        .getByText('expires in 10 days')
        .closest('[aria-label^="Status"]'),
    ).toBeNull();
  });
});
