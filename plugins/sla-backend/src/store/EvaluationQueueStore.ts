import type { ParsedMeasurement } from '@opensla/backstage-plugin-sla-common';
import { earliestInstant } from '../domain/portfolio';
import type { Knex } from 'knex';

/** A changed entity claimed for evaluation. */
export type ClaimedEntity = {
  entityRef: string;
  /** The earliest instant the new data holds (ms). */
  from: number;
  /** The row's version when claimed: finishing deletes only that one. */
  version: number;
  /** Failed evaluations before this claim. */
  attempts: number;
};

type QueueRow = {
  entity_ref: string;
  from_ms: number | string;
  version: number | string;
  attempts: number | string;
};

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const CHUNK = 200;

const isPostgres = (db: Knex) => db.client.config.client === 'pg';

/**
 * Records that these entities' data changed from `from` on (ms), to be
 * evaluated again by whichever replica claims them. Meant to run inside the
 * transaction that stores the data, so the two commit together: an upsert
 * per entity keeping the earliest `from` and bumping the version (a claim
 * taken before this commit is then not finished by deleting the row).
 * Rows are written in ref order, so concurrent writers never deadlock.
 * Entities in `improving` (lower-cased refs) got only data that cannot
 * worsen a status; the others are claimed first (`worse`, kept until the
 * row is finished).
 * @internal
 */
export async function enqueueEvaluation(
  db: Knex | Knex.Transaction,
  entityRefs: Iterable<string>,
  from: number,
  improving?: Set<string>,
): Promise<void> {
  const refs = [...new Set([...entityRefs].map(lower))].sort();
  if (!refs.length || !Number.isFinite(from)) return;
  const worse = refs.map(ref => (improving?.has(ref) ? 0 : 1));
  if (isPostgres(db)) {
    // One statement for the whole batch: the columns as arrays.
    await db.raw(
      `INSERT INTO sla_evaluation_queue (entity_ref, worse, last_ms, from_ms, version, attempts)
       SELECT v.r, v.w, COALESCE(e.evaluated_ms, -1), ?::bigint, 1, 0
       FROM unnest(?::text[], ?::integer[]) AS v (r, w)
       LEFT JOIN sla_evaluation_recency e ON e.entity_ref = v.r
       ORDER BY v.r
       ON CONFLICT (entity_ref) DO UPDATE SET
         from_ms = LEAST(sla_evaluation_queue.from_ms, excluded.from_ms),
         worse = GREATEST(sla_evaluation_queue.worse, excluded.worse),
         version = sla_evaluation_queue.version + 1,
         attempts = 0`,
      [Math.floor(from), refs, worse],
    );
    return;
  }
  for (let i = 0; i < refs.length; i += CHUNK) {
    await db('sla_evaluation_queue')
      .insert(
        refs.slice(i, i + CHUNK).map((entity_ref, k) => ({
          entity_ref,
          worse: worse[i + k],
          last_ms: db.raw(
            'COALESCE((SELECT evaluated_ms FROM sla_evaluation_recency WHERE entity_ref = ?), -1)',
            [entity_ref],
          ),
          from_ms: Math.floor(from),
          version: 1,
          attempts: 0,
        })),
      )
      .onConflict('entity_ref')
      .merge({
        from_ms: db.raw('MIN(sla_evaluation_queue.from_ms, excluded.from_ms)'),
        worse: db.raw('MAX(sla_evaluation_queue.worse, excluded.worse)'),
        version: db.raw('sla_evaluation_queue.version + 1'),
        attempts: 0,
      });
  }
}

/**
 * Enqueues the entities of a stored batch of measurements from the batch's
 * earliest instant on (inside the ingest transaction). An entity whose
 * items are all ratio samples with every event good (good = total) can
 * only keep or improve its statuses: its row is claimed after those that
 * may worsen.
 * @internal
 */
