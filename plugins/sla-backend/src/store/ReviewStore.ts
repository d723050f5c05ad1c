import type { Knex } from 'knex';
import type { Review } from '@opensla/backstage-plugin-sla-common';
import { AgreementVersionWrite, writeAgreementVersion } from './AgreementStore';

/** Why a held review was not stored. @internal */
export type HoldConflict = 'review' | 'agreement';

class Rollback extends Error {
  constructor(readonly conflict: HoldConflict) {
    super(conflict);
  }
}

type ReviewRow = {
  id: string;
  agreement_id: string;
  entity_ref: string;
  kind: string;
  status: string;
  held_at: string | null;
  breach_id: string | null;
  version: number;
  created_at: string;
  data: string;
};

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function toRow(r: Review): ReviewRow {
  return {
    id: r.id,
    agreement_id: r.agreementId,
    entity_ref: lower(r.entityRef),
    kind: r.kind,
    status: r.status,
    held_at: r.heldAt ?? null,
    breach_id: r.trigger?.breachId ?? null,
    version: r.version,
    created_at: r.createdAt,
    data: JSON.stringify(r),
  };
}

/**
 * Persistence of reviews: one statement or one transaction per method, no
 * business rules.
 * @internal
 */
export class ReviewStore {
  constructor(private readonly db: Knex) {}

  async list(filter: {
    entityRef?: string;
    agreementId?: string;
    status?: string;
  }): Promise<Review[]> {
    const query = this.db<ReviewRow>('sla_reviews').select('data');
    if (filter.entityRef) query.where('entity_ref', lower(filter.entityRef));
    if (filter.agreementId) query.where('agreement_id', filter.agreementId);
    if (filter.status) query.where('status', filter.status);
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(r => JSON.parse(r.data));
  }

  async get(id: string): Promise<Review | undefined> {
    const row = await this.db<ReviewRow>('sla_reviews')
      .where('id', id)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** The review opened for a breach, if any. */
  async forBreach(breachId: string): Promise<Review | undefined> {
    const row = await this.db<ReviewRow>('sla_reviews')
      .where('breach_id', breachId)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** Inserts a review; false when its breach already has one (nothing written). */
  async insert(review: Review): Promise<boolean> {
    try {
      await this.db('sla_reviews').insert(toRow(review));
      return true;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (
        review.trigger?.breachId &&
        (e?.code === '23505' ||
          /UNIQUE constraint failed/.test(e?.message ?? ''))
      ) {
        return false;
      }
      throw error;
    }
  }

  /** Inserts a review unless its id exists (a seed); false when it did. */
  async insertIfAbsent(review: Review): Promise<boolean> {
    const inserted = await this.db('sla_reviews')
      .insert(toRow(review))
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /**
   * Stores a held review together with its decision's agreement versions,
   * all or nothing, in one transaction: the review is inserted (no
   * `expectedVersion`) or stored over `expectedVersion`, and each move over
   * the agreement version it was planned from. Returns the conflict that
   * rolled everything back (a stale review or agreement), or undefined when
   * all was stored.
   */
  async saveHeld(
    review: Review,
    expectedVersion: number | undefined,
    moves: AgreementVersionWrite[],
  ): Promise<HoldConflict | undefined> {
    try {
      await this.db.transaction(async tx => {
        for (const move of moves) {
          if (!(await writeAgreementVersion(tx, move))) {
            throw new Rollback('agreement');
          }
        }
        if (expectedVersion === undefined) {
          await tx('sla_reviews').insert(toRow(review));
          return;
        }
        const { id, ...row } = toRow(review);
        const updated = await tx('sla_reviews')
          .where({ id, version: expectedVersion })
          .update(row);
        if (updated !== 1) throw new Rollback('review');
      });
      return undefined;
    } catch (error) {
      if (error instanceof Rollback) return error.conflict;
      throw error;
    }
  }

  /** Stores the version after `expectedVersion`; false when it is stale. */
  async update(review: Review, expectedVersion: number): Promise<boolean> {
    const { id, ...row } = toRow(review);
    const updated = await this.db('sla_reviews')
      .where({ id, version: expectedVersion })
      .update(row);
    return updated === 1;
  }
}
