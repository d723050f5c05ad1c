/**
 * Types of the portfolio (issue 6): every service with agreements and the
 * practice's KPIs over a period. Instants are ISO 8601 strings.
 */
import type { AgreementKind } from './types';

/** A target's status; the worst of a service's targets. @public */
export type PortfolioStatus = 'met' | 'at-risk' | 'breached' | 'no-data';

/** Breaches open at some instant of the period. @public */
export type PortfolioBreachCounts = {
  total: number;
  minor: number;
  major: number;
  critical: number;
  /** Caused by a dependency under a UC. */
  thirdParty: number;
  /** Caused by a dependency under an OLA. */
  internal: number;
  own: number;
};

/** One service (catalog entity) with agreements. @public */
export type ServiceSummary = {
  entityRef: string;
  /** Owners from the catalog (entity refs), empty when not in the catalog. */
  owners: string[];
  /** Kinds of its agreements (withdrawn ones left out). */
  kinds: AgreementKind[];
  agreements: number;
  /** Agreements in force at the period's end. */
  agreementsInForce: number;
  /** Null without targets in force. */
  worstStatus: PortfolioStatus | null;
  targets: number;
  targetsWithData: number;
  targetsMet: number;
  /** % of targets with data that meet their objective. */
  targetsMetPercent: number | null;
  breaches: PortfolioBreachCounts;
  csat: number | null;
  csatResponses: number;
  watermelon: boolean;
  slaAgreedInDate: boolean;
  reviewOverdue: boolean;
  /**
   * The earliest review due among its agreements in force (service or
   * agreement review), from the review schedules (review records).
   */
  nextReviewDue: string | null;
  /** The earliest next service review among its agreements in force. */
  nextServiceReviewDue?: string | null;
  /** The earliest next agreement review among its agreements in force. */
  nextAgreementReviewDue?: string | null;
  /** Last month's report published in time; null when not known. */
  timelyReports?: boolean | null;
};

/** A KPI over the period, the previous period and the change. @public */
export type PortfolioKpi = {
  value: number | null;
  previous: number | null;
  change: number | null;
};

/** The practice's KPIs (seed 000 Table 2.4). @public */
export type PortfolioKpis = {
  period: { start: string; end: string };
  previousPeriod: { start: string; end: string };
  services: PortfolioKpi;
  targetsMetPercent: PortfolioKpi;
  breaches: Record<keyof PortfolioBreachCounts, PortfolioKpi>;
  slaAgreedInDatePercent: PortfolioKpi;
  timelyReviewsPercent: PortfolioKpi;
  /** % services whose last month's report was published in time. */
  timelyReportsPercent: PortfolioKpi;
  slasOverdueForReviewPercent: PortfolioKpi;
  targetsWithoutMeasurementPercent: PortfolioKpi;
  csat: PortfolioKpi;
  /**
   * Agreements of the matching services awaiting a signature (in
   * negotiation, or under review with a signature given), at the time of
   * the request; `previous` and `change` are null.
   */
  awaitingSignature: PortfolioKpi;
  /**
   * Mean time from the proposal to the second signature (ms) of the rounds
   * agreed by both signatures in the period (migrated signatures left out);
   * null when none.
   */
  averageTimeToAgreeMs: PortfolioKpi;
};

/** GET /portfolio. @public */
export type Portfolio = {
  items: ServiceSummary[];
  kpis: PortfolioKpis;
  /**
   * The instants the targets' statuses are for, at the period's end and at
   * the previous period's end: the end itself, or earlier when kept
   * statuses were used (the oldest evaluation used, at most a few minutes
   * old, or the whole hour before a past end).
   */
  statusesAt?: { current: string; previous: string };
  /** The cursor of the next page of services; absent on the last page. */
  nextCursor?: string;
  /** How many services match the query (every page together). */
  total?: number;
  /**
   * The owners of every service the caller may read, whatever the filters
   * (the choices of the owner filter).
   */
  owners?: string[];
};

/** Columns GET /portfolio sorts by. @public */
export type PortfolioSort =
  | 'status'
  | 'service'
  | 'owners'
  | 'kinds'
  | 'targetsMet'
  | 'breaches'
  | 'csat'
  | 'review';
