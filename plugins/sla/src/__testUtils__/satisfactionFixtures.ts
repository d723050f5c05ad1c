import type {
  Feedback,
  Satisfaction,
  Watermelon,
} from '@opensla/backstage-plugin-sla-common';
import { testEntityRef } from './agreementFixtures';

export const noWatermelon: Watermelon = {
  entityRef: testEntityRef,
  watermelon: false,
  reason: 'no service-level target with data is green',
  green: [],
  red: [],
};

/** A satisfaction summary without any feedback. */
export function makeSatisfaction(
  overrides: Partial<Satisfaction> = {},
): Satisfaction {
  return {
    entityRef: testEntityRef,
    window: {
      start: '2026-10-23T12:00:00.000Z',
      end: '2026-11-22T12:00:00.000Z',
    },
    csat: null,
    meanScore: null,
    nps: null,
    responses: 0,
    csatResponses: 0,
    npsResponses: 0,
    distribution: { csat: [0, 0, 0, 0, 0], nps: Array(11).fill(0) },
    trend: [],
    complaints: { total: 0, open: 0, acknowledged: 0, resolved: 0 },
    compliments: 0,
    latest: [],
    watermelon: noWatermelon,
    ...overrides,
  };
}

export function makeFeedback(overrides: Partial<Feedback> = {}): Feedback {
  return {
    id: 'f1',
    entityRef: testEntityRef,
    kind: 'impromptu',
    score: 2,
    scale: 'csat',
    comment: 'Checkout is slow on Fridays',
    anonymous: false,
    givenBy: 'user:default/bob',
    givenAt: '2026-11-21T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
