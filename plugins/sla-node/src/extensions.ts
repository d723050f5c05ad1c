import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  AgreementInput,
  AgreementStatus,
} from '@opensla/backstage-plugin-sla-common';

/**
 * An agreement that a module provides as code, e.g. demo data or agreements
 * kept in a repository. Seeding is idempotent: an agreement whose `id`
 * already exists is left alone, so edits made in the portal are never
 * overwritten and nothing is duplicated when the backend restarts.
 * @public
 */
export interface SeedAgreement {
  /** Stable id: lower-case letters, digits and dashes. */
  id: string;
  /** The status to create it in (default `requirements`). */
  status?: Exclude<AgreementStatus, 'expired'>;
  agreement: AgreementInput;
}

/** @public */
export interface SlaAgreementSeedProvider {
  /** Named in the history entry of each seeded agreement. */
  name: string;
  getAgreements(): Promise<SeedAgreement[]>;
}

/** @public */
export interface SlaSeedExtensionPoint {
  addSeedProvider(provider: SlaAgreementSeedProvider): void;
}

/**
 * Lets a module provide agreements that the SLA plugin creates when it
 * starts, if they do not exist yet.
 * @public
 */
export const slaSeedExtensionPoint =
  createExtensionPoint<SlaSeedExtensionPoint>({
    id: 'sla.seed',
  });
