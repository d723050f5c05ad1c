import type { TargetStatus } from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';

/** A target of an agreement. */
export type TargetKey = { agreementId: string; targetId: string };

/** What the breach evaluator keeps of a target (sla_target_states). */
export type TargetState = {
  status: TargetStatus;
  /** Budget warning level: 0, 50, 75 or 100 (% consumed). */
  warningLevel: number;
  /** When status or warning level last changed (ISO). */
  changedAt: string;
  /** When it was last evaluated (ms). */
  evaluatedAt: number | null;
  /** The definition it was evaluated for (see targetFingerprint). */
  fingerprint: string | null;
  /** When the target's breach history was recorded (ms); null before data. */
  backfilledAt: number | null;
  /**
   * Until when (ms) the kept status holds without new data; null: unknown.
   * The time-driven round visits the target once it has come.
   */
  holdsUntil?: number | null;
  /** The agreement's version it was evaluated for. */
  agreementVersion?: number | null;
};

type StateRow = {
  agreement_id: string;
  target_id: string;
  status: TargetStatus;
  warning_level: number | string;
  changed_at: string;
  evaluated_at: number | string | null;
  fingerprint: string | null;
  backfilled_at: number | string | null;
  holds_until?: number | string | null;
  agreement_version?: number | string | null;
};

const where = (key: TargetKey) => ({
  agreement_id: key.agreementId,
  target_id: key.targetId,
});

const toState = (row: StateRow): TargetState => ({
  status: row.status,
  warningLevel: Number(row.warning_level),
  changedAt: row.changed_at,
  evaluatedAt: row.evaluated_at === null ? null : Number(row.evaluated_at),
  fingerprint: row.fingerprint,
  backfilledAt: row.backfilled_at === null ? null : Number(row.backfilled_at),
  holdsUntil:
    row.holds_until === null || row.holds_until === undefined
      ? null
      : Number(row.holds_until),
  agreementVersion:
    row.agreement_version === null || row.agreement_version === undefined
      ? null
      : Number(row.agreement_version),
});

const holdColumns = (state: {
  holdsUntil?: number | null;
  agreementVersion?: number | null;
}) => ({
  ...(state.holdsUntil !== undefined ? { holds_until: state.holdsUntil } : {}),
  ...(state.agreementVersion !== undefined
    ? { agreement_version: state.agreementVersion }
    : {}),
});

/**
 * sla_target_states: the breach evaluator's last status of each target.
 * Writes happen inside `BreachStore.withTargetLocked`, one transaction per
 * target; `evaluated_at` never moves backwards.
 * @internal
 */
