import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { SlaAgreementSearchDocument } from '@opensla/backstage-plugin-sla-common';
import { SlaSearchResultListItem } from './SlaSearchResultListItem';

const document: SlaAgreementSearchDocument = {
  title: 'Checkout SLA',
  text: 'SLA for Checkout (component:default/checkout), agreed. Status: breached.',
  location: '/catalog/default/component/checkout/service-levels',
  agreementId: 'checkout-sla',
  kind: 'SLA',
  lifecycleStatus: 'agreed',
  entityRef: 'component:default/checkout',
  entityName: 'Checkout',
  owners: ['group:default/team-checkout'],
  status: 'breached',
  targets: [
    {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      description: '99.9 % of requests succeed over a rolling 28 days',
      objective: 99.9,
      attainment: 98.2,
      status: 'breached',
    },
  ],
};

describe('SlaSearchResultListItem', () => {
  it('shows the agreement with its status, lifecycle, kind, service and owner, linking to the tab', async () => {
    await renderInTestApp(<SlaSearchResultListItem result={document} />);
    const item = screen.getByTestId('sla-search-result');
    expect(
      within(item).getByRole('link', { name: 'Checkout SLA' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/service-levels',
    );
    expect(within(item).getByTestId('target-status')).toHaveAttribute(
      'data-status',
      'breached',
    );
    expect(within(item).getByText('Breached')).toBeInTheDocument();
    expect(within(item).getByText('Agreed')).toBeInTheDocument();
    expect(within(item).getByText('Kind: SLA')).toBeInTheDocument();
    expect(within(item).getByText('Service: Checkout')).toBeInTheDocument();
    expect(
      within(item).getByText('Owner: group:default/team-checkout'),
    ).toBeInTheDocument();
    expect(within(item).getByText(/Status: breached\./)).toBeInTheDocument();
  });

  it('says an agreement that is not in force has no status', async () => {
    await renderInTestApp(
      <SlaSearchResultListItem
        result={
          {
            ...document,
            lifecycleStatus: 'draft',
            status: undefined,
            targets: [],
          } as SlaAgreementSearchDocument
        }
      />,
    );
    expect(screen.getByText('Not in force')).toBeInTheDocument();
    expect(screen.queryByTestId('target-status')).not.toBeInTheDocument();
  });

  it('shows the highlighted terms when the search engine sends them', async () => {
    await renderInTestApp(
      <SlaSearchResultListItem
        result={document}
        highlight={{
          preTag: '<b>',
          postTag: '</b>',
          fields: { title: '<b>Checkout</b> SLA' },
        }}
      />,
    );
    const link = screen.getByRole('link', { name: /Checkout SLA/ });
    expect(within(link).getByText('Checkout').tagName).toBe('MARK');
  });
});
