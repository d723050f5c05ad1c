import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ReviewAction } from '@opensla/backstage-plugin-sla-common';

/**
 * A review held in the past that a module provides as code (demo data, or
 * reviews recorded in another tool). It is checked like POST /reviews
 * (without a decision: a seed never moves an agreement's lifecycle) and
 * stored once by `id`, with its snapshot frozen from the data the plugin
 * holds for its period. A seed whose period has no measured data yet (the
 * metric sources have not backfilled it) waits for a later run.
 * @public
 */
export interface SeedReview {
  /** Stable id. */
  id: string;
  agreementId: string;
  /** Default `service`. */
  kind?: 'service' | 'agreement';
  period: { start: string; end: string };
  heldAt: string;
  participants: string[];
  minutes?: string;
  actions?: ReviewAction[];
  serviceReviewInterval?: string;
  /** Who recorded it (default `seed:<provider name>`). */
  createdBy?: string;
}

/**
 * A service report that was published for a calendar month (UTC), stored
 * once per entity and month with its figures frozen, like
 * POST /reports/published. Waits while the month has targets without data.
 * @public
 */
export interface SeedPublishedReport {
  entityRef: string;
  /** `YYYY-MM`. */
  month: string;
  /** When it was published (default: when it is stored). */
  publishedAt?: string;
  /** Who published it (default `seed:<provider name>`). */
  publishedBy?: string;
}

/** @public */
export interface SlaPracticeSeedProvider {
  name: string;
  getReviews(): Promise<SeedReview[]>;
  getPublishedReports?(): Promise<SeedPublishedReport[]>;
}

/** @public */
export interface SlaPracticeSeedExtensionPoint {
  addPracticeSeedProvider(provider: SlaPracticeSeedProvider): void;
}

/**
 * Lets a module provide the practice's history: held reviews and published
 * reports. The plugin stores them from a scheduled task once their periods
 * have data, so their frozen figures are the real ones.
 * @public
 */
export const slaPracticeSeedExtensionPoint =
  createExtensionPoint<SlaPracticeSeedExtensionPoint>({
    id: 'sla.practice-seed',
  });
