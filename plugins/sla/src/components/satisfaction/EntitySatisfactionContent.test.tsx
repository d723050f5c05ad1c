import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { EntitySatisfactionContent } from './EntitySatisfactionContent';
import { EntitySlaCard } from '../EntitySlaCard';
import {
  EntityPageWrapper,
  SLA_BASE_URL,
  entityPageRoutes,
  errorResponse,
  installFakeSlaBackend,
} from '../../__testUtils__/slaTestBackend';
import {
  makeFeedback,
  makeSatisfaction,
} from '../../__testUtils__/satisfactionFixtures';
import { testEntityRef } from '../../__testUtils__/agreementFixtures';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

async function renderTab(element = <EntitySatisfactionContent />) {
  await renderInTestApp(<EntityPageWrapper>{element}</EntityPageWrapper>, {
    mountedRoutes: entityPageRoutes,
  });
}

const watermelon = {
  entityRef: testEntityRef,
  watermelon: true,
  reason: 'targets are met, but 1 experience target(s) are breached',
  green: [
    {
      agreementId: 'a1',
      targetId: 'availability',
      name: 'Availability',
      aspect: 'availability',
      status: 'met',
      attainment: 99.95,
      objective: 99.9,
    },
  ],
  red: [
    {
      source: 'xla' as const,
      agreementId: 'a1',
      targetId: 'csat',
      name: 'CSAT ≥ 80 %',
      value: 40,
      objective: 80,
    },
  ],
};

const campaign = {
  id: 'c1',
  entityRef: testEntityRef,
  title: 'Checkout survey Q4',
  questions: [
    { id: 'q1', text: 'How satisfied are you?', scale: 'csat' as const },
    { id: 'recommend', text: 'Would you recommend it?', scale: 'nps' as const },
  ],
  start: '2026-11-01T00:00:00.000Z',
  end: '2099-12-01T00:00:00.000Z',
  status: 'open' as const,
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'user:default/alice',
};

