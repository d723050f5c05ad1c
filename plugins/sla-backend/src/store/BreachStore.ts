import type {
  Breach,
  BreachCause,
  BreachSeverity,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { TargetKey, TargetState, TargetStateStore } from './TargetStateStore';

export type { TargetKey };

type BreachRow = {
  id: string;
  entity_ref: string;
  agreement_id: string;
  target_id: string;
  opened_at: string;
  closed_at: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
  details: string;
};

/**
 * A breach to store (`causedBy`, `worstRemaining` and `detectedAt` kept as
 * JSON). `detectedAt`: the evaluation instant that opened it (absent for
 * breaches recorded from a target's history, and for breaches opened
 * before migration 20261202170000).
 */
export type NewBreach = Omit<Breach, 'causedBy'> & {
  causedBy: NonNullable<Breach['causedBy']>;
  detectedAt?: string;
};

/** A stored open breach, with the instant of the evaluation that opened it. */
export type OpenBreach = Breach & { detectedAt?: string };

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function toBreach(row: BreachRow): Breach {
  const details = JSON.parse(row.details);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    agreementId: row.agreement_id,
    targetId: row.target_id,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    severity: row.severity,
    cause: row.cause,
    causedBy: details.causedBy ?? [],
    worstRemaining: details.worstRemaining ?? null,
  };
}

function toOpenBreach(row: BreachRow): OpenBreach {
  const detectedAt = JSON.parse(row.details).detectedAt;
  return detectedAt ? { ...toBreach(row), detectedAt } : toBreach(row);
}

function toRow(breach: NewBreach): BreachRow {
  return {
    id: breach.id,
    entity_ref: lower(breach.entityRef),
    agreement_id: breach.agreementId,
    target_id: breach.targetId,
    opened_at: breach.openedAt,
    closed_at: breach.closedAt ?? null,
    severity: breach.severity,
    cause: breach.cause,
    details: JSON.stringify({
      causedBy: breach.causedBy,
      worstRemaining: breach.worstRemaining ?? null,
      ...(breach.detectedAt ? { detectedAt: breach.detectedAt } : {}),
    }),
  };
}

/**
 * A target's state and breaches inside one transaction that holds the
 * target's state row (a row lock on PostgreSQL; SQLite runs one writer at
 * a time). `previous` is the state before this transaction, undefined when
 * this transaction created the row.
 * @internal
 */
export type LockedTarget = {
  previous: TargetState | undefined;
  states: TargetStateStore;
  breaches: BreachStore;
};

/**
 * sla_breaches: periods in which a target was breached. At most one open
 * breach (`closed_at` null) per target, guarded by a partial unique index
 * (migration 20261202043100), so an opening is stored once whatever runs
 * at the same time.
 * @internal
 */
export class BreachStore {
  constructor(private readonly db: Knex) {}

