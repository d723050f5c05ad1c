import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  ComplaintResponse,
  ComplaintState,
  FeedbackInput,
} from '@opensla/backstage-plugin-sla-common';

/**
 * Feedback that a module provides as code, e.g. demo data or the results of
 * a survey run in another tool. Seeding is idempotent: feedback whose `id`
 * already exists is left alone.
 * @public
 */
export interface SeedFeedback {
  /** Stable id. */
  id: string;
  /** Who gave it, e.g. `user:default/jane` (kept, hidden when anonymous). */
  givenBy: string;
  /** ISO 8601 instant. */
  givenAt: string;
  /** Campaign answers are not seeded: `campaignId` and `answers` are ignored. */
  feedback: FeedbackInput;
  /** Complaints only (default `open`). */
  state?: ComplaintState;
  responses?: ComplaintResponse[];
}

/** @public */
export interface SlaFeedbackSeedProvider {
  name: string;
  getFeedback(): Promise<SeedFeedback[]>;
}

/** @public */
export interface SlaFeedbackSeedExtensionPoint {
  addFeedbackSeedProvider(provider: SlaFeedbackSeedProvider): void;
}

/**
 * Lets a module provide feedback that the SLA plugin stores when it
 * starts, if it does not exist yet.
 * @public
 */
export const slaFeedbackSeedExtensionPoint =
  createExtensionPoint<SlaFeedbackSeedExtensionPoint>({
    id: 'sla.feedback-seed',
  });