describe('EntitySatisfactionContent', () => {
  it('shows figures, charts, recent feedback and complaints with their state', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      satisfaction: makeSatisfaction({
        csat: 60,
        meanScore: 3.4,
        nps: 14.3,
        responses: 7,
        csatResponses: 5,
        npsResponses: 2,
        complaints: { total: 1, open: 1, acknowledged: 0, resolved: 0 },
        compliments: 1,
        latest: [makeFeedback()],
        trend: [
          {
            start: '2026-11-15T12:00:00.000Z',
            end: '2026-11-22T12:00:00.000Z',
            responses: 7,
            csat: 60,
            meanScore: 3.4,
            nps: 14.3,
          },
        ],
      }),
      feedback: [
        makeFeedback({
          id: 'c1',
          kind: 'complaint',
          score: undefined,
          comment: 'Payment failed twice',
          state: 'open',
          responses: [],
        }),
      ],
    });
    await renderTab();
    expect(await screen.findByText('60 %')).toBeInTheDocument();
    expect(screen.getByText('3.4 / 5')).toBeInTheDocument();
    expect(screen.getByText('14.3')).toBeInTheDocument();
    expect(screen.getByLabelText('CSAT trend')).toBeInTheDocument();
    expect(screen.getByLabelText('Score distribution')).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Recent feedback')).getByText(
        'Checkout is slow on Fridays',
      ),
    ).toBeInTheDocument();
    const complaints = await screen.findByLabelText(
      'Complaints and compliments',
    );
    expect(
      within(complaints).getByText('Payment failed twice'),
    ).toBeInTheDocument();
    expect(within(complaints).getByText('Open')).toBeInTheDocument();
    // not an owner: no respond button, no campaign management
    expect(screen.queryByRole('button', { name: 'Respond' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Open campaign' })).toBeNull();
  });

  it('loads more complaints and compliments page by page', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      satisfaction: makeSatisfaction({ responses: 3 }),
    });
    const cursors: Array<string | null> = [];
    server.use(
      http.get(`${SLA_BASE_URL}/feedback`, ({ request }) => {
        const url = new URL(request.url);
        const kind = url.searchParams.get('kind');
        const cursor = url.searchParams.get('cursor');
        if (kind !== 'complaint') return HttpResponse.json({ items: [] });
        cursors.push(cursor);
        return cursor
          ? HttpResponse.json({
              items: [
                makeFeedback({
                  id: 'c2',
                  kind: 'complaint',
                  comment: 'Second page complaint',
                }),
              ],
            })
          : HttpResponse.json({
              items: [
                makeFeedback({
                  id: 'c1',
                  kind: 'complaint',
                  comment: 'First page complaint',
                }),
              ],
              nextCursor: 'page-2',
            });
      }),
    );
    await renderTab();
    const list = await screen.findByLabelText('Complaints and compliments');
    expect(within(list).getByText('First page complaint')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Load more complaints and compliments',
      }),
    );
    expect(
      await within(list).findByText('Second page complaint'),
    ).toBeInTheDocument();
    expect(cursors).toEqual([null, 'page-2']);
    // the last page: no more button
    await waitFor(() =>
      expect(
        screen.queryByRole('button', {
          name: 'Load more complaints and compliments',
        }),
      ).toBeNull(),
    );
  });

  it('shows the watermelon warning with its evidence', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      satisfaction: makeSatisfaction({
        responses: 5,
        csat: 40,
        csatResponses: 5,
        latest: [makeFeedback()],
        watermelon,
      }),
    });
    await renderTab();
    expect(
      await screen.findByText(/Watermelon: targets green, users unhappy/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Availability 99.95 %/)).toBeInTheDocument();
    expect(
      screen.getByText(/CSAT ≥ 80 % 40 % \(objective 80 %\)/),
    ).toBeInTheDocument();
  });

  it('shows an empty state that invites feedback, and sends it', async () => {
    const backend = installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.post(`${SLA_BASE_URL}/feedback`, async ({ request }) =>
        HttpResponse.json(
          { ...makeFeedback(), ...((await request.json()) as object) },
          { status: 201 },
        ),
      ),
    );
    await renderTab();
    expect(await screen.findByText('No feedback yet')).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Give feedback' })[0],
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: '2' }));
    await userEvent.type(within(dialog).getByLabelText(/Comment/), 'Too slow');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send feedback' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/feedback',
        body: {
          entityRef: testEntityRef,
          kind: 'impromptu',
          score: 2,
          scale: 'csat',
          comment: 'Too slow',
          anonymous: false,
        },
      }),
    ]);
  });

  it('shows the backend message when feedback is refused', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.post(`${SLA_BASE_URL}/feedback`, () =>
        errorResponse(400, 'InputError', 'comment is required'),
      ),
    );
    await renderTab();
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'Give feedback' })
      )[0],
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send feedback' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'comment is required',
    );
  });

  it('lets owners answer a complaint and move it on', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [],
      access: { create: true, update: true },
      satisfaction: makeSatisfaction({
        latest: [makeFeedback()],
        responses: 1,
      }),
      feedback: [
        makeFeedback({
          id: 'c1',
          kind: 'complaint',
          comment: 'Payment failed twice',
          state: 'open',
          responses: [],
        }),
      ],
    });
    server.use(
      http.post(`${SLA_BASE_URL}/feedback/c1/responses`, () =>
        HttpResponse.json(makeFeedback({ id: 'c1', kind: 'complaint' })),
      ),
    );
    await renderTab();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Respond' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Response/), 'On it');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send response' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.writes()).toEqual([
      expect.objectContaining({
        path: '/feedback/c1/responses',
        body: { message: 'On it', state: 'acknowledged', version: 1 },
      }),
    ]);
    expect(
      screen.getByRole('button', { name: 'Open campaign' }),
    ).toBeInTheDocument();
  });

  it('answers an open survey campaign, one score per question', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [],
      campaigns: [campaign],
    });
    server.use(
      http.post(`${SLA_BASE_URL}/feedback`, () =>
        HttpResponse.json(makeFeedback(), { status: 201 }),
      ),
    );
    await renderTab();
    expect(await screen.findByText('Checkout survey Q4')).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Give feedback' })[0],
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByLabelText(/^Survey/));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Checkout survey Q4' }),
    );
    const csat = within(dialog).getByRole('group', {
      name: 'How satisfied are you?',
    });
    await userEvent.click(within(csat).getByRole('button', { name: '4' }));
    const nps = within(dialog).getByRole('group', {
      name: 'Would you recommend it?',
    });
    await userEvent.click(within(nps).getByRole('button', { name: '9' }));
    await userEvent.click(within(dialog).getByLabelText(/Anonymous/));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send feedback' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.writes()[0].body).toEqual({
      entityRef: testEntityRef,
      kind: 'survey',
      campaignId: 'c1',
      anonymous: true,
      answers: [
        { questionId: 'q1', score: 4 },
        { questionId: 'recommend', score: 9 },
      ],
    });
  });

  it('lets owners open and close survey campaigns', async () => {
    const backend = installFakeSlaBackend(server, {
      agreements: [],
      access: { create: true, update: true },
      campaigns: [campaign],
    });
    server.use(
      http.post(`${SLA_BASE_URL}/campaigns`, () =>
        HttpResponse.json(campaign, { status: 201 }),
      ),
      http.post(`${SLA_BASE_URL}/campaigns/c1/close`, () =>
        HttpResponse.json({ ...campaign, status: 'closed', version: 2 }),
      ),
    );
    await renderTab();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Title/), 'Q1 survey');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open campaign' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(backend.writes()).toHaveLength(2));
    const [opened, closed] = backend.writes();
    expect(opened).toMatchObject({
      path: '/campaigns',
      body: {
        entityRef: testEntityRef,
        title: 'Q1 survey',
        questions: [
          { text: 'How satisfied are you with this service?', scale: 'csat' },
        ],
      },
    });
    expect(Date.parse(opened.body.end)).toBeGreaterThan(Date.now());
    expect(closed).toMatchObject({
      path: '/campaigns/c1/close',
      body: { version: 1 },
    });
  });

  it('shows an error panel when satisfaction cannot be loaded', async () => {
    installFakeSlaBackend(server, { agreements: [] });
    server.use(
      http.get(`${SLA_BASE_URL}/satisfaction`, () =>
        errorResponse(500, 'Error', 'database is down'),
      ),
    );
    await renderTab();
    expect(
      (await screen.findAllByText(/500 Internal Server Error/))[0],
    ).toBeInTheDocument();
  });
});

describe('EntitySlaCard with satisfaction', () => {
  it('shows the watermelon warning and Give feedback on the overview card', async () => {
    installFakeSlaBackend(server, {
      agreements: [],
      satisfaction: makeSatisfaction({
        csat: 40,
        csatResponses: 5,
        watermelon,
      }),
    });
    await renderTab(<EntitySlaCard />);
    expect(
      await screen.findByText(/Watermelon: targets green, users unhappy/),
    ).toBeInTheDocument();
    expect(screen.getByText(/CSAT 40 % from 5 answers/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Give feedback' }),
    ).toBeInTheDocument();
  });
});
