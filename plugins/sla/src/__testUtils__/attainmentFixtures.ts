import type {
  AttainmentPoint,
  Breach,
  BurnRateWindow,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { testEntityRef } from './agreementFixtures';

/** The instant the fixtures are evaluated at. */
export const EVALUATED_AT = '2026-03-14T12:00:00.000Z';

const quietBurnRates: Record<BurnRateWindow, number | null> = {
  '5m': 0.2,
  '30m': 0.3,
  '1h': 0.4,
  '2h': 0.5,
  '6h': 0.6,
  '1d': 0.7,
  '3d': 0.8,
};

/** A healthy ratio target (availability of makeAgreement()). */
export function makeAttainment(
  overrides: Partial<TargetAttainment> = {},
): TargetAttainment {
  return {
    targetId: 'availability',
    agreementId: 'payments-sla',
    name: 'Availability',
    window: { start: '2026-02-14T12:00:00.000Z', end: EVALUATED_AT },
    attainment: 99.95,
    objective: 99.9,
    status: 'met',
    errorBudget: { allowed: 1234.5, consumed: 617, remaining: 0.5002 },
    burnRates: quietBurnRates,
    alerts: [],
    counted: 1_234_567,
    ...overrides,
  };
}

/** The latency target of makeAgreement(), breached with its budget overspent. */
export const breachedLatency = makeAttainment({
  targetId: 'latency',
  name: 'Latency',
  window: { start: '2026-02-28T23:00:00.000Z', end: EVALUATED_AT },
  attainment: 88.5,
  objective: 95,
  status: 'breached',
  errorBudget: { allowed: 2015.6, consumed: 4636, remaining: -1.3 },
  burnRates: { ...quietBurnRates, '1h': 3.2, '6h': 2.9 },
  counted: 40_312,
});

/** The P1 resolution target of makeAgreement(), without any event yet. */
export const noDataResolution = makeAttainment({
  targetId: 'p1-resolution',
  name: 'P1 resolution',
  window: { start: '2026-02-28T23:00:00.000Z', end: EVALUATED_AT },
  attainment: null,
  objective: 90,
  status: 'no-data',
  errorBudget: { allowed: 0, consumed: 0, remaining: 1 },
  burnRates: {
    '5m': null,
    '30m': null,
    '1h': null,
    '2h': null,
    '6h': null,
    '1d': null,
    '3d': null,
  },
  counted: 0,
});

/** Availability still met but burning fast enough to page. */
export const atRiskAvailability = makeAttainment({
  attainment: 99.93,
  status: 'at-risk',
  errorBudget: { allowed: 1234.5, consumed: 1050, remaining: 0.1494 },
  burnRates: { ...quietBurnRates, '5m': 18.2, '1h': 15.1 },
  alerts: [{ severity: 'page', window: '1h/5m' }],
});

/** Thirty points over the window: attainment sinking, budget burning down. */
export function makeTimeline(count = 30): AttainmentPoint[] {
  const start = Date.parse('2026-02-14T12:00:00.000Z');
  const end = Date.parse(EVALUATED_AT);
  return Array.from({ length: count }, (_, i) => {
    const remaining = 1 - (i / (count - 1)) * 0.5;
    return {
      at: new Date(start + ((end - start) * i) / (count - 1)).toISOString(),
      attainment: 100 - (1 - remaining) * 0.1,
      remaining,
      status: 'met',
    };
  });
}

/** A breach of the entity's latency target, closed unless `closedAt: null`. */
export function makeBreach(overrides: Partial<Breach> = {}): Breach {
  return {
    id: 'breach-1',
    entityRef: testEntityRef,
    agreementId: 'payments-sla',
    targetId: 'latency',
    openedAt: '2026-03-02T08:00:00.000Z',
    closedAt: '2026-03-02T10:15:00.000Z',
    severity: 'major',
    cause: 'own',
    ...overrides,
  };
}