export async function enqueueMeasured(
  tx: Knex.Transaction,
  items: ParsedMeasurement[],
): Promise<void> {
  const improving = new Set<string>();
  const worsening = new Set<string>();
  for (const item of items) {
    const ref = lower(item.entityRef);
    if (item.kind === 'ratio' && item.good === item.total) {
      if (!worsening.has(ref)) improving.add(ref);
    } else {
      worsening.add(ref);
      improving.delete(ref);
    }
  }
  await enqueueEvaluation(
    tx,
    items.map(i => i.entityRef),
    earliestInstant(items),
    improving,
  );
}

/**
 * sla_evaluation_queue and sla_evaluation_rounds: the work every replica
 * shares. Changed entities are claimed with a lease (on PostgreSQL with
 * `FOR UPDATE SKIP LOCKED`, so replicas claiming at once take disjoint rows
 * and skip rows an ingest has not committed yet; SQLite has one writer at a
 * time); a round of the time-driven evaluation is claimed entity by entity
 * with insert-or-ignore on (round, entity).
 * @internal
 */
export class EvaluationQueueStore {
  constructor(private readonly db: Knex) {}

  /**
   * The refs of the queue rows `filter` selects, for a statement over
   * several rows: on PostgreSQL locked in ref order, the order in which
   * enqueueEvaluation writes them, so that such a statement never
   * deadlocks with an ingest re-queueing the same entities (each waits
   * for the other's first row instead). A row re-queued meanwhile is read
   * again once its lock is free, and left out when it no longer matches.
   */
  private inRefOrder(filter: (query: Knex.QueryBuilder) => void) {
    const query = this.db('sla_evaluation_queue').select('entity_ref');
    filter(query);
    if (isPostgres(this.db)) query.orderBy('entity_ref').forUpdate();
    return query;
  }

