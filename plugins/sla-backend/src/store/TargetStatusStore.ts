import type { Knex } from 'knex';
import type { TargetState } from '../domain/portfolio';
import { ChangeLog } from './ChangeLog';

/** A target's kept status. */
export type KeptStatus = {
  agreementId: string;
  targetId: string;
  status: TargetState;
  fingerprint: string;
  /** The instant the status is for (ms). */
  at: number;
  /** Until when it holds without new data (ms; breach evaluator only). */
  holdsUntil?: number | null;
};

const CHUNK = 500;
const key = (agreementId: string, targetId: string) =>
  `${agreementId}\u0000${targetId}`;

/**
 * Statuses kept for the portfolio: the breach evaluator's last status of
 * each target (sla_target_states) and statuses at whole hours
 * (sla_target_snapshots). One statement per method (chunks for writes).
 * @internal
 */
export class TargetStatusStore {
  private readonly changes: ChangeLog;

  constructor(private readonly db: Knex) {
    this.changes = new ChangeLog(db);
  }

  /** By "agreementId\u0000targetId". */
  static key = key;

  /**
   * The statuses the breach evaluator kept with a fingerprint (kept since
   * the portfolio reads them), evaluated at or after `since` (all without).
   */
  async evaluatedSince(since?: number): Promise<KeptStatus[]> {
    const query = this.db('sla_target_states')
      .select(
        'agreement_id',
        'target_id',
        'status',
        'fingerprint',
        'evaluated_at',
        'holds_until',
      )
      .whereNotNull('fingerprint')
      .whereNotNull('evaluated_at');
    if (since !== undefined) query.where('evaluated_at', '>=', since);
    const rows = await query;
    return rows.map(r => ({
      agreementId: r.agreement_id,
      targetId: r.target_id,
      status: r.status,
      fingerprint: r.fingerprint,
      at: Number(r.evaluated_at),
      holdsUntil: r.holds_until === null ? null : Number(r.holds_until),
    }));
  }

  /**
   * Changes whenever the breach evaluator keeps a status (ChangeLog: one
   * indexed statement; any write to the states moves it).
   */
  async evaluatedStamp(): Promise<string> {
    return this.changes.stamp(['sla_target_states']);
  }

  /**
   * Changes whenever the snapshots of the whole hour `at` change (it moves
   * with a write to any hour's snapshots: ChangeLog, one indexed statement).
   */
  async snapshotsStamp(_at: number): Promise<string> {
    return this.changes.stamp(['sla_target_snapshots']);
  }

  /** The statuses kept for the whole hour `at`. */
  async snapshots(at: number): Promise<Map<string, KeptStatus>> {
    const rows = await this.db('sla_target_snapshots')
      .select('agreement_id', 'target_id', 'status', 'fingerprint')
      .where('at', at);
    const out = new Map<string, KeptStatus>();
    for (const r of rows) {
      out.set(key(r.agreement_id, r.target_id), {
        agreementId: r.agreement_id,
        targetId: r.target_id,
        status: r.status,
        fingerprint: r.fingerprint,
        at,
      });
    }
    return out;
  }

  /** Keeps statuses at the whole hour `at` (replacing older ones). */
  async keepSnapshots(
    at: number,
    statuses: Array<Omit<KeptStatus, 'at'> & { entityRef: string }>,
    keptAt: number,
  ): Promise<void> {
    for (let i = 0; i < statuses.length; i += CHUNK) {
      const rows = statuses.slice(i, i + CHUNK).map(s => ({
        at,
        agreement_id: s.agreementId,
        target_id: s.targetId,
        entity_ref: s.entityRef.toLocaleLowerCase('en-US'),
        status: s.status,
        fingerprint: s.fingerprint,
        kept_at: keptAt,
      }));
      await this.db('sla_target_snapshots')
        .insert(rows)
        .onConflict(['at', 'agreement_id', 'target_id'])
        .merge(['entity_ref', 'status', 'fingerprint', 'kept_at']);
    }
  }

  /**
   * Late data: drops the statuses of these entities kept for instants after
   * `from` (a status at t depends on data before t only).
   */
  async dropAfter(entityRefs: string[], from: number): Promise<number> {
    if (!entityRefs.length) return 0;
    return this.db('sla_target_snapshots')
      .whereIn(
        'entity_ref',
        entityRefs.map(r => r.toLocaleLowerCase('en-US')),
      )
      .where('at', '>', from)
      .delete();
  }

  /** dropAfter for several entities, each from its own instant: one statement. */
  async dropAfterEach(
    list: Array<{ entityRef: string; from: number }>,
  ): Promise<number> {
    if (!list.length) return 0;
    return this.db('sla_target_snapshots')
      .where(qb => {
        for (const { entityRef, from } of list) {
          qb.orWhere(q =>
            q
              .where('entity_ref', entityRef.toLocaleLowerCase('en-US'))
              .where('at', '>', from),
          );
        }
      })
      .delete();
  }

  /** Drops snapshots computed before `keptBefore`. */
  async prune(keptBefore: number): Promise<number> {
    return this.db('sla_target_snapshots')
      .where('kept_at', '<', keptBefore)
      .delete();
  }
}
