import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ImprovementInput } from '@opensla/backstage-plugin-sla-common';

/**
 * An improvement initiative that a module provides as code, e.g. demo data
 * or initiatives tracked in another tool. Seeding is idempotent: an
 * initiative whose `id` already exists is left alone (edits made in the
 * portal are never overwritten). It is checked like POST /improvements; an
 * invalid one is logged and skipped.
 * @public
 */
export interface SeedImprovement extends ImprovementInput {
  /** Stable id. */
  id: string;
  /** Who started it (default `sla:seed`). */
  createdBy?: string;
  /** ISO 8601 instant it was started (default: when it is stored). */
  createdAt?: string;
  /** ISO 8601 instant it was done (status `done`; default: when stored). */
  completedAt?: string;
}

/** @public */
export interface SlaImprovementSeedProvider {
  name: string;
  getImprovements(): Promise<SeedImprovement[]>;
}

/** @public */
export interface SlaImprovementSeedExtensionPoint {
  addImprovementSeedProvider(provider: SlaImprovementSeedProvider): void;
}

/**
 * Lets a module provide improvement initiatives that the SLA plugin stores
 * when it starts (after the seeded agreements), if they do not exist yet.
 * @public
 */
export const slaImprovementSeedExtensionPoint =
  createExtensionPoint<SlaImprovementSeedExtensionPoint>({
    id: 'sla.improvement-seed',
  });
