import type {
  AgreementKind,
  AgreementStatus,
  AttainmentCoverage,
  TargetStatus,
} from './types';
import type { AgreementSignature } from './negotiationTypes';

/** A breach of a target as a service report shows it. @public */
export type ServiceReportBreach = {
  id: string;
  openedAt: string;
  /** When it closed, if it closed by the end of the period. */
  closedAt: string | null;
  severity: string;
  cause: string;
  /** From opening to closing, or to the end of the period while still open. */
  durationMs: number;
};

/** One target's figures over the report period. @public */
export type ServiceReportTarget = {
  targetId: string;
  name: string;
  aspect: string;
  objective: number;
  /** Attainment over the whole period (maintenance windows left out), percent. */
  attainment: number | null;
  /** attainment ≥ objective; null without data in the period. */
  met: boolean | null;
  /** Units counted in the period (requests, slices with data, events). */
  counted: number;
  /** The error budget of the period, in the same unit as `counted`. */
  errorBudget: {
    allowed: number;
    consumed: number;
    remaining: number | null;
  };
  breaches: ServiceReportBreach[];
  /** Present when the period's figures miss detail pruned by retention. */
  coverage?: AttainmentCoverage;
  /** The target's own window evaluated at the end of the period. */
  atPeriodEnd: {
    status: TargetStatus;
    attainment: number | null;
    window: { start: string; end: string };
    /** Present when these figures miss detail pruned by retention. */
    coverage?: AttainmentCoverage;
  };
};

/** An agreement of the service with its targets' figures. @public */
export type ServiceReportAgreement = {
  id: string;
  kind: AgreementKind;
  title: string;
  status: AgreementStatus;
  version: number;
  validFrom?: string;
  validUntil?: string;
  /** When the version reported was agreed. */
  agreedAt?: string;
  /** The signatures that agreed it (who, for which party, which version, when). */
  signatures?: AgreementSignature[];
  targets: ServiceReportTarget[];
};

/** The service report of an entity for a period (GET /reports). @public */
export type ServiceReport = {
  entityRef: string;
  period: {
    start: string;
    end: string;
    /** `YYYY-MM` for a calendar month (UTC), absent for a from/to period. */
    month?: string;
  };
  /** When the figures were computed. */
  generatedAt: string;
  summary: {
    targets: number;
    met: number;
    notMet: number;
    noData: number;
    breaches: number;
  };
  agreements: ServiceReportAgreement[];
  satisfaction: {
    csat: number | null;
    csatResponses: number;
    nps: number | null;
    npsResponses: number;
    responses: number;
    complaints: {
      total: number;
      open: number;
      acknowledged: number;
      resolved: number;
    };
    compliments: number;
  };
  reviews: Array<{
    id: string;
    agreementId: string;
    kind: string;
    heldAt: string;
    participants: number;
    decision?: string;
  }>;
  improvements: Array<{
    id: string;
    title: string;
    source: string;
    owner: string;
    status: string;
    progress?: number;
    due?: string;
    completedAt?: string;
  }>;
};

/** A published (frozen) service report, without its figures. @public */
export type PublishedReportSummary = {
  id: string;
  entityRef: string;
  period: ServiceReport['period'];
  publishedAt: string;
  publishedBy: string;
  summary: ServiceReport['summary'];
};

/** A published service report with the figures frozen at publication. @public */
export type PublishedReport = PublishedReportSummary & {
  report: ServiceReport;
};

/** Which period a report covers: a month (`YYYY-MM`, UTC) or from/to. @public */
export type ReportPeriodQuery = {
  month?: string;
  from?: string;
  to?: string;
};
