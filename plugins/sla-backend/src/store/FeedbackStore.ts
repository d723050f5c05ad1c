import type { Knex } from 'knex';
import { enqueueEvaluation } from './EvaluationQueueStore';
import type {
  Feedback,
  FeedbackKind,
  SurveyCampaign,
} from '@opensla/backstage-plugin-sla-common';
import type { ScoredAnswer } from '../domain/satisfaction';

type FeedbackRow = {
  id: string;
  entity_ref: string;
  kind: string;
  campaign_id: string | null;
  given_by: string;
  given_at: string;
  scale: string | null;
  score: number | null;
  state: string | null;
  version: number;
  data: string;
};

/** Stored feedback: the public shape plus who gave it (kept when anonymous). */
export type StoredFeedback = Feedback & { givenBy: string };

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

class RetryError extends Error {}

/** A lost race: another write of the same row or unique key came first. */
function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    error instanceof RetryError ||
    e?.code === '23505' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

function toRow(f: StoredFeedback): FeedbackRow {
  return {
    id: f.id,
    entity_ref: lower(f.entityRef),
    kind: f.kind,
    campaign_id: f.campaignId ?? null,
    given_by: lower(f.givenBy),
    given_at: f.givenAt,
    scale: f.score === undefined ? null : f.scale ?? 'csat',
    score: f.score ?? null,
    state: f.state ?? null,
    version: f.version,
    data: JSON.stringify(f),
  };
}

/**
 * Persistence of feedback and survey campaigns: one statement or
 * transaction per method, no business rules.
 * @internal
 */
export class FeedbackStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores feedback. A campaign answer replaces the user's earlier answer to
   * the same campaign (same id, version + 1); returns what is stored. Two
   * answers of the same user racing each other both land, one after the
   * other (the unique key turns the loser's insert into a retry).
   */
  async give(
    feedback: StoredFeedback,
    evaluate?: { entityRef: string; from: number },
  ): Promise<StoredFeedback> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.giveOnce(feedback, evaluate);
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
      }
    }
  }

  /**
   * Stores the feedback; with `evaluate`, the entity is enqueued for
   * evaluation in the same transaction (scored feedback measures XLAs).
   */
  private async giveOnce(
    feedback: StoredFeedback,
    evaluate?: { entityRef: string; from: number },
  ): Promise<StoredFeedback> {
    return this.db.transaction(async tx => {
      if (evaluate) {
        await enqueueEvaluation(tx, [evaluate.entityRef], evaluate.from);
      }
      if (feedback.campaignId) {
        const earlier = await tx<FeedbackRow>('sla_feedback')
          .where({
            campaign_id: feedback.campaignId,
            given_by: lower(feedback.givenBy),
          })
          .first();
        if (earlier) {
          const replaced = {
            ...feedback,
            id: earlier.id,
            version: earlier.version + 1,
          };
          const updated = await tx('sla_feedback')
            .where({ id: earlier.id, version: earlier.version })
            .update(toRow(replaced));
          if (updated !== 1) throw new RetryError();
          return replaced;
        }
      }
      await tx('sla_feedback').insert(toRow(feedback));
      return feedback;
    });
  }

  /** Inserts feedback unless its id exists; true when inserted. */
  async insertIfAbsent(feedback: StoredFeedback): Promise<boolean> {
    // Insert-or-ignore: replicas seeding together store each item once.
    const inserted = await this.db('sla_feedback')
      .insert(toRow(feedback))
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async get(id: string): Promise<StoredFeedback | undefined> {
    const row = await this.db<FeedbackRow>('sla_feedback')
      .where('id', id)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** Replaces a piece of feedback if it is still at `version`; false otherwise. */
  async update(feedback: StoredFeedback, version: number): Promise<boolean> {
    const updated = await this.db('sla_feedback')
      .where({ id: feedback.id, version })
      .update(toRow(feedback));
    return updated === 1;
  }

  async list(filter: {
    entityRef: string;
    kind?: FeedbackKind;
    state?: string;
    from?: string;
    to?: string;
    /** Keyset paging: only feedback after this [givenAt, id] in list order. */
    after?: [string, string];
    limit?: number;
  }): Promise<StoredFeedback[]> {
    const query = this.db<FeedbackRow>('sla_feedback')
      .select('data')
      .where('entity_ref', lower(filter.entityRef));
    if (filter.kind) query.where('kind', filter.kind);
    if (filter.state) query.where('state', filter.state);
    if (filter.from) query.where('given_at', '>=', filter.from);
    if (filter.to) query.where('given_at', '<', filter.to);
    if (filter.after) {
      const [givenAt, id] = filter.after;
      query.where(q =>
        q
          .where('given_at', '<', givenAt)
          .orWhere(q2 =>
            q2.where('given_at', '=', givenAt).andWhere('id', '>', id),
          ),
      );
    }
    query.orderBy([
      { column: 'given_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    if (filter.limit) query.limit(filter.limit);
    return (await query).map(r => JSON.parse(r.data));
  }

  /** Scored answers given in [from, to), for the math. */
  async scoredAnswers(
    entityRef: string,
    from: string,
    to: string,
  ): Promise<ScoredAnswer[]> {
    const rows = await this.db<FeedbackRow>('sla_feedback')
      .select('given_by', 'campaign_id', 'scale', 'score', 'given_at')
      .where('entity_ref', lower(entityRef))
      .whereNotNull('score')
      .where('given_at', '>=', from)
      .where('given_at', '<', to);
    return rows.map(r => ({
      userRef: r.given_by,
      campaignId: r.campaign_id ?? undefined,
      scale: r.scale === 'nps' ? 'nps' : 'csat',
      score: Number(r.score),
      givenAt: Date.parse(r.given_at),
    }));
  }

  /** Complaints by state and the number of compliments given in [from, to). */
  async counts(entityRef: string, from: string, to: string) {
    const rows = await this.db<FeedbackRow>('sla_feedback')
      .select('kind', 'state')
      .count({ n: '*' })
      .where('entity_ref', lower(entityRef))
      .whereIn('kind', ['complaint', 'compliment'])
      .where('given_at', '>=', from)
      .where('given_at', '<', to)
      .groupBy('kind', 'state');
    return rows.map(r => ({
      kind: r.kind as string,
      state: r.state as string | null,
      n: Number((r as any).n),
    }));
  }

  async insertCampaign(campaign: SurveyCampaign): Promise<void> {
    await this.db('sla_survey_campaigns').insert({
      id: campaign.id,
      entity_ref: lower(campaign.entityRef),
      status: campaign.status,
      version: campaign.version,
      created_at: campaign.createdAt,
      data: JSON.stringify(campaign),
    });
  }

  async getCampaign(id: string): Promise<SurveyCampaign | undefined> {
    const row = await this.db('sla_survey_campaigns')
      .where('id', id)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** Replaces a campaign if it is still at `version`; false otherwise. */
  async updateCampaign(
    campaign: SurveyCampaign,
    version: number,
  ): Promise<boolean> {
    const updated = await this.db('sla_survey_campaigns')
      .where({ id: campaign.id, version })
      .update({
        status: campaign.status,
        version: campaign.version,
        data: JSON.stringify(campaign),
      });
    return updated === 1;
  }

  async listCampaigns(entityRef: string): Promise<SurveyCampaign[]> {
    const rows = await this.db('sla_survey_campaigns')
      .select('data')
      .where('entity_ref', lower(entityRef))
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(r => JSON.parse(r.data));
  }
}
