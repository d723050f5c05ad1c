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

  /**
   * Breaches open at some instant of [from, to) (of [from, ∞) without
   * `to`).
   */
  async breaches(from: string, to?: string): Promise<PortfolioBreachRow[]> {
    const query = this.db('sla_breaches')
      .select('entity_ref', 'opened_at', 'closed_at', 'severity', 'cause')
      .where(qb => qb.whereNull('closed_at').orWhere('closed_at', '>', from));
    if (to !== undefined) query.where('opened_at', '<', to);
    const rows: Array<{
      entity_ref: string;
      opened_at: string;
      closed_at: string | null;
      severity: BreachSeverity;
      cause: BreachCause;
    }> = await query;
    return rows.map(r => ({
      entityRef: r.entity_ref,
      openedAt: r.opened_at,
      closedAt: r.closed_at ?? null,
      severity: r.severity,
      cause: r.cause,
    }));
  }

  /**
   * Scored answers given in [from, to) (from `from` on without `to`), by
   * lower-cased entity ref.
   */
  async scoredAnswers(
    from: string,
    to?: string,
  ): Promise<Map<string, ScoredAnswer[]>> {
    const query = this.db('sla_feedback')
      .select(
        'entity_ref',
        'given_by',
        'campaign_id',
        'scale',
        'score',
        'given_at',
      )
      .whereNotNull('score')
      .where('given_at', '>=', from);
    if (to !== undefined) query.where('given_at', '<', to);
    const rows: Array<{
      entity_ref: string;
      given_by: string;
      campaign_id: string | null;
      scale: string;
      score: number | string;
      given_at: string;
    }> = await query;
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

  /**
   * Changes whenever a breach is recorded, closed, made more severe or
   * given a cause other than its own (the only changes BreachService
   * makes: closed_at is set once, severity only grows, a cause only moves
   * away from `own`). One statement.
   */
  async breachesStamp(): Promise<string> {
    const row = await this.db('sla_breaches').first(
      this.db.raw('count(*) as n'),
      this.db.raw('count(closed_at) as closed'),
      this.db.raw('max(opened_at) as latest'),
      this.db.raw(
        "sum(case severity when 'major' then 1 when 'critical' then 2 else 0 end) as severities",
      ),
      this.db.raw(
        "sum(case cause when 'own' then 0 when 'internal' then 1 else 2 end) as causes",
      ),
    );
    return [row?.n, row?.closed, row?.severities, row?.causes]
      .map(x => String(Number(x ?? 0)))
      .concat(String(row?.latest ?? ''))
      .join('/');
  }

  /**
   * Changes whenever scored feedback is given or replaced: count, version
   * sum and latest instant (nothing is deleted; a replaced answer's version
   * grows). One statement.
   */
  async scoredAnswersStamp(): Promise<string> {
    const row = await this.db('sla_feedback')
      .whereNotNull('score')
      .first(
        this.db.raw('count(*) as n'),
        this.db.raw('sum(version) as versions'),
        this.db.raw('max(given_at) as latest'),
      );
    return `${Number(row?.n ?? 0)}/${Number(row?.versions ?? 0)}/${
      row?.latest ?? ''
    }`;
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
