import type { ReviewDecisionType, ReviewSnapshot } from '../domain/reviews';

/** An action agreed in a review. @internal */
export type ReviewAction = {
  title: string;
  owner?: string;
  due?: string;
  done?: boolean;
};

/** A review record (GET/POST /reviews, PUT /reviews/{id}). @internal */
export type Review = {
  id: string;
  agreementId: string;
  entityRef: string;
  kind: 'service' | 'agreement' | 'event';
  /** open: scheduled or opened by an event, not held yet; held: recorded. */
  status: 'open' | 'held';
  reason?: string;
  trigger?: {
    type: 'breach' | 'on-demand';
    breachId?: string;
    targetId?: string;
  };
  period?: { start: string; end: string };
  heldAt?: string;
  participants: string[];
  minutes?: string;
  decision?: {
    type: ReviewDecisionType;
    validUntil?: string;
    comment?: string;
    /** The lifecycle moves the decision made, e.g. ["under-review", "agreed"]. */
    transitions: string[];
    agreementVersion: number;
  };
  actions: ReviewAction[];
  serviceReviewInterval?: string;
  /** Attainment and satisfaction of the period, frozen when the review is held. */
  snapshot?: ReviewSnapshot;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** An improvement initiative (GET/POST /improvements, PUT /improvements/{id}). @internal */
export type Improvement = {
  id: string;
  entityRef: string;
  title: string;
  description?: string;
  source: 'review' | 'breach' | 'complaint' | 'feedback';
  /** The review, breach or feedback it came from. */
  sourceId?: string;
  owner: string;
  status: 'proposed' | 'in-progress' | 'done' | 'cancelled';
  progress?: number;
  due?: string;
  targets: Array<{ agreementId: string; targetId: string }>;
  completedAt?: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};
