import type {
  Agreement,
  AgreementKind,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import type { PortfolioAgreement, TargetState } from '../domain/portfolio';

/**
 * The shapes the portfolio's parts share: every service with agreements,
 * parsed once per change of agreements or reviews (PortfolioReadModel),
 * and the statuses of their targets (PortfolioStatuses).
 */

/** An agreement with its held reviews and when it is in force. */
export type PortfolioAgreementRecord = Agreement & {
  reviews: NonNullable<PortfolioAgreement['reviews']>;
  span?: PortfolioAgreement['span'];
};

/** A target of one of a service's agreements, with what is kept of it. */
export type ServiceTarget = {
  agreement: PortfolioAgreementRecord;
  target: Target;
  /** TargetStatusStore.key */
  key: string;
  fingerprint: string;
  /** Its aspect (`unknown` when not given), for the watermelon verdict. */
  aspect: string;
  /** When its agreement is in force (inForceSpan), if agreed. */
  span?: { from: number; until: number };
};

/** A service (catalog entity) with agreements; not to be mutated. */
export type PortfolioServiceRecord = {
  /** The entity ref in lower case. */
  ref: string;
  entityRef: string;
  agreements: PortfolioAgreementRecord[];
  kinds: AgreementKind[];
  targets: ServiceTarget[];
};

/**
 * The statuses of a service's targets in force at a period's end, however
 * they were obtained, with each target's aspect (same order).
 */
export type ServiceStatuses = { statuses: TargetState[]; aspects: string[] };

/** The statuses at a period's end and the instant they are for. */
export type Statuses = {
  /** By service, in the order of the services asked for. */
  byService: ServiceStatuses[];
  /** The oldest instant a status used is for (ms). */
  asOf: number;
  /** Targets answered from kept statuses, and evaluated for this request. */
  kept: number;
  evaluated: number;
};
