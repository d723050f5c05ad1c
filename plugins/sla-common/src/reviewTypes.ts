/**
 * Types of service reviews and the service improvement plan (issue 6), as
 * GET/POST /reviews, PUT /reviews/{id}, GET/POST /improvements and
 * PUT /improvements/{id} send them. Instants are ISO 8601 strings.
 */

import type { AgreementParty } from './negotiationTypes';

/** @public */
export type ReviewKind = 'service' | 'agreement' | 'event';

/** open: scheduled or opened by an event, not held yet; held: recorded. @public */
export type ReviewStatus = 'open' | 'held';

/** What a review decides about its agreement. @public */
export type ReviewDecisionType = 'prolong' | 'amend' | 'withdraw';

/** An action agreed in a review. @public */
export type ReviewAction = {
  title: string;
  owner?: string;
  due?: string;
  done?: boolean;
};

/** A target's attainment at the end of the reviewed period, frozen. @public */
export type ReviewSnapshotTarget = {
  agreementId: string;
  targetId: string;
  name?: string;
  attainment: number | null;
  objective: number;
  status: string;
  window: { start: string; end: string };
  errorBudget?: { allowed: number; consumed: number; remaining: number | null };
};

/** Attainment and satisfaction of the period, frozen when the review was held. @public */
export type ReviewSnapshot = {
  takenAt: string;
  period: { start: string; end: string };
  attainment: ReviewSnapshotTarget[];
  targetsMet: number;
  targetsMeasured: number;
  satisfaction: {
    csat: number | null;
    csatResponses: number;
    mean?: number | null;
    nps?: number | null;
    complaints?: {
      total: number;
      open: number;
      acknowledged: number;
      resolved: number;
    };
    compliments?: number;
    watermelon?: boolean;
  };
};

/** @public */
export type Review = {
  id: string;
  agreementId: string;
  entityRef: string;
  kind: ReviewKind;
  status: ReviewStatus;
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
    /** Given when a prolongation re-agreed a target that is not viable. */
    viabilityOverride?: { reason: string };
    /** The lifecycle moves the decision made, e.g. ["under-review", "agreed"]. */
    transitions: string[];
    agreementVersion: number;
    /**
     * The signatures the decision left awaited, when the agreement's
     * customer signs too: a prolongation or amendment is a new round of
     * signatures (docs/api.md, "Prolongation and amendment after a review").
     */
    awaitingSignatures?: AgreementParty[];
  };
  actions: ReviewAction[];
  serviceReviewInterval?: string;
  snapshot?: ReviewSnapshot;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** What is sent to hold (or open) a review. @public */
export type ReviewInput = {
  agreementId: string;
  kind?: ReviewKind;
  /** Default `held`. */
  status?: ReviewStatus;
  reason?: string;
  period?: { start: string; end: string };
  heldAt?: string;
  participants?: string[];
  minutes?: string;
  decision?: {
    type: ReviewDecisionType;
    validUntil?: string;
    comment?: string;
    /**
     * With type prolong: re-agree although an availability target is not
     * viable (without it such a review is a 409). The reason is kept in the
     * agreement's history and the review.
     */
    viabilityOverride?: { reason: string };
  };
  actions?: ReviewAction[];
  /** When the next service review is due after this one (P1M to P3M). */
  serviceReviewInterval?: string;
};

/** A change to a review (PUT /reviews/{id}), with the version it was read at. @public */
export type ReviewUpdate = Omit<ReviewInput, 'agreementId' | 'kind'> & {
  version: number;
};

/** When the next reviews of an agreement are due. @public */
export type ReviewSchedule = {
  agreementId: string;
  lastReviewAt?: string;
  serviceReviewInterval: string;
  nextServiceReviewDue?: string;
  nextAgreementReviewDue?: string;
  overdue: Array<'service' | 'agreement'>;
  openReviews: number;
};

/** @public */
export type ImprovementSource = 'review' | 'breach' | 'complaint' | 'feedback';

/** @public */
export type ImprovementStatus =
  | 'proposed'
  | 'in-progress'
  | 'done'
  | 'cancelled';

/** What is sent to start or replace an improvement initiative. @public */
export type ImprovementInput = {
  entityRef: string;
  title: string;
  description?: string;
  source: ImprovementSource;
  /** The review, breach or feedback it came from. */
  sourceId?: string;
  owner: string;
  status?: ImprovementStatus;
  /** Whole percent, 0–100. */
  progress?: number;
  due?: string;
  targets?: Array<{ agreementId: string; targetId: string }>;
};

/** @public */
export type Improvement = Omit<ImprovementInput, 'status' | 'targets'> & {
  id: string;
  status: ImprovementStatus;
  targets: Array<{ agreementId: string; targetId: string }>;
  completedAt?: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** The service improvement plan of a service. @public */
export type ImprovementPlan = {
  total: number;
  open: number;
  done: number;
  cancelled: number;
  overdue: number;
  /** Mean progress in percent (done = 100, cancelled left out); null without initiatives. */
  progress: number | null;
};
