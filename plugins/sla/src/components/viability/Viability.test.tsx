import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { useState } from 'react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type { ViabilityReport } from '@opensla/backstage-plugin-sla-common';
import {
  makeAgreement,
  testEntityRef,
} from '../../__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';
import { ViabilitySection } from './ViabilitySection';
import { ViabilityHint } from './ViabilityHint';
import { AgreementLifecycleActions } from '../AgreementLifecycleActions';
import { EntitySlaContent } from '../EntitySlaContent';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

/** payments -> gateway (agreed), orders (unagreed: store agreed, queue missing); recs soft. */
function report(objective: number, supportable = 99.9390056): ViabilityReport {
  const dependencies = [
    {
      entityRef: 'component:default/gateway',
      bound: 99.99,
      source: 'agreed' as const,
      agreementId: 'gateway-ola',
    },
    {
      entityRef: 'component:default/orders',
      bound: 99.9490005,
      source: 'unagreed' as const,
      children: [
        {
          entityRef: 'resource:default/orders-store',
          bound: 99.95,
          source: 'agreed' as const,
        },
        {
          entityRef: 'resource:default/orders-queue',
          bound: 100,
          source: 'missing' as const,
        },
      ],
    },
  ];
  return {
    entityRef: testEntityRef,
    supportable,
    weakestLink: {
      entityRef: 'component:default/orders',
      bound: 99.9490005,
      source: 'unagreed',
    },
    dependencies,
    softDependencies: [
      {
        entityRef: 'component:default/recs',
        bound: 90,
        source: 'agreed',
      },
    ],
    misaligned: [],
    cycles: [],
    items: [
      {
        targetId: 'availability',
        agreementId: 'payments-sla',
        name: 'Availability',
        objective,
        supportable,
        viable: objective <= supportable,
        headroom: Number((supportable - objective).toFixed(9)),
        weakestLink: 'component:default/orders',
        dependencies,
        misaligned: [],
        cycles: [],
      },
    ],
  };
}

describe('ViabilitySection', () => {
  it('shows the tree with bounds and sources, the weakest link and missing agreements', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      viability: report(99.95),
    });
    await renderInTestApp(
      <EntityPageWrapper>
        <ViabilitySection
          entityRef={testEntityRef}
          agreements={[makeAgreement()]}
        />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    const section = await screen.findByRole('region', { name: 'Viability' });
    await within(section).findByText(/can support at most/);
    expect(section).toHaveTextContent('at most 99.939 % availability');
    expect(section).toHaveTextContent(
      'Weakest link: orders at 99.949 % (no agreement: from its own dependencies)',
    );
    const table = within(section).getByRole('table', {
      name: 'Viability of the availability targets',
    });
    expect(table).toHaveTextContent('Payments API SLA');
    // headroom 99.9390056 − 99.95 = −0.0109944, shown to 4 decimals
    expect(table).toHaveTextContent('-0.011 points');
    expect(within(table).getByText('Not viable')).toBeInTheDocument();
    expect(within(section).getByText('Weakest link')).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'orders-queue: 100 % (missing agreement)',
    );
    // the missing agreement is called out with a link to that entity
    const missing = within(section).getByText(/No agreement covers/);
    expect(
      within(missing).getByRole('link', { name: 'orders-queue' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-queue');
    expect(section).toHaveTextContent('Soft dependencies');
    expect(section).toHaveTextContent('recs: 90 % (agreed)');
    expect(backend.reads('/viability')[0].search).toBe(
      `?entityRef=${encodeURIComponent(testEntityRef)}`,
    );
  });

  it('shows a dependency the reader may not read as restricted, without its figures', async () => {
    const restricted = report(99.95);
    restricted.dependencies[0] = {
      entityRef: 'component:default/gateway',
      restricted: true,
    };
    restricted.weakestLink = {
      entityRef: 'component:default/gateway',
      restricted: true,
    };
    installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      viability: restricted,
    });
    await renderInTestApp(
      <EntityPageWrapper>
        <ViabilitySection
          entityRef={testEntityRef}
          agreements={[makeAgreement()]}
        />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    const section = await screen.findByRole('region', { name: 'Viability' });
    await within(section).findByText(/can support at most/);
    expect(section).toHaveTextContent(
      'Weakest link: gateway (restricted: you may not read its agreements)',
    );
    expect(section).toHaveTextContent(
      'gateway: restricted (you may not read its agreements)',
    );
    expect(section).not.toHaveTextContent('99.99 %');
  });

  it('says when nothing limits the targets, and shows errors in place', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const { unmount } = await renderInTestApp(
      <EntityPageWrapper>
        <ViabilitySection entityRef={testEntityRef} agreements={[]} />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(
      await screen.findByText(/lists no dependencies of this entity/),
    ).toBeInTheDocument();
    unmount();

    server.use(
      http.get(`${SLA_BASE_URL}/viability`, () =>
        errorResponse(500, 'Error', 'catalog unreachable'),
      ),
    );
    await renderInTestApp(
      <EntityPageWrapper>
        <ViabilitySection entityRef={testEntityRef} agreements={[]} />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    const section = await screen.findByRole('region', { name: 'Viability' });
    expect(
      (await within(section).findAllByText(/catalog unreachable/)).length,
    ).toBeGreaterThan(0);
  });
});

