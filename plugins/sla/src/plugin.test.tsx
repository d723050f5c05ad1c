import { Route, Routes } from 'react-router-dom';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import {
  EntitySatisfactionContent,
  EntitySlaContent,
  EntitySlaCard,
  slaPlugin,
} from './plugin';
import { isSlaAvailable } from './isSlaAvailable';
import { makeAgreement, testHistory } from './__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  entityPageRoutes,
  installFakeSlaBackend,
} from './__testUtils__/slaTestBackend';

const server = setupServer();
registerMswTestHooks(server);

describe('legacy frontend system exports', () => {
  it('declares the plugin with its API', () => {
    expect(slaPlugin.getId()).toBe('sla');
    expect([...slaPlugin.getApis()].map(factory => factory.api.id)).toEqual([
      'plugin.sla.service',
    ]);
  });

  it('renders the EntitySatisfactionContent extension', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    await renderInTestApp(
      <EntityPageWrapper>
        <EntitySatisfactionContent />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(await screen.findByText('No feedback yet')).toBeInTheDocument();
  });

  it('renders the EntitySlaContent extension', async () => {
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      history: testHistory,
    });
    // A routable extension needs a path, as EntityLayout.Route gives it.
    await renderInTestApp(
      <EntityPageWrapper>
        <Routes>
          <Route path="/*" element={<EntitySlaContent />} />
        </Routes>
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    const card = await screen.findByRole('region', {
      name: 'Payments API SLA',
    });
    expect(
      within(card).getByText(
        '99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();
  });

  it('renders the EntitySlaCard extension', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    await renderInTestApp(
      <EntityPageWrapper>
        <EntitySlaCard />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(await screen.findByText('Payments API SLA')).toBeInTheDocument();
  });
});

describe('isSlaAvailable', () => {
  it.each([
    ['Component', true],
    ['System', true],
    ['API', true],
    ['Resource', true],
    ['Group', false],
    ['User', false],
  ])('%s → %s', (kind, expected) => {
    expect(
      isSlaAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { name: 'x' },
      }),
    ).toBe(expected);
  });
});
