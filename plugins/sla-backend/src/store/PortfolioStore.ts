import type { Knex } from 'knex';
import type {
  BreachCause,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import type { HeldReview } from '../domain/reviews';
import type { ScoredAnswer } from '../domain/satisfaction';

/** A breach as the portfolio reads it (entity refs lower-cased). */
export type PortfolioBreachRow = {
  entityRef: string;
  openedAt: string;
  closedAt: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
};

/**
 * The portfolio's reads across all services: one query each, whatever the
 * number of services.
 * @internal
 */
export class PortfolioStore {
  constructor(private readonly db: Knex) {}

  /** Breaches open at some instant of [from, to). */
  async breaches(from: string, to: string): Promise<PortfolioBreachRow[]> {
    const rows = await this.db('sla_breaches')
      .select('entity_ref', 'opened_at', 'closed_at', 'severity', 'cause')
      .where('opened_at', '<', to)
      .where(qb => qb.whereNull('closed_at').orWhere('closed_at', '>', from));
    return rows.map(r => ({
      entityRef: r.entity_ref,
      openedAt: r.opened_at,
      closedAt: r.closed_at ?? null,
      severity: r.severity,
      cause: r.cause,
    }));
  }

  /** Scored answers given in [from, to), by lower-cased entity ref. */
  async scoredAnswers(
    from: string,
    to: string,
  ): Promise<Map<string, ScoredAnswer[]>> {
    const rows = await this.db('sla_feedback')
      .select(
        'entity_ref',
        'given_by',
        'campaign_id',
        'scale',
        'score',
        'given_at',
      )
      .whereNotNull('score')
      .where('given_at', '>=', from)
      .where('given_at', '<', to);
    const byEntity = new Map<string, ScoredAnswer[]>();
    for (const r of rows) {
      const list = byEntity.get(r.entity_ref) ?? [];
      list.push({
        userRef: r.given_by,
        campaignId: r.campaign_id ?? undefined,
        scale: r.scale === 'nps' ? 'nps' : 'csat',
        score: Number(r.score),
        givenAt: Date.parse(r.given_at),
      });
      byEntity.set(r.entity_ref, list);
    }
    return byEntity;
  }

  /** Held reviews (review records) by agreement id, for the schedules. */
  async heldReviews(): Promise<Map<string, HeldReview[]>> {
    const rows = await this.db('sla_reviews')
      .select('agreement_id', 'kind', 'held_at', 'data')
      .where('status', 'held')
      .whereNotNull('held_at');
    const byAgreement = new Map<string, HeldReview[]>();
    for (const r of rows) {
      const interval: unknown = JSON.parse(r.data).serviceReviewInterval;
      const list = byAgreement.get(r.agreement_id) ?? [];
      list.push({
        kind: r.kind,
        heldAt: r.held_at,
        ...(typeof interval === 'string'
          ? { serviceReviewInterval: interval }
          : {}),
      });
      byAgreement.set(r.agreement_id, list);
    }
    return byAgreement;
  }

  /**
   * Changes whenever an agreement or a review is written: counts and sums
   * of versions (versions only grow, nothing is deleted). One statement.
   */
  async agreementsAndReviewsStamp(): Promise<string> {
    const row = await this.db
      .select(
        this.db('sla_agreements').count('*').as('agreements'),
        this.db('sla_agreements').sum('version').as('agreement_versions'),
        this.db('sla_reviews').count('*').as('reviews'),
        this.db('sla_reviews').sum('version').as('review_versions'),
      )
      .first();
    return [
      row.agreements,
      row.agreement_versions,
      row.reviews,
      row.review_versions,
    ]
      .map(x => String(Number(x ?? 0)))
      .join('/');
  }
}
