import type {
  AgreementKind,
  AgreementStatus,
  BreachCause,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import type { HeldReview } from '../reviews';

/* What the portfolio's domain reads (agreements, breaches, statuses). */

/** A half-open period [start, end), epoch ms. */
export type Period = { start: number; end: number };

/** A target's status as attainment reports it. */
export type TargetState = 'met' | 'at-risk' | 'breached' | 'no-data';

/** What the portfolio reads of an agreement. Instants are ISO strings. */
export type PortfolioAgreement = {
  kind: AgreementKind;
  status: AgreementStatus;
  validFrom?: string;
  validUntil?: string;
  agreedAt?: string;
  /** The agreement's own review interval (default P1Y). */
  reviewInterval?: string;
  /** Its held reviews (review records), in any order. */
  reviews?: HeldReview[];
  /**
   * inForceSpan, when the caller computed it once for an agreement it
   * reads many times (null: not agreed).
   */
  span?: { from: number; until: number } | null;
};

/** What the portfolio reads of a breach record. */
export type PortfolioBreach = {
  openedAt: string;
  closedAt: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
};

/** Parsed instants (the same few strings are read tens of thousands of times). */
const parsed = new Map<string, number>();
export const ms = (iso: string) => {
  let t = parsed.get(iso);
  if (t === undefined) {
    if (parsed.size > 200_000) parsed.clear();
    t = Date.parse(iso);
    parsed.set(iso, t);
  }
  return t;
};
