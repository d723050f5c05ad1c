import type { Knex } from 'knex';
import type {
  BreachCause,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import type { HeldReview } from '../domain/reviews';
import type { ScoredAnswer } from '../domain/satisfaction';
import { ChangeLog } from './ChangeLog';

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
  private readonly changes: ChangeLog;

  constructor(private readonly db: Knex) {
    this.changes = new ChangeLog(db);
  }

  /** Prunes the change log behind the stamps (the snapshot task). */
  async pruneChanges(signal?: AbortSignal): Promise<number> {
    return this.changes.prune(signal);
  }

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
   * Changes whenever a breach is written or voided (ChangeLog: one
   * indexed statement).
   */
  async breachesStamp(): Promise<string> {
    return this.changes.stamp(['sla_breaches']);
  }

  /**
   * Changes whenever feedback is given or replaced (ChangeLog: one indexed
   * statement).
   */
  async scoredAnswersStamp(): Promise<string> {
    return this.changes.stamp(['sla_feedback']);
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
   * Changes whenever an agreement or a review is written (ChangeLog: one
   * indexed statement).
   */
  async agreementsAndReviewsStamp(): Promise<string> {
    return this.changes.stamp(['sla_agreements', 'sla_reviews']);
  }
}
