import type {
  Portfolio,
  PortfolioKpi,
  PortfolioKpis,
  ServiceSummary,
} from '@opensla/backstage-plugin-sla-common';

const kpi = (value: number | null, previous: number | null): PortfolioKpi => ({
  value,
  previous,
  change: value === null || previous === null ? null : value - previous,
});

const noBreaches = {
  total: 0,
  minor: 0,
  major: 0,
  critical: 0,
  thirdParty: 0,
  internal: 0,
  own: 0,
};

/** A service meeting its targets; override what a test needs. */
export function makeServiceSummary(
  overrides: Partial<ServiceSummary> = {},
): ServiceSummary {
  return {
    entityRef: 'component:default/storefront-web',
    owners: ['group:default/team-storefront'],
    kinds: ['SLA'],
    agreements: 1,
    agreementsInForce: 1,
    worstStatus: 'met',
    targets: 2,
    targetsWithData: 2,
    targetsMet: 2,
    targetsMetPercent: 100,
    breaches: noBreaches,
    csat: 90,
    csatResponses: 10,
    watermelon: false,
    slaAgreedInDate: true,
    reviewOverdue: false,
    nextReviewDue: '2027-06-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The breached checkout service of the demo. */
export const breachedService = makeServiceSummary({
  entityRef: 'component:default/checkout',
  owners: ['group:default/team-checkout'],
  kinds: ['SLA', 'OLA'],
  agreements: 2,
  agreementsInForce: 2,
  worstStatus: 'breached',
  targets: 4,
  targetsWithData: 4,
  targetsMet: 3,
  targetsMetPercent: 75,
  breaches: {
    total: 3,
    minor: 0,
    major: 2,
    critical: 1,
    thirdParty: 1,
    internal: 0,
    own: 2,
  },
  csat: null,
  csatResponses: 0,
  reviewOverdue: true,
  nextReviewDue: '2026-11-01T00:00:00.000Z',
});

export const healthyService = makeServiceSummary();

/** KPIs with a change for every tile: targets met up, breaches up. */
export function makeKpis(
  overrides: Partial<PortfolioKpis> = {},
): PortfolioKpis {
  return {
    period: {
      start: '2026-10-23T12:00:00.000Z',
      end: '2026-11-22T12:00:00.000Z',
    },
    previousPeriod: {
      start: '2026-09-23T12:00:00.000Z',
      end: '2026-10-23T12:00:00.000Z',
    },
    services: kpi(2, 2),
    targetsMetPercent: kpi(87.5, 85),
    breaches: {
      total: kpi(3, 1),
      minor: kpi(0, 1),
      major: kpi(2, 0),
      critical: kpi(1, 0),
      thirdParty: kpi(1, 0),
      internal: kpi(0, 0),
      own: kpi(2, 1),
    },
    slaAgreedInDatePercent: kpi(100, 50),
    timelyReviewsPercent: kpi(50, 100),
    timelyReportsPercent: kpi(0, null),
    slasOverdueForReviewPercent: kpi(50, 0),
    targetsWithoutMeasurementPercent: kpi(0, 12.5),
    csat: kpi(90, null),
    awaitingSignature: kpi(1, null),
    averageTimeToAgreeMs: kpi(2 * 86_400_000, 3 * 86_400_000),
    ...overrides,
  };
}

export function makePortfolio(
  items: ServiceSummary[] = [breachedService, healthyService],
  kpis: PortfolioKpis = makeKpis(),
): Portfolio {
  return { items, kpis };
}