  /**
   * Claims up to `limit` changed entities that nobody holds (or whose lease
   * ran out), for `owner` until `leaseUntil` (ms): those whose data may
   * worsen a status first, then those evaluated from the queue least
   * recently first (never evaluated before any other: `last_ms`, copied
   * from sla_evaluation_recency when the row was created), then earliest
   * data first. An entity whose data changes for the first time, such as a
   * new breach, so overtakes a backlog of entities that every batch
   * re-queues. The order is an index's (sla_evaluation_queue_order_idx):
   * a claim reads as many rows as it skips, not the whole backlog.
   */
  async claim(
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<ClaimedEntity[]> {
    const db = this.db;
    const free = db('sla_evaluation_queue')
      .select('entity_ref')
      .where(qb =>
        qb.whereNull('claimed_until').orWhere('claimed_until', '<', now),
      )
      .orderBy([
        { column: 'worse', order: 'desc' },
        { column: 'last_ms' },
        { column: 'from_ms' },
        { column: 'entity_ref' },
      ])
      .limit(limit);
    if (isPostgres(db)) free.forUpdate().skipLocked();
    const rows: QueueRow[] = await db('sla_evaluation_queue')
      .whereIn('entity_ref', free)
      .update({ claimed_by: owner, claimed_until: leaseUntil })
      .returning(['entity_ref', 'from_ms', 'version', 'attempts']);
    return rows.map(r => ({
      entityRef: r.entity_ref,
      from: Number(r.from_ms),
      version: Number(r.version),
      attempts: Number(r.attempts),
    }));
  }

  /**
   * Ends a claim after a successful evaluation: the row goes unless the
   * entity changed again since the claim (a newer version), which is then
   * claimable at once.
   */
  async finish(
    owner: string,
    claimed: ClaimedEntity,
    evaluatedAt: number,
  ): Promise<void> {
    await this.finishMany(owner, [claimed], evaluatedAt);
  }

  /**
   * `finish` for several claims at once (three statements whatever their
   * number), recording `evaluatedAt` (ms) as when they were last evaluated.
   */
  async finishMany(
    owner: string,
    claimed: ClaimedEntity[],
    evaluatedAt: number,
  ): Promise<void> {
    if (!claimed.length) return;
    const refs = claimed.map(c => c.entityRef);
    await this.db('sla_evaluation_queue')
      .whereIn(
        'entity_ref',
        this.inRefOrder(q =>
          q.where('claimed_by', owner).whereIn(
            ['entity_ref', 'version'],
            claimed.map(c => [c.entityRef, c.version]),
          ),
        ),
      )
      .delete();
    // What is left of these claims changed meanwhile: claimable at once,
    // in line as evaluated now.
    await this.db('sla_evaluation_queue')
      .whereIn(
        'entity_ref',
        this.inRefOrder(q =>
          q.where('claimed_by', owner).whereIn('entity_ref', refs),
        ),
      )
      .update({
        claimed_by: null,
        claimed_until: null,
        last_ms: Math.floor(evaluatedAt),
      });
    await this.db('sla_evaluation_recency')
      .insert(
        [...new Set(refs)].sort().map(entity_ref => ({
          entity_ref,
          evaluated_ms: Math.floor(evaluatedAt),
        })),
      )
      .onConflict('entity_ref')
      .merge(['evaluated_ms']);
  }

  /**
   * Ends a claim after a failed evaluation: claimable again from
   * `retryAt` (ms) with one more failure counted, or dropped when `drop`
   * (too many failures; the time-driven evaluation still reaches the
   * entity). Should new data have arrived during the claim (a newer
   * version), the row stays, its failures counted afresh from the new data
   * (as enqueueing set them), and waits until `retryAt` as well.
   */
  async fail(
    owner: string,
    claimed: ClaimedEntity,
    retryAt: number,
    drop: boolean,
  ): Promise<void> {
    const mine = this.db('sla_evaluation_queue').where({
      entity_ref: claimed.entityRef,
      claimed_by: owner,
    });
    const same = mine.clone().where('version', claimed.version);
    if (drop) await same.delete();
    else {
      await same.update({
        claimed_by: null,
        claimed_until: retryAt,
        attempts: claimed.attempts + 1,
      });
    }
    // A newer version (new data during the claim): only the claim ends.
    await mine
      .clone()
      .whereNot('version', claimed.version)
      .update({ claimed_by: null, claimed_until: retryAt });
  }

  /** Gives back claims not evaluated (the task was aborted). */
  async release(owner: string, claimed: ClaimedEntity[]): Promise<void> {
    if (!claimed.length) return;
    await this.db('sla_evaluation_queue')
      .whereIn(
        'entity_ref',
        this.inRefOrder(q =>
          q.where('claimed_by', owner).whereIn(
            'entity_ref',
            claimed.map(c => c.entityRef),
          ),
        ),
      )
      .update({ claimed_by: null, claimed_until: null });
  }

  /** How many changed entities wait for evaluation (claimed or not). */
  async pending(): Promise<number> {
    const row = await this.db('sla_evaluation_queue').count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /**
   * Claims these entities for the time-driven round starting `roundAt`
   * (ms) for `owner`; returns those this call claimed (the others were
   * claimed by another replica in this round).
   */
  async claimRound(
    roundAt: number,
    owner: string,
    entityRefs: string[],
  ): Promise<string[]> {
    if (!entityRefs.length) return [];
    const rows: Array<{ entity_ref: string }> = await this.db(
      'sla_evaluation_rounds',
    )
      .insert(
        entityRefs.map(ref => ({
          round_at: roundAt,
          entity_ref: lower(ref),
          claimed_by: owner,
        })),
      )
      .onConflict(['round_at', 'entity_ref'])
      .ignore()
      .returning('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  /** Gives back round claims not evaluated (the task was aborted). */
  async releaseRound(
    roundAt: number,
    owner: string,
    entityRefs: string[],
  ): Promise<void> {
    if (!entityRefs.length) return;
    await this.db('sla_evaluation_rounds')
      .where({ round_at: roundAt, claimed_by: owner })
      .whereIn('entity_ref', entityRefs)
      .delete();
  }

  /** Forgets the claims of rounds that started before `before` (ms). */
  async pruneRounds(before: number): Promise<void> {
    await this.db('sla_evaluation_rounds')
      .where('round_at', '<', before)
      .delete();
  }
}
