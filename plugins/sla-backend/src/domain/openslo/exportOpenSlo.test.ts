import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { parseAllDocuments } from 'yaml';
import { agreementToOpenSlo, renderOpenSloYaml } from './exportOpenSlo';
import { importOpenSlo } from './importOpenSlo';
import { validateOpenSlo } from './validateOpenSlo';

const targets: Target[] = [
  {
    id: 'availability',
    name: 'Availability',
    aspect: 'availability',
    metric: 'http_requests',
    sli: { kind: 'ratio' },
    objective: 99.9,
    window: { type: 'rolling', duration: 'P28D' },
    source: { type: 'prometheus', good: 'sum(ok)', total: 'sum(all)' },
  },
  {
    id: 'latency',
    name: 'p95 latency under 300 ms',
    aspect: 'performance',
    metric: 'latency_p95',
    sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
    objective: 99,
    window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
    timeslice: 'PT5M',
  },
  {
    id: 'throughput',
    name: 'Throughput floor',
    aspect: 'performance',
    metric: 'orders_per_minute',
    sli: { kind: 'threshold', operator: 'gte', threshold: 20 },
    objective: 95.5,
    window: { type: 'rolling', duration: 'PT720H' },
    source: { type: 'prometheus', value: 'sum(rate(orders[1m]))' },
  },
  {
    id: 'support-hours',
    name: 'Support answers',
    aspect: 'support',
    metric: 'tickets_ok',
    sli: { kind: 'ratio' },
    objective: 97.25,
    window: { type: 'calendar', unit: 'quarter', timeZone: 'UTC' },
    calendar: {
      timeZone: 'Europe/Berlin',
      openingHours: { mon: [['09:00', '17:00']] },
      holidays: ['2026-12-25'],
    },
  },
  {
    id: 'weekly',
    name: 'Weekly',
    aspect: 'accuracy',
    metric: 'w',
    sli: { kind: 'ratio' },
    objective: 90,
    window: { type: 'calendar', unit: 'week', timeZone: 'Asia/Tokyo' },
  },
  {
    id: 'yearly',
    name: 'Yearly',
    aspect: 'experience',
    metric: 'y',
    sli: { kind: 'ratio' },
    objective: 99.99,
    window: { type: 'calendar', unit: 'year', timeZone: 'UTC' },
  },
];

const agreement: Agreement = {
  id: 'a1',
  kind: 'OLA',
  entityRef: 'component:default/Check_Out',
  title: 'Checkout internal levels',
  description: 'Between the shop team and platform',
  status: 'agreed',
  targets: [
    ...targets,
    {
      id: 'p1-response',
      name: 'P1 response',
      aspect: 'support',
      metric: 'incidents',
      sli: { kind: 'duration', maxDuration: 'PT1H', priority: 'P1' },
      objective: 95,
      window: { type: 'rolling', duration: 'P28D' },
    },
    {
      id: 'perfect',
      name: 'Perfect',
      aspect: 'availability',
      metric: 'x',
      sli: { kind: 'ratio' },
      objective: 100,
      window: { type: 'rolling', duration: 'P28D' },
    },
  ],
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'user:default/a',
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'user:default/a',
};

describe('agreementToOpenSlo', () => {
  it('writes valid OpenSLO v1: a Service, one SLO per target, the burn-rate alert policies', () => {
    const { documents, skipped } = agreementToOpenSlo(agreement);
    expect(validateOpenSlo(documents)).toEqual([]);
    expect(documents.map(d => `${d.kind}/${(d.metadata as any).name}`)).toEqual(
      [
        'Service/check-out',
        'SLO/availability',
        'SLO/latency',
        'SLO/throughput',
        'SLO/support-hours',
        'SLO/weekly',
        'SLO/yearly',
        'AlertPolicy/opensla-page-1h',
        'AlertPolicy/opensla-page-6h',
        'AlertPolicy/opensla-ticket-1d',
        'AlertPolicy/opensla-ticket-3d',
        'AlertNotificationTarget/opensla-owners',
      ],
    );
    expect(skipped.map(s => s.targetId)).toEqual(['p1-response', 'perfect']);
    const latency = documents[2] as any;
    expect(latency.spec.budgetingMethod).toBe('Timeslices');
    expect(latency.spec.timeWindow).toEqual([
      {
        duration: '1M',
        calendar: {
          startTime: '2024-01-01 00:00:00',
          timeZone: 'Europe/Berlin',
        },
        isRolling: false,
      },
    ]);
    expect(latency.spec.objectives).toEqual([
      {
        displayName: 'p95 latency under 300 ms',
        op: 'lte',
        value: 300,
        target: 0.99,
        timeSliceTarget: 1,
        timeSliceWindow: '5m',
      },
    ]);
    const availability = documents[1] as any;
    expect(availability.spec.objectives).toEqual([
      { displayName: 'Availability', target: 0.999 },
    ]);
    expect(availability.spec.indicator.spec.ratioMetric.good).toEqual({
      metricSource: { type: 'prometheus', spec: { query: 'sum(ok)' } },
    });
    const page = documents[7] as any;
    expect(page.spec.conditions[0].spec).toEqual({
      severity: 'page',
      condition: {
        kind: 'burnrate',
        threshold: 14.4,
        lookbackWindow: '1h',
        alertAfter: '0m',
      },
    });
  });

  it('renders multi-document YAML naming what it left out', () => {
    const text = renderOpenSloYaml(agreement);
    expect(text).toContain(
      '#   - p1-response (P1 response): a duration SLI (events with a start and an end) has no OpenSLO form',
    );
    expect(text).toContain(
      '#   - perfect (Perfect): an objective of 100 % has no OpenSLO form',
    );
    const docs = parseAllDocuments(text) as any[];
    expect(docs).toHaveLength(12);
    expect(docs.every(d => d.errors.length === 0)).toBe(true);
  });

  it('round trip: export → import gives the same targets and agreement fields', () => {
    const result = importOpenSlo(renderOpenSloYaml(agreement));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.draft.targets).toEqual(targets);
    expect(result.draft).toMatchObject({
      title: 'Checkout internal levels',
      description: 'Between the shop team and platform',
      kind: 'OLA',
      entityRef: 'component:default/Check_Out',
      warnings: [],
    });
  });

  it('an agreement without targets that map exports only its Service', () => {
    const { documents } = agreementToOpenSlo({ ...agreement, targets: [] });
    expect(documents.map(d => d.kind)).toEqual(['Service']);
  });
});
