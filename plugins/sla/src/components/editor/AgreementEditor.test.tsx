import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { AgreementEditorDialog } from '../AgreementEditorDialog';
import {
  SLA_BASE_URL,
  createTestSlaClient,
  errorResponse,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';
import {
  makeAgreement,
  testEntityRef,
} from '../../__testUtils__/agreementFixtures';

// Pickers wait for a debounced catalog search; a loaded 2-core machine needs time.
jest.setTimeout(90_000);

const server = setupServer();
registerMswTestHooks(server);

const group = (name: string, displayName: string, type = 'team'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type, profile: { displayName }, children: [] },
});

const catalog: Entity[] = [
  group('digital-commerce', 'Digital Commerce', 'business-unit'),
  group('payments-team', 'Payments team'),
  group('store-operations', 'Store Operations', 'business-unit'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane', namespace: 'default' },
    spec: { profile: { displayName: 'Jane Doe' }, memberOf: [] },
  },
  // Not a party: components are never offered.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'digital-shop', namespace: 'default' },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  },
];

/** Answers POST and PUT /agreements, keeping the bodies sent. */
function recordSaves() {
  const sent: any[] = [];
  server.use(
    http.post(`${SLA_BASE_URL}/agreements`, async ({ request }) => {
      const body: any = await request.json();
      sent.push(body);
      return HttpResponse.json(
        makeAgreement({
          ...body,
          id: 'new',
          status: 'requirements',
          version: 1,
        }),
        { status: 201 },
      );
    }),
    http.put(`${SLA_BASE_URL}/agreements/:id`, async ({ request }) => {
      const body: any = await request.json();
      sent.push(body);
      return HttpResponse.json(makeAgreement({ ...body, version: 5 }));
    }),
  );
  return sent;
}

async function renderEditor(
  options: {
    agreement?: Agreement;
    catalogApi?: CatalogApi | null;
  } = {},
) {
  const onSaved = jest.fn();
  const apis: Array<readonly [any, any]> = [[slaApiRef, createTestSlaClient()]];
  if (options.catalogApi !== null) {
    apis.push([
      catalogApiRef,
      options.catalogApi ?? catalogApiMock({ entities: catalog }),
    ]);
  }
  await renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <AgreementEditorDialog
        entityRef={testEntityRef}
        agreement={options.agreement}
        onClose={() => {}}
        onSaved={onSaved}
      />
    </TestApiProvider>,
  );
  const dialog = await screen.findByRole('dialog');
  return { dialog, onSaved };
}

/** Types into a picker and picks the option with that name from the list. */
async function pick(input: HTMLElement, text: string, option: RegExp | string) {
  await userEvent.click(input);
  await userEvent.type(input, text);
  // The options are replaced while the search for the typed text answers:
  // a click on one that was just replaced picks nothing, so click again.
  await waitFor(
    async () => {
      await userEvent.click(
        await screen.findByRole('option', { name: option }, { timeout: 3_000 }),
      );
      expect((input as HTMLInputElement).value).not.toBe(text);
    },
    { timeout: 15_000 },
  );
}

async function fillTitle(dialog: HTMLElement, title = 'Payments SLA') {
  await userEvent.type(within(dialog).getByLabelText(/^Title/), title);
}

