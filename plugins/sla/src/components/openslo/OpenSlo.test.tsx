import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySlaContent } from '../EntitySlaContent';
import {
  makeAgreement,
  testEntity,
  testEntityRef,
} from '../../__testUtils__/agreementFixtures';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';

jest.setTimeout(60_000);

const server = setupServer();
registerMswTestHooks(server);

async function renderContent(entity = testEntity) {
  await renderInTestApp(
    <EntityPageWrapper entity={entity}>
      <EntitySlaContent />
    </EntityPageWrapper>,
    { mountedRoutes: entityPageRoutes },
  );
}

const owner = { create: true, update: true };

describe('OpenSLO in the Service levels tab', () => {
  it('shows a managed agreement read-only, with its files, and no edit controls even for owners', async () => {
    installFakeSlaBackend(server, {
      agreements: [
        makeAgreement({
          title: 'Tracking service levels',
          managed: {
            source: 'openslo',
            locations: [
              'https://github.com/acme/tracking/blob/main/slos.yaml',
              'file:/srv/catalog/tracking/local.yaml',
            ],
            syncedAt: '2026-03-01T10:00:00Z',
          },
        }),
      ],
      access: owner,
    });
    await renderContent();
    const card = await screen.findByRole('region', {
      name: 'Tracking service levels',
    });
    expect(
      within(card).getByText(/Managed as code \(OpenSLO\)/),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', {
        name: /^https:\/\/github.com\/acme\/tracking\/blob\/main\/slos.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/tracking/blob/main/slos.yaml',
    );
    expect(
      within(card).getByText('file:/srv/catalog/tracking/local.yaml'),
    ).toBeInTheDocument();
    for (const label of ['Edit', 'Start review', 'Withdraw']) {
      expect(within(card).queryByRole('button', { name: label })).toBeNull();
    }
    expect(
      within(card).getByRole('button', { name: 'Export as OpenSLO' }),
    ).toBeInTheDocument();
  });

  it('exports an agreement as a YAML download through the API', async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    const exported: string[] = [];
    server.use(
      http.get(`${SLA_BASE_URL}/agreements/:id/openslo`, ({ params }) => {
        exported.push(String(params.id));
        return new HttpResponse('apiVersion: openslo/v1\n', {
          headers: {
            'content-type': 'application/yaml',
            'content-disposition':
              'attachment; filename="payments-api-sla.openslo.yaml"',
          },
        });
      }),
    );
    const createObjectURL = jest.fn(() => 'blob:openslo');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function saveFile(this: HTMLAnchorElement) {
        expect(this.download).toBe('payments-api-sla.openslo.yaml');
      });
    await renderContent();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export as OpenSLO' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(exported).toEqual([makeAgreement().id]);
    click.mockRestore();
  });

  it('imports pasted OpenSLO: problems at their document paths, then a preview, then a draft', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [makeAgreement()],
      access: owner,
    });
    const target = {
      id: 'checkout-availability',
      name: 'Requests without 5xx',
      aspect: 'availability',
      metric: 'checkout_requests',
      sli: { kind: 'ratio' },
      objective: 99.9,
      window: { type: 'rolling', duration: 'P28D' },
    };
    let previews = 0;
    server.use(
      http.post(`${SLA_BASE_URL}/openslo/preview`, async () => {
        previews++;
        if (previews === 1) {
          return errorResponse(
            400,
            'InputError',
            'documents[0].spec.budgetingMethod is RatioTimeslices: a ratio SLI is counted by Occurrences (Σgood / Σtotal)',
          );
        }
        return HttpResponse.json({
          title: 'checkout SLOs',
          kind: 'SLA',
          entityRef: testEntityRef,
          targets: [target],
          warnings: [
            'SLO checkout-availability: its metric source (datadog) is not one the plugin reads',
          ],
        });
      }),
      http.post(`${SLA_BASE_URL}/agreements`, async ({ request }) =>
        HttpResponse.json(
          {
            ...makeAgreement({ id: 'new' }),
            ...((await request.json()) as object),
          },
          { status: 201 },
        ),
      ),
    );
    await renderContent();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Import OpenSLO' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Import OpenSLO',
    });
    const create = within(dialog).getByRole('button', { name: 'Create draft' });
    expect(create).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('OpenSLO YAML'),
      'apiVersion: openslo/v1',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    const problems = await within(dialog).findByRole('list', {
      name: 'Import problems',
    });
    expect(problems).toHaveTextContent(
      'documents[0].spec.budgetingMethod is RatioTimeslices',
    );
    expect(create).toBeDisabled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Preview' }),
    );
    expect(
      await within(dialog).findByText('checkout SLOs (SLA)'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/is not one the plugin reads/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Requests without 5xx'),
    ).toBeInTheDocument();
    await userEvent.click(create);
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Import OpenSLO' }),
      ).toBeNull(),
    );
    const created = backend.writes().find(w => w.path === '/agreements');
    expect(created?.body).toEqual({
      title: 'checkout SLOs',
      kind: 'SLA',
      entityRef: testEntityRef,
      targets: [target],
      status: 'draft',
    });
  });

  it("shows the last error reading the entity's OpenSLO files", async () => {
    installFakeSlaBackend(server, { agreements: [makeAgreement()] });
    server.use(
      http.get(`${SLA_BASE_URL}/openslo/sources`, () =>
        HttpResponse.json({
          items: [
            {
              entityRef: testEntityRef,
              agreementId: 'a1',
              locations: ['https://git.example/slos.yaml'],
              checkedAt: '2026-03-01T10:00:00Z',
              error:
                'https://git.example/slos.yaml: documents[0].spec.objectives[0].target must be a number from 0 up to (not including) 1',
            },
          ],
        }),
      ),
    );
    await renderContent({
      ...testEntity,
      metadata: {
        ...testEntity.metadata,
        annotations: { 'sla/openslo': 'slos.yaml' },
      },
    });
    expect(
      await screen.findByText(
        /The OpenSLO files of this entity could not be applied/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/documents\[0\]\.spec\.objectives\[0\]\.target must be/),
    ).toBeInTheDocument();
    expect(screen.getByText(/keeps its last good version/)).toBeInTheDocument();
  });
});