/** An objective field with the hint under it, as in the editor. */
function Editor(props: { saved?: number }) {
  const [objective, setObjective] = useState(
    props.saved ? String(props.saved) : '',
  );
  return (
    <>
      <label htmlFor="objective">Objective</label>
      <input
        id="objective"
        value={objective}
        onChange={e => setObjective(e.target.value)}
      />
      <ViabilityHint
        entityRef={testEntityRef}
        objective={objective}
        savedObjective={props.saved}
        label="Viability of target 1"
      />
    </>
  );
}

describe('ViabilityHint', () => {
  it('updates the supportable figure as the owner types, warning above it', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const asked: string[] = [];
    server.use(
      http.get(`${SLA_BASE_URL}/viability`, ({ request }) => {
        const objective = new URL(request.url).searchParams.get('objective');
        asked.push(objective ?? '');
        return HttpResponse.json(report(Number(objective)));
      }),
    );
    await renderInTestApp(
      <EntityPageWrapper>
        <Editor />
      </EntityPageWrapper>,
    );
    const input = screen.getByLabelText('Objective');
    await userEvent.type(input, '99.9');
    const hint = await screen.findByRole('status', {
      name: 'Viability of target 1',
    });
    expect(
      await within(hint).findByText(
        /Viable: the dependencies support up to 99.939 %/,
      ),
    ).toBeInTheDocument();
    await userEvent.type(input, '9');
    expect(
      await within(hint).findByText(
        /99.99 % is above what the dependencies can support: at most 99.939 %. Weakest link: component:default\/orders at 99.949 %/,
      ),
    ).toBeInTheDocument();
    // debounced: not one request per keystroke
    expect(asked).not.toContain('9');
    expect(asked).toContain('99.99');
  });

  it('shows the blast radius when a saved objective is lowered', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      viability: report(99.5),
      blastRadius: [
        {
          entityRef: 'component:default/web',
          agreementId: 'web-sla',
          targetId: 'availability',
          path: ['component:default/web', testEntityRef],
          objective: 99.8,
          supportable: 99.9,
          supportableAfter: 99.5,
        },
      ],
    });
    await renderInTestApp(
      <EntityPageWrapper>
        <Editor saved={99.9} />
      </EntityPageWrapper>,
    );
    const input = screen.getByLabelText('Objective');
    await userEvent.clear(input);
    await userEvent.type(input, '99.5');
    expect(
      await screen.findByText(
        /Lowering to 99.5 % makes these targets of dependents not viable: component:default\/web \(availability, 99.8 %, via component:default\/web → component:default\/payments\)/,
      ),
    ).toBeInTheDocument();
  });
});

describe('agreeing a target that is not viable', () => {
  it('asks for a reason and agrees with the override', async () => {
    const agreement = makeAgreement({ status: 'negotiation' });
    const bodies: any[] = [];
    installFakeSlaBackend(server, { agreements: [agreement] });
    server.use(
      http.post(
        `${SLA_BASE_URL}/agreements/:id/transitions`,
        async ({ request }) => {
          const body = await request.json();
          bodies.push(body);
          if (!(body as any).viabilityOverride) {
            return errorResponse(
              409,
              'ConflictError',
              'The agreement is not viable: target Availability (availability) promises 99.95 % but its dependencies support at most 99.9390056 % (weakest link: component:default/orders at 99.9490005 %, unagreed).',
            );
          }
          return HttpResponse.json({ ...agreement, status: 'agreed' });
        },
      ),
    );
    const onChanged = jest.fn();
    await renderInTestApp(
      <EntityPageWrapper>
        <AgreementLifecycleActions
          agreement={agreement}
          onChanged={onChanged}
        />
      </EntityPageWrapper>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Agree' }));
    const dialog = await screen.findByRole('dialog', {
      name: /although it is not viable/,
    });
    expect(dialog).toHaveTextContent('weakest link: component:default/orders');
    const confirm = within(dialog).getByRole('button', {
      name: 'Agree anyway',
    });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/^Reason/),
      'A second PSP goes live in January',
    );
    await userEvent.click(confirm);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(bodies).toEqual([
      { to: 'agreed' },
      {
        to: 'agreed',
        viabilityOverride: { reason: 'A second PSP goes live in January' },
      },
    ]);
  });
});

describe('the Service levels tab', () => {
  it('shows the Viability section before the first agreement exists', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      access: { create: true, update: true },
      viability: { ...report(99.9), items: [] },
    });
    await renderInTestApp(
      <EntityPageWrapper>
        <EntitySlaContent />
      </EntityPageWrapper>,
      { mountedRoutes: entityPageRoutes },
    );
    expect(
      await screen.findByText('No service level agreements yet'),
    ).toBeInTheDocument();
    const section = await screen.findByRole('region', { name: 'Viability' });
    expect(
      await within(section).findByText(/can support at most/),
    ).toBeInTheDocument();
    expect(within(section).queryByRole('table')).toBeNull();
  });
});