  /** The entity's breaches overlapping [from, to), newest first. */
  async list(
    entityRef: string,
    from?: string,
    to?: string,
    page?: { after?: [string, string]; limit: number },
  ): Promise<Breach[]> {
    const query = this.db<BreachRow>('sla_breaches').where(
      'entity_ref',
      lower(entityRef),
    );
    if (to) query.where('opened_at', '<', to);
    if (from)
      query.where(qb =>
        qb.whereNull('closed_at').orWhere('closed_at', '>', from),
      );
    if (page?.after) {
      const [openedAt, id] = page.after;
      query.where(q =>
        q
          .where('opened_at', '<', openedAt)
          .orWhere(q2 =>
            q2.where('opened_at', '=', openedAt).andWhere('id', '>', id),
          ),
      );
    }
    if (page) query.limit(page.limit);
    const rows = await query.orderBy([
      { column: 'opened_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(toBreach);
  }

  /** Which agreements of these entities had a breach overlapping [from, to). */
  async overlapping(
    entityRefs: string[],
    from: string,
    to: string,
  ): Promise<Array<{ entityRef: string; agreementId: string }>> {
    if (!entityRefs.length) return [];
    const rows = await this.db<BreachRow>('sla_breaches')
      .whereIn('entity_ref', entityRefs.map(lower))
      .where('opened_at', '<', to)
      .where(qb => qb.whereNull('closed_at').orWhere('closed_at', '>', from))
      .select('entity_ref', 'agreement_id');
    return rows.map(r => ({
      entityRef: r.entity_ref,
      agreementId: r.agreement_id,
    }));
  }

  /** The target's open breach, if any. */
  async open(key: TargetKey): Promise<OpenBreach | undefined> {
    const row = await this.db<BreachRow>('sla_breaches')
      .where({ agreement_id: key.agreementId, target_id: key.targetId })
      .whereNull('closed_at')
      .first();
    return row ? toOpenBreach(row) : undefined;
  }

  /** When the target's latest closed breach closed, if any. */
  async lastClosedAt(key: TargetKey): Promise<string | undefined> {
    const row = await this.db('sla_breaches')
      .where({ agreement_id: key.agreementId, target_id: key.targetId })
      .whereNotNull('closed_at')
      .max({ last: 'closed_at' })
      .first();
    return row?.last ?? undefined;
  }

  /** The target's breaches overlapping [from, to). */
  async ofTarget(key: TargetKey, from: string, to: string): Promise<Breach[]> {
    const rows = await this.db<BreachRow>('sla_breaches')
      .where({ agreement_id: key.agreementId, target_id: key.targetId })
      .where('opened_at', '<', to)
      .where(qb => qb.whereNull('closed_at').orWhere('closed_at', '>', from))
      .orderBy('opened_at');
    return rows.map(toBreach);
  }

  /**
   * Stores an open breach unless the target has one already (insert or
   * ignore on the unique guard). True when this call stored it: only that
   * caller may act on the opening (review, notification).
   */
  async insertOpen(breach: NewBreach): Promise<boolean> {
    await this.db('sla_breaches')
      .insert(toRow({ ...breach, closedAt: null }))
      .onConflict()
      .ignore();
    const open = await this.open(breach);
    return open?.id === breach.id;
  }

  /** Stores breaches that have closed (a target's history). */
  async insertClosed(breaches: NewBreach[]): Promise<void> {
    for (const breach of breaches) {
      await this.db('sla_breaches').insert(toRow(breach));
    }
  }

  /** Closes an open breach at `when`. */
  async close(id: string, when: string): Promise<void> {
    await this.db('sla_breaches')
      .where('id', id)
      .whereNull('closed_at')
      .update({ closed_at: when });
  }

  /**
   * Voids an open breach that data arriving later showed never happened:
   * it moves to sla_voided_breaches (kept, with `voidedAt`) and leaves
   * every list, report and KPI.
   */
  async void(id: string, when: string): Promise<void> {
    const row = await this.db<BreachRow>('sla_breaches')
      .where('id', id)
      .whereNull('closed_at')
      .first();
    if (!row) return;
    await this.db('sla_voided_breaches')
      .insert({ ...row, voided_at: when })
      .onConflict('id')
      .ignore();
    await this.db('sla_breaches').where('id', id).delete();
  }

  /** What an open breach learnt since it opened. */
  async update(
    id: string,
    change: Pick<
      NewBreach,
      'severity' | 'cause' | 'causedBy' | 'worstRemaining' | 'detectedAt'
    >,
  ): Promise<void> {
    await this.db('sla_breaches')
      .where('id', id)
      .update({
        severity: change.severity,
        cause: change.cause,
        details: JSON.stringify({
          causedBy: change.causedBy,
          worstRemaining: change.worstRemaining ?? null,
          ...(change.detectedAt ? { detectedAt: change.detectedAt } : {}),
        }),
      });
  }

  /**
   * Closes the agreement's open breaches at `end`, or when they were opened
   * if later (an agreement no longer in force).
   */
  async closeOpenOfAgreement(agreementId: string, end: string): Promise<void> {
    await this.db.transaction(async trx => {
      await trx('sla_breaches')
        .where({ agreement_id: agreementId })
        .whereNull('closed_at')
        .where('opened_at', '<=', end)
        .update({ closed_at: end });
      await trx('sla_breaches')
        .where({ agreement_id: agreementId })
        .whereNull('closed_at')
        .update({ closed_at: trx.ref('opened_at') });
    });
  }

  /**
   * Runs `fn` in one transaction holding the target's state row: the row is
   * created with `initial` if absent (insert or ignore, so two first
   * evaluations create it once) and then locked, so concurrent evaluations
   * of one target take turns and each sees what the previous one wrote.
   * Nothing outside the transaction may be read inside `fn` (SQLite has a
   * single connection).
   */
  async withTargetLocked<T>(
    key: TargetKey,
    initial: Omit<
      TargetState,
      'backfilledAt' | 'holdsUntil' | 'agreementVersion'
    >,
    fn: (locked: LockedTarget) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async trx => {
      const states = new TargetStateStore(trx);
      let previous = await states.lock(key);
      if (!previous) {
        const created = await states.insertIfAbsent(key, initial);
        const current = await states.lock(key);
        previous = created ? undefined : current;
      }
      return fn({ previous, states, breaches: new BreachStore(trx) });
    });
  }
}