describe('the agreement editor without ISO 8601 or entity refs', () => {
  it('picks the customer and the provider from the catalog by display name and stores their refs', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);

    const customer = within(dialog).getByLabelText('Customer');
    await pick(customer, 'digi', /Digital Commerce/);
    expect(customer).toHaveValue('Digital Commerce');
    expect(customer).toHaveAccessibleDescription(
      'Group · business-unit: group:default/digital-commerce',
    );
    // Only teams and people: the component named "digital-shop" is not offered.
    expect(screen.queryByRole('option', { name: /digital-shop/ })).toBeNull();

    const provider = within(dialog).getByLabelText('Provider');
    await pick(provider, 'Jane', /Jane Doe/);
    expect(provider).toHaveValue('Jane Doe');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      customer: 'group:default/digital-commerce',
      provider: 'user:default/jane',
    });
  });

  it('says when nobody matches, and takes an entity ref typed by hand', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);

    const customer = within(dialog).getByLabelText('Customer');
    await userEvent.click(customer);
    await userEvent.type(customer, 'nobody-here');
    expect(
      await screen.findByText(
        'No team or person in the catalog matches "nobody-here"',
        undefined,
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    await userEvent.clear(customer);
    await pick(
      customer,
      'group:default/suppliers-inc',
      'Use group:default/suppliers-inc Entity ref typed by hand',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].customer).toBe('group:default/suppliers-inc');
  });

  it('shows the display name of a stored party and reports a failed search', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const entities = catalogApiMock({ entities: catalog });
    const failing = catalogApiMock.mock({
      getEntitiesByRefs: (request: any) => entities.getEntitiesByRefs(request),
      queryEntities: jest.fn().mockRejectedValue(new Error('catalog is down')),
    });
    const { dialog } = await renderEditor({
      agreement: makeAgreement({
        status: 'draft',
        customer: 'group:default/digital-commerce',
      }),
      catalogApi: failing,
    });
    const customer = within(dialog).getByLabelText('Customer');
    await waitFor(() => expect(customer).toHaveValue('Digital Commerce'));
    const provider = within(dialog).getByLabelText('Provider');
    await waitFor(() => expect(provider).toHaveValue('Payments team'));

    await userEvent.click(customer);
    await waitFor(() =>
      expect(customer).toHaveAccessibleDescription(
        'Could not search the catalog (catalog is down); type an entity ref such as group:default/checkout',
      ),
    );
  });

  it('is a text field for the ref where the app has no catalog', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const { dialog } = await renderEditor({ catalogApi: null });
    await fillTitle(dialog);
    await userEvent.type(
      within(dialog).getByLabelText('Customer'),
      'group:default/checkout',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].customer).toBe('group:default/checkout');
  });

  it('chooses review intervals and windows in plain words, with custom lengths as number and unit', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);

    const interval = within(dialog).getByLabelText('Review interval');
    expect(
      within(interval)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'not set (every year)',
      'every month',
      'every 3 months',
      'every 6 months',
      'every year',
      'custom interval…',
    ]);
    await userEvent.selectOptions(interval, 'every 3 months');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const first = within(dialog).getByRole('group', { name: 'Target 1' });
    await userEvent.type(
      within(first).getByLabelText(/^Target name/),
      'Availability',
    );
    await userEvent.type(
      within(first).getByLabelText(/^Metric/),
      'http_requests',
    );
    await userEvent.type(within(first).getByLabelText(/^Objective/), '99.5');
    const window = within(first).getByLabelText('Window');
    expect(
      within(window)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'rolling 7 days',
      'rolling 28 days',
      'rolling 30 days',
      'rolling 90 days',
      'calendar week (from Monday)',
      'calendar month',
      'calendar quarter',
      'calendar year',
      'custom rolling window…',
    ]);
    expect(window).toHaveDisplayValue('rolling 28 days');
    await userEvent.selectOptions(window, 'custom rolling window…');
    // The custom inputs start from the current length, 28 days.
    const amount = within(first).getByLabelText(/^Rolling window: number/);
    expect(amount).toHaveValue(28);
    await userEvent.clear(amount);
    await userEvent.type(amount, '14');
    expect(
      within(first).getByText(
        'Reads as: 99.5 % of requests succeed over a rolling 14 days',
      ),
    ).toBeInTheDocument();

    const second = within(dialog).getByRole('group', { name: 'Target 2' });
    await userEvent.type(
      within(second).getByLabelText(/^Target name/),
      'Orders',
    );
    await userEvent.type(within(second).getByLabelText(/^Metric/), 'orders');
    await userEvent.type(within(second).getByLabelText(/^Objective/), '99');
    await userEvent.selectOptions(
      within(second).getByLabelText('Window'),
      'calendar quarter',
    );
    const zone = within(second).getByLabelText(/^Time zone/);
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Vienna');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].reviewInterval).toBe('P3M');
    expect(sent[0].targets.map((t: any) => t.window)).toEqual([
      { type: 'rolling', duration: 'P14D' },
      { type: 'calendar', unit: 'quarter', timeZone: 'Europe/Vienna' },
    ]);
  });

  it('says what to type when a custom length is not a number above zero, and sends nothing', async () => {
    const backend = installFakeSlaBackend(server, { agreements: [] });
    const { dialog } = await renderEditor();
    await fillTitle(dialog);
    const interval = within(dialog).getByLabelText('Review interval');
    await userEvent.selectOptions(interval, 'custom interval…');
    const amount = within(dialog).getByLabelText(/^Review interval: number/);
    await userEvent.type(amount, '0');
    await userEvent.selectOptions(
      within(dialog).getByLabelText(/^Review interval: unit/),
      'weeks',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(amount).toHaveAccessibleDescription(
      'must be a whole number above zero',
    );
    expect(backend.writes()).toEqual([]);

    await userEvent.clear(amount);
    await userEvent.type(amount, '6');
    const sent = recordSaves();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].reviewInterval).toBe('P6W');
  });

  it('fills a target from a preset: P1 resolution within 4 business hours', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      series: [
        {
          metric: 'http_requests',
          kind: 'ratio',
          latestAt: '2026-06-01T10:00:00Z',
        },
        { metric: 'incidents', kind: 'duration' },
      ],
    });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const target = within(dialog).getByRole('group', { name: 'Target 1' });
    await userEvent.selectOptions(
      within(target).getByLabelText('Preset'),
      'P1 incidents resolved within 4 business hours (95 % per month)',
    );
    expect(within(target).getByLabelText(/^Target name/)).toHaveValue(
      'P1 resolution',
    );
    expect(within(target).getByLabelText('SLI kind')).toHaveValue('duration');
    expect(
      within(target).getByLabelText('Maximum duration'),
    ).toHaveDisplayValue('4 hours');
    expect(within(target).getByLabelText(/^Priority/)).toHaveValue('P1');
    expect(within(target).getByLabelText('Time counted')).toHaveDisplayValue(
      'business hours (Mon–Fri 09:00–17:00)',
    );
    expect(within(target).getByLabelText('Window')).toHaveDisplayValue(
      'calendar month',
    );
    const zone = within(target).getByLabelText(/^Time zone/);
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');

    // The metric from the entity's duration series, not typed.
    await pick(
      within(target).getByLabelText(/^Metric/),
      'inc',
      'incidents events',
    );
    expect(
      within(target).getByText(
        'Reads as: P1 incidents resolved within 4 business hours, 95 % per month',
      ),
    ).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].targets).toEqual([
      {
        name: 'P1 resolution',
        aspect: 'support',
        metric: 'incidents',
        sli: { kind: 'duration', maxDuration: 'PT4H', priority: 'P1' },
        objective: 95,
        window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
        calendar: {
          timeZone: 'Europe/Berlin',
          openingHours: {
            mon: [['09:00', '17:00']],
            tue: [['09:00', '17:00']],
            wed: [['09:00', '17:00']],
            thu: [['09:00', '17:00']],
            fri: [['09:00', '17:00']],
          },
        },
      },
    ]);
  });

  it('fills availability and p95 latency presets, and offers only accepted time slices', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const first = within(dialog).getByRole('group', { name: 'Target 1' });
    await userEvent.selectOptions(
      within(first).getByLabelText('Preset'),
      'Availability 99.9 % over rolling 28 days',
    );
    await userEvent.type(
      within(first).getByLabelText(/^Metric/),
      'http_requests',
    );
    expect(
      within(first).getByText(
        'Reads as: 99.9 % of requests succeed over a rolling 28 days',
      ),
    ).toBeInTheDocument();

    const second = within(dialog).getByRole('group', { name: 'Target 2' });
    await userEvent.selectOptions(
      within(second).getByLabelText('Preset'),
      'p95 latency at most 300 ms (99 % of minutes, rolling 28 days)',
    );
    await userEvent.type(
      within(second).getByLabelText(/^Metric/),
      'latency_p95',
    );
    const slice = within(second).getByLabelText('Time slice');
    const offered = within(slice)
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(offered.slice(0, 4)).toEqual([
      '1 minute (the default)',
      '2 minutes',
      '3 minutes',
      '4 minutes',
    ]);
    expect(offered).toContain('1 minute 30 seconds');
    expect(offered).not.toContain('7 minutes');
    expect(offered).not.toContain('45 minutes');
    await userEvent.selectOptions(slice, '5 minutes');
    expect(
      within(second).getByText(
        'Reads as: latency_p95 ≤ 300 ms in 99 % of 5 minutes intervals over a rolling 28 days',
      ),
    ).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].targets[1]).toEqual({
      name: 'Latency (p95)',
      aspect: 'performance',
      metric: 'latency_p95',
      sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
      objective: 99,
      window: { type: 'rolling', duration: 'P28D' },
      timeslice: 'PT5M',
    });
  });

  it("suggests the entity's series of the target's kind and the Prometheus templates", async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      series: [
        {
          metric: 'http_requests',
          kind: 'ratio',
          latestAt: '2026-06-01T10:00:00Z',
        },
        { metric: 'latency_p95', kind: 'threshold' },
        { metric: 'incidents', kind: 'duration' },
      ],
      prometheusTemplates: {
        enabled: true,
        allowFreeQueries: false,
        templates: [
          {
            name: 'http-availability',
            description: 'Requests answered without a 5xx',
            sliKinds: ['ratio'],
            annotations: ['prometheus.io/job'],
            parameters: ['route'],
          },
          {
            name: 'latency-p95',
            sliKinds: ['threshold'],
            annotations: [],
            parameters: [],
          },
        ],
      },
    });
    const sent = recordSaves();
    const { dialog } = await renderEditor();
    await fillTitle(dialog);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const target = within(dialog).getByRole('group', { name: 'Target 1' });
    await userEvent.type(
      within(target).getByLabelText(/^Target name/),
      'Availability',
    );
    await userEvent.type(within(target).getByLabelText(/^Objective/), '99.9');
    const metric = within(target).getByLabelText(/^Metric/);
    await waitFor(() =>
      expect(metric).toHaveAccessibleDescription(
        'Pick a series this entity reports, or type a new name',
      ),
    );
    await userEvent.click(metric);
    const listbox = await screen.findByRole('listbox');
    // A ratio target: the ratio series and the ratio template only.
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.querySelector('p')?.textContent),
    ).toEqual(['http_requests', 'http-availability']);
    expect(
      within(listbox).getByText('Series this entity reports'),
    ).toBeInTheDocument();
    expect(
      within(listbox).getByText('Prometheus query templates'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(listbox).getByRole('option', { name: /http-availability/ }),
    );
    expect(metric).toHaveValue('http-availability');
    expect(
      within(target).getByText(
        'Measured by the Prometheus template http-availability (Requests answered without a 5xx)',
      ),
    ).toBeInTheDocument();

    // The template's parameter must be given: saving without it names it.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    const route = within(target).getByLabelText(/^Template parameter route/);
    expect(route).toHaveAccessibleDescription('must not be empty');
    await userEvent.type(route, '/checkout');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].targets[0]).toMatchObject({
      metric: 'http-availability',
      source: {
        type: 'prometheus',
        template: 'http-availability',
        parameters: { route: '/checkout' },
      },
    });
  });

  it('tells when suggestions cannot be loaded, and the metric can still be typed', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.get(`${SLA_BASE_URL}/series`, () =>
        errorResponse(503, 'ServiceUnavailableError', 'database unavailable'),
      ),
    );
    const { dialog } = await renderEditor();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add target' }),
    );
    const metric = within(dialog).getByLabelText(/^Metric/);
    await waitFor(() =>
      expect(metric).toHaveAccessibleDescription(
        'Could not load suggestions (database unavailable); type the series name',
      ),
    );
    await userEvent.type(metric, 'orders');
    expect(metric).toHaveValue('orders');
  });

  it('keeps what it cannot show as a preset when editing: a measured source, other business hours, an unusual window', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    const sent = recordSaves();
    const stored = makeAgreement({
      status: 'draft',
      reviewInterval: 'P2M',
      targets: [
        {
          id: 'availability',
          name: 'Availability',
          aspect: 'availability',
          metric: 'http_requests',
          sli: { kind: 'ratio' },
          objective: 99.9,
          window: { type: 'rolling', duration: 'P1M' },
          source: { type: 'prometheus', template: 'http-availability' },
        },
        {
          id: 'p1',
          name: 'P1 resolution',
          aspect: 'support',
          metric: 'incidents',
          sli: { kind: 'duration', maxDuration: 'PT90M', priority: 'P1' },
          objective: 90,
          window: { type: 'rolling', duration: 'P28D' },
          calendar: {
            timeZone: 'Europe/Berlin',
            openingHours: { mon: [['08:00', '18:00']] },
          },
        },
      ],
    });
    const { dialog } = await renderEditor({ agreement: stored });
    expect(within(dialog).getByLabelText('Review interval')).toHaveDisplayValue(
      'custom interval…',
    );
    expect(
      within(dialog).getByLabelText(/^Review interval: number/),
    ).toHaveValue(2);
    const first = within(dialog).getByRole('group', { name: 'Target 1' });
    expect(within(first).getByLabelText('Window')).toHaveDisplayValue(
      'rolling 1 month (as stored)',
    );
    expect(
      within(first).getByText(
        'Measured by the Prometheus template http-availability',
      ),
    ).toBeInTheDocument();
    const second = within(dialog).getByRole('group', { name: 'Target 2' });
    expect(within(second).getByLabelText('Time counted')).toHaveDisplayValue(
      'the agreed business hours',
    );
    expect(
      within(second).getByLabelText('Time counted'),
    ).toHaveAccessibleDescription('Mon 08:00–18:00 (Europe/Berlin)');
    expect(
      within(second).getByLabelText('Maximum duration'),
    ).toHaveDisplayValue('custom length…');
    expect(
      within(second).getByLabelText(/^Maximum duration: number/),
    ).toHaveValue(90);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].reviewInterval).toBe('P2M');
    expect(sent[0].targets).toEqual(stored.targets.map(({ ...t }) => t));
  });
});