export class TargetStateStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  async get(key: TargetKey): Promise<TargetState | undefined> {
    const row = await this.db<StateRow>('sla_target_states')
      .where(where(key))
      .first();
    return row ? toState(row) : undefined;
  }

  /** Reads the row and locks it until the transaction ends (PostgreSQL). */
  async lock(key: TargetKey): Promise<TargetState | undefined> {
    const query = this.db<StateRow>('sla_target_states').where(where(key));
    if (this.isPostgres) query.forUpdate();
    const row = await query.first();
    return row ? toState(row) : undefined;
  }

  /** Creates the row unless it exists; true when this call created it. */
  async insertIfAbsent(
    key: TargetKey,
    state: Omit<
      TargetState,
      'backfilledAt' | 'holdsUntil' | 'agreementVersion'
    >,
  ): Promise<boolean> {
    const rows = await this.db('sla_target_states')
      .insert({
        ...where(key),
        status: state.status,
        warning_level: state.warningLevel,
        changed_at: state.changedAt,
        evaluated_at: state.evaluatedAt,
        fingerprint: state.fingerprint,
        backfilled_at: null,
      })
      .onConflict(['agreement_id', 'target_id'])
      .ignore()
      .returning('agreement_id');
    return rows.length === 1;
  }

  /**
   * Records an evaluation that changes nothing but the instant: only where
   * the kept status and warning level are these, the history is recorded,
   * and the kept evaluation is not later. True when written; otherwise the
   * caller takes the full path (BreachStore.withTargetLocked).
   */
  async touchUnchanged(
    key: TargetKey,
    state: Pick<
      TargetState,
      | 'status'
      | 'warningLevel'
      | 'evaluatedAt'
      | 'fingerprint'
      | 'holdsUntil'
      | 'agreementVersion'
    >,
  ): Promise<boolean> {
    const count = await this.db('sla_target_states')
      .where({
        ...where(key),
        status: state.status,
        warning_level: state.warningLevel,
      })
      .whereNotNull('backfilled_at')
      .where(qb =>
        qb
          .whereNull('evaluated_at')
          .orWhere('evaluated_at', '<=', state.evaluatedAt!),
      )
      .update({
        evaluated_at: state.evaluatedAt,
        fingerprint: state.fingerprint,
        ...holdColumns(state),
      });
    return Number(count) > 0;
  }

  /**
   * touchUnchanged for several targets in one statement; answers, in the
   * order given, which were written (the others take the full path).
   */
  async touchUnchangedMany(
    list: Array<{
      key: TargetKey;
      state: {
        status: string;
        warningLevel: number;
        evaluatedAt: number;
        fingerprint: string | null;
        holdsUntil: number | null;
        agreementVersion: number | null;
      };
    }>,
  ): Promise<boolean[]> {
    if (!list.length) return [];
    const columns = [
      'agreement_id',
      'target_id',
      'status',
      'warning_level',
      'evaluated_at',
      'fingerprint',
      'holds_until',
      'agreement_version',
    ];
    const values = list.map(({ key, state: t }) => [
      key.agreementId,
      key.targetId,
      t.status,
      t.warningLevel,
      t.evaluatedAt,
      t.fingerprint,
      t.holdsUntil,
      t.agreementVersion,
    ]);
    const source: { sql: string; bindings: Knex.RawBinding[] } = this.isPostgres
      ? {
          sql: `unnest(?::text[], ?::text[], ?::text[], ?::integer[], ?::bigint[], ?::text[], ?::bigint[], ?::integer[]) AS v (${columns.join(
            ', ',
          )})`,
          bindings: columns.map((_, c) => values.map(row => row[c]) as any),
        }
      : {
          sql: `(SELECT ${columns
            .map((c, i) => `column${i + 1} AS ${c}`)
            .join(', ')} FROM (VALUES ${values
            .map(() => `(${columns.map(() => '?').join(', ')})`)
            .join(', ')})) AS v`,
          bindings: values.flat(),
        };
    const result = await this.db.raw(
      `UPDATE sla_target_states SET
         evaluated_at = v.evaluated_at,
         fingerprint = v.fingerprint,
         holds_until = v.holds_until,
         agreement_version = v.agreement_version
       FROM ${source.sql}
       WHERE sla_target_states.agreement_id = v.agreement_id
         AND sla_target_states.target_id = v.target_id
         AND sla_target_states.status = v.status
         AND sla_target_states.warning_level = v.warning_level
         AND sla_target_states.backfilled_at IS NOT NULL
         AND (sla_target_states.evaluated_at IS NULL
           OR sla_target_states.evaluated_at <= v.evaluated_at)
       RETURNING sla_target_states.agreement_id, sla_target_states.target_id`,
      source.bindings,
    );
    const written = new Set(
      (result.rows ?? result).map(
        (r: { agreement_id: string; target_id: string }) =>
          `${r.agreement_id}\u0000${r.target_id}`,
      ),
    );
    return list.map(({ key }) =>
      written.has(`${key.agreementId}\u0000${key.targetId}`),
    );
  }

  /**
   * Records an evaluation at `evaluatedAt`, unless the target was evaluated
   * later already (evaluated_at never moves backwards): the status and
   * warning level when they changed, the history's instant when recorded.
   * With `expected`, only while the kept status and warning level are still
   * those (compare and set). True when written.
   */
  async update(
    key: TargetKey,
    change: {
      expected?: Pick<TargetState, 'status' | 'warningLevel'>;
      evaluatedAt: number;
      fingerprint: string | null;
      changed?: Pick<TargetState, 'status' | 'warningLevel' | 'changedAt'>;
      backfilledAt?: number;
      holdsUntil?: number | null;
      agreementVersion?: number | null;
    },
  ): Promise<boolean> {
    const query = this.db('sla_target_states')
      .where(where(key))
      .where(qb =>
        qb
          .whereNull('evaluated_at')
          .orWhere('evaluated_at', '<=', change.evaluatedAt),
      );
    if (change.expected) {
      query.where({
        status: change.expected.status,
        warning_level: change.expected.warningLevel,
      });
    }
    const count = await query.update({
      evaluated_at: change.evaluatedAt,
      fingerprint: change.fingerprint,
      ...holdColumns(change),
      ...(change.changed
        ? {
            status: change.changed.status,
            warning_level: change.changed.warningLevel,
            changed_at: change.changed.changedAt,
          }
        : {}),
      ...(change.backfilledAt !== undefined
        ? { backfilled_at: change.backfilledAt }
        : {}),
    });
    return Number(count) > 0;
  }

  /**
   * The entities with a target in force (of an agreed agreement) that the
   * time-driven round at `at` must visit: never evaluated, evaluated for
   * another version of its agreement, or whose kept status may have changed
   * by `at` (holds_until come or unknown). One statement.
   */
  async dueEntityRefs(at: number): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db(
      'sla_agreements as a',
    )
      .distinct('a.entity_ref')
      .join('sla_targets as t', 't.agreement_id', 'a.id')
      .leftJoin('sla_target_states as s', join =>
        join
          .on('s.agreement_id', '=', 't.agreement_id')
          .andOn('s.target_id', '=', 't.target_id'),
      )
      .where('a.status', 'agreed')
      .where(qb =>
        qb
          .whereNull('s.agreement_id')
          .orWhereNull('s.holds_until')
          .orWhere('s.holds_until', '<=', at)
          .orWhereNull('s.agreement_version')
          .orWhereRaw('s.agreement_version <> a.version'),
      );
    return rows.map(r => r.entity_ref);
  }
}
