import type { Knex } from 'knex';

/** What the plugin knows of one entity's OpenSLO files. @internal */
export type OpenSloSourceRecord = {
  entityRef: string;
  agreementId?: string;
  locations: string[];
  checkedAt: string;
  appliedAt?: string;
  contentHash?: string;
  error?: string;
};

type Row = {
  entity_ref: string;
  agreement_id: string | null;
  locations: string;
  checked_at: string;
  applied_at: string | null;
  content_hash: string | null;
  error: string | null;
};

function fromRow(row: Row): OpenSloSourceRecord {
  return {
    entityRef: row.entity_ref,
    ...(row.agreement_id ? { agreementId: row.agreement_id } : {}),
    locations: JSON.parse(row.locations),
    checkedAt: row.checked_at,
    ...(row.applied_at ? { appliedAt: row.applied_at } : {}),
    ...(row.content_hash ? { contentHash: row.content_hash } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/**
 * sla_openslo_sources: one row per annotated entity, written by upsert on
 * its primary key, so two replicas reading at once leave one row.
 * @internal
 */
export class OpenSloSourceStore {
  constructor(private readonly db: Knex) {}

  async get(entityRef: string): Promise<OpenSloSourceRecord | undefined> {
    const row = await this.db<Row>('sla_openslo_sources')
      .where('entity_ref', entityRef.toLocaleLowerCase('en-US'))
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** A read that applied (or found nothing new): the error is cleared. */
  async recordApplied(record: {
    entityRef: string;
    agreementId: string;
    locations: string[];
    at: string;
    contentHash: string;
    changed: boolean;
  }): Promise<void> {
    const row = {
      entity_ref: record.entityRef.toLocaleLowerCase('en-US'),
      agreement_id: record.agreementId,
      locations: JSON.stringify(record.locations),
      checked_at: record.at,
      content_hash: record.contentHash,
      error: null,
      ...(record.changed ? { applied_at: record.at } : {}),
    };
    await this.db('sla_openslo_sources')
      .insert({ applied_at: record.at, ...row })
      .onConflict('entity_ref')
      .merge(Object.keys(row).filter(k => k !== 'entity_ref'));
  }

  /** A read that failed: the error is kept, the rest stays as it was. */
  async recordError(record: {
    entityRef: string;
    locations: string[];
    at: string;
    error: string;
  }): Promise<void> {
    const row = {
      entity_ref: record.entityRef.toLocaleLowerCase('en-US'),
      locations: JSON.stringify(record.locations),
      checked_at: record.at,
      error: record.error.slice(0, 10_000),
    };
    await this.db('sla_openslo_sources')
      .insert(row)
      .onConflict('entity_ref')
      .merge(['locations', 'checked_at', 'error']);
  }
}
