import type { Entity } from '@backstage/catalog-model';
import type {
  Agreement,
  AgreementHistoryEntry,
} from '@opensla/backstage-plugin-sla-common';

export const testEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments-team',
    lifecycle: 'production',
  },
};

export const testEntityRef = 'component:default/payments';

/** An agreed SLA with one target of each SLI kind. */
export function makeAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'payments-sla',
    kind: 'SLA',
    scope: 'service',
    entityRef: testEntityRef,
    title: 'Payments API SLA',
    description: 'Card payments for every web shop customer.',
    customer: 'group:default/checkout',
    provider: 'group:default/payments-team',
    status: 'agreed',
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2026-12-31T23:59:59.999Z',
    reviewInterval: 'P1Y',
    agreedAt: '2026-01-05T10:00:00.000Z',
    agreedBy: 'user:default/alice',
    targets: [
      {
        id: 'availability',
        name: 'Availability',
        aspect: 'availability',
        metric: 'http_requests',
        sli: { kind: 'ratio' },
        objective: 99.9,
        window: { type: 'rolling', duration: 'P28D' },
      },
      {
        id: 'latency',
        name: 'Latency',
        aspect: 'performance',
        metric: 'p95_latency',
        sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
        objective: 95,
        window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      },
      {
        id: 'p1-resolution',
        name: 'P1 resolution',
        aspect: 'support',
        metric: 'incidents',
        sli: { kind: 'duration', maxDuration: 'PT1H', priority: 'P1' },
        objective: 90,
        window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      },
    ],
    version: 4,
    createdAt: '2025-11-01T09:00:00.000Z',
    createdBy: 'user:default/alice',
    updatedAt: '2026-01-05T10:00:00.000Z',
    updatedBy: 'user:default/alice',
    ...overrides,
  };
}

export const testHistory: AgreementHistoryEntry[] = [
  {
    version: 4,
    status: 'agreed',
    changedBy: 'user:default/alice',
    changedAt: '2026-01-05T10:00:00.000Z',
    change: {
      type: 'transition',
      summary: 'Agreed',
      from: 'negotiation',
      to: 'agreed',
      comment: 'Signed off with checkout',
    },
  },
  {
    version: 3,
    status: 'negotiation',
    changedBy: 'user:default/bob',
    changedAt: '2025-12-01T10:00:00.000Z',
    change: {
      type: 'transition',
      summary: 'Proposed',
      from: 'draft',
      to: 'negotiation',
    },
  },
  {
    version: 1,
    status: 'requirements',
    changedBy: 'user:default/alice',
    changedAt: '2025-11-01T09:00:00.000Z',
    change: { type: 'created', summary: 'Created' },
  },
];
