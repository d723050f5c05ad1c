import { ReactNode } from 'react';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  Agreement,
  AgreementHistoryEntry,
  AttainmentPoint,
  Breach,
  BlastRadiusItem,
  Feedback,
  PrometheusTemplates,
  Satisfaction,
  Series,
  SlaClient,
  SurveyCampaign,
  TargetAttainment,
  ViabilityReport,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';
import { testEntity, testEntityRef } from './agreementFixtures';
import { makeSatisfaction } from './satisfactionFixtures';

export const SLA_BASE_URL = 'http://localhost:7007/api/sla';

/** The real client, talking to msw. */
export function createTestSlaClient(): SlaClient {
  return new SlaClient({
    discoveryApi: { getBaseUrl: async () => SLA_BASE_URL },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

/** A Backstage error body, as the backend sends it. */
export function errorResponse(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

/** A request the fake backend received, with its parsed JSON body. */
export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  body?: any;
}

/**
 * A small in-memory backend for the read routes, so that reloads after a
 * write show the new state. Writes are left to each test (server.use).
 * Attainment, its timeline and breaches answer with what `options` gives
 * (nothing by default); attainment only for agreements in force.
 */
export function installFakeSlaBackend(
  server: SetupServer,
  options: {
    agreements: Agreement[];
    access?: { create: boolean; update: boolean };
    history?: AgreementHistoryEntry[];
    attainment?: TargetAttainment[];
    timeline?: AttainmentPoint[];
    breaches?: Breach[];
    /** GET /viability answers this (no dependencies by default). */
    viability?: ViabilityReport;
    blastRadius?: BlastRadiusItem[];
    satisfaction?: Satisfaction;
    feedback?: Feedback[];
    campaigns?: SurveyCampaign[];
    /** GET /series answers these for every entity (none by default). */
    series?: Series[];
    /** GET /prometheus/templates; 404 (module not installed) by default. */
    prometheusTemplates?: PrometheusTemplates;
  },
) {
  const state = {
    agreements: options.agreements,
    access: options.access ?? { create: false, update: false },
    attainment: options.attainment ?? [],
    timeline: options.timeline ?? [],
    breaches: options.breaches ?? [],
    requests: [] as RecordedRequest[],
  };
  // One recorder per test: listeners outlive msw's handler reset.
  server.events.removeAllListeners('request:start');
  server.events.on('request:start', async ({ request }) => {
    const url = new URL(request.url);
    const text = await request.clone().text();
    state.requests.push({
      method: request.method,
      path: url.pathname.replace('/api/sla', ''),
      search: url.search,
      body: text ? JSON.parse(text) : undefined,
    });
  });
  server.use(
    http.get(`${SLA_BASE_URL}/agreements`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      const items = state.agreements.filter(
        a =>
          (!query.get('entityRef') || a.entityRef === query.get('entityRef')) &&
          (!query.get('status') || a.status === query.get('status')),
      );
      return HttpResponse.json({ items });
    }),
    http.get(`${SLA_BASE_URL}/access`, ({ request }) =>
      HttpResponse.json({
        entityRef: new URL(request.url).searchParams.get('entityRef'),
        ...state.access,
      }),
    ),
    // The provider alone signs, and the caller may not (a test overrides it).
    http.get(`${SLA_BASE_URL}/agreements/:id/negotiation`, ({ params }) => {
      const a = state.agreements.find(x => x.id === params.id);
      return HttpResponse.json({
        agreementId: params.id,
        status: a?.status ?? 'negotiation',
        termsVersion: a?.termsVersion ?? a?.version ?? 1,
        open: true,
        parties: [
          { party: 'provider', mustSign: true, signers: [], callerMaySign: false },
        ],
        awaiting: ['provider'],
        openComments: [],
      });
    }),
    http.get(`${SLA_BASE_URL}/agreements/:id/history`, () =>
      HttpResponse.json({ items: options.history ?? [] }),
    ),
    http.get(`${SLA_BASE_URL}/attainment`, ({ request }) => {
      const entityRef = new URL(request.url).searchParams.get('entityRef');
      const inForce = state.agreements
        .filter(a => a.entityRef === entityRef && a.status === 'agreed')
        .map(a => a.id);
      return HttpResponse.json({
        items: state.attainment.filter(i => inForce.includes(i.agreementId)),
      });
    }),
    http.get(`${SLA_BASE_URL}/attainment/timeline`, () =>
      HttpResponse.json({ items: state.timeline }),
    ),
    http.get(`${SLA_BASE_URL}/viability`, ({ request }) =>
      HttpResponse.json(
        options.viability ?? {
          items: [],
          entityRef: new URL(request.url).searchParams.get('entityRef'),
          supportable: 100,
          dependencies: [],
          softDependencies: [],
          misaligned: [],
          cycles: [],
        },
      ),
    ),
    http.get(`${SLA_BASE_URL}/blast-radius`, () =>
      HttpResponse.json({ items: options.blastRadius ?? [] }),
    ),
    http.get(`${SLA_BASE_URL}/satisfaction`, () =>
      HttpResponse.json(options.satisfaction ?? makeSatisfaction()),
    ),
    http.get(`${SLA_BASE_URL}/campaigns`, () =>
      HttpResponse.json({ items: options.campaigns ?? [] }),
    ),
    http.get(`${SLA_BASE_URL}/feedback`, ({ request }) => {
      const kind = new URL(request.url).searchParams.get('kind');
      return HttpResponse.json({
        items: (options.feedback ?? []).filter(f => !kind || f.kind === kind),
      });
    }),
    http.get(`${SLA_BASE_URL}/series`, () =>
      HttpResponse.json({ items: options.series ?? [] }),
    ),
    http.get(`${SLA_BASE_URL}/prometheus/templates`, () =>
      options.prometheusTemplates
        ? HttpResponse.json(options.prometheusTemplates)
        : errorResponse(404, 'NotFoundError', 'Not found'),
    ),
    http.get(`${SLA_BASE_URL}/breaches`, ({ request }) => {
      const entityRef = new URL(request.url).searchParams.get('entityRef');
      return HttpResponse.json({
        items: state.breaches.filter(b => b.entityRef === entityRef),
      });
    }),
  );
  return {
    state,
    /** Requests other than the reads every render makes. */
    writes: () => state.requests.filter(r => r.method !== 'GET'),
    /** The GET requests to one path, e.g. `/attainment/timeline`. */
    reads: (path: string) =>
      state.requests.filter(r => r.method === 'GET' && r.path === path),
  };
}

/** Wraps an element the way an entity page does, with the SLA API over msw. */
export function EntityPageWrapper(props: {
  children: ReactNode;
  entity?: Entity;
  /** The catalog the editor's pickers search (none: they take typed refs). */
  catalogEntities?: Entity[];
}) {
  const apis: Array<readonly [any, any]> = [[slaApiRef, createTestSlaClient()]];
  if (props.catalogEntities) {
    apis.push([
      catalogApiRef,
      catalogApiMock({ entities: props.catalogEntities }),
    ]);
  }
  return (
    <TestApiProvider apis={apis as any}>
      <EntityProvider entity={props.entity ?? testEntity}>
        {props.children}
      </EntityProvider>
    </TestApiProvider>
  );
}

/** Routes the legacy renderInTestApp needs for links to the entity page. */
export const entityPageRoutes = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

export { testEntityRef };
