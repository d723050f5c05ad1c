import type { Knex } from 'knex';
import type { GraphEntity } from '../domain/viability';

/** Rows per upsert statement: 5 columns, within SQLite's variable limit. */
const CHUNK = 500;

/** One entity as the sync task writes it. @internal */
export type CatalogGraphRow = {
  entityRef: string;
  etag?: string;
  fingerprint: string;
  entity: GraphEntity;
};

/** What changed after a sequence number. @internal */
export type CatalogGraphChanges = {
  /** The sequence the reader holds after applying these changes. */
  seq: number;
  changed: Array<{ entityRef: string; entity: GraphEntity }>;
  removed: string[];
};

/**
 * sla_catalog_graph: the catalog's graph entities with a change sequence.
 * Written by the sync task only (one transaction per change set, numbered
 * under a row lock so that numbers commit in order); read by every
 * replica, which asks for the rows after the sequence it holds.
 * @internal
 */
export class CatalogGraphStore {
  constructor(private readonly db: Knex) {}

  /** etag and fingerprint of every stored entity (removed ones left out). */
  async fingerprints(): Promise<
    Map<string, { etag?: string; fingerprint: string }>
  > {
    const rows = await this.db('sla_catalog_graph')
      .whereNotNull('data')
      .select('entity_ref', 'etag', 'fingerprint');
    return new Map(
      rows.map(r => [
        r.entity_ref as string,
        {
          ...(r.etag ? { etag: r.etag as string } : {}),
          fingerprint: r.fingerprint as string,
        },
      ]),
    );
  }

  /** The last sequence number written (0: never synced). */
  async currentSeq(): Promise<number> {
    const row = await this.db('sla_catalog_graph_seq')
      .where('id', 1)
      .first('seq');
    return Number(row?.seq ?? 0);
  }

  /**
   * Stores changed and removed entities under the next sequence number, in
   * one transaction; returns that number (the current one when nothing).
   */
  async write(changed: CatalogGraphRow[], removed: string[]): Promise<number> {
    if (!changed.length && !removed.length) return this.currentSeq();
    return this.db.transaction(async tx => {
      // The update locks the counter row until commit: a second writer
      // waits, so a reader never sees seq n+1 before n is committed.
      await tx('sla_catalog_graph_seq')
        .where('id', 1)
        .update({ seq: tx.raw('seq + 1') });
      const seq = Number(
        (await tx('sla_catalog_graph_seq').where('id', 1).first('seq')).seq,
      );
      const rows = [
        ...changed.map(c => ({
          entity_ref: c.entityRef,
          seq,
          etag: c.etag ?? null,
          fingerprint: c.fingerprint,
          data: JSON.stringify(c.entity),
        })),
        ...removed.map(entityRef => ({
          entity_ref: entityRef,
          seq,
          etag: null,
          fingerprint: '',
          data: null,
        })),
      ];
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx('sla_catalog_graph')
          .insert(rows.slice(i, i + CHUNK))
          .onConflict('entity_ref')
          .merge(['seq', 'etag', 'fingerprint', 'data']);
      }
      return seq;
    });
  }

  /**
   * The rows written after `seq` (all present entities when `seq` is 0).
   * Reads only.
   */
  async since(seq: number): Promise<CatalogGraphChanges> {
    const query = this.db('sla_catalog_graph')
      .where('seq', '>', seq)
      .select('entity_ref', 'seq', 'data');
    if (seq === 0) query.whereNotNull('data');
    const rows = await query;
    let last = seq;
    const changed: CatalogGraphChanges['changed'] = [];
    const removed: string[] = [];
    for (const row of rows) {
      last = Math.max(last, Number(row.seq));
      if (row.data === null) removed.push(row.entity_ref);
      else {
        changed.push({
          entityRef: row.entity_ref,
          entity: JSON.parse(row.data),
        });
      }
    }
    // Nothing present yet, but tombstones may exist: hold the counter.
    if (seq === 0 && !rows.length) last = await this.currentSeq();
    return { seq: last, changed, removed };
  }
}
