import type { Knex } from 'knex';
import type { Improvement } from '@opensla/backstage-plugin-sla-common';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function toRow(i: Improvement) {
  return {
    id: i.id,
    entity_ref: lower(i.entityRef),
    status: i.status,
    version: i.version,
    created_at: i.createdAt,
    data: JSON.stringify(i),
  };
}

/**
 * Persistence of improvement initiatives: one statement per method.
 * @internal
 */
export class ImprovementStore {
  constructor(private readonly db: Knex) {}

  async list(entityRef: string, status?: string): Promise<Improvement[]> {
    const query = this.db('sla_improvements')
      .where('entity_ref', lower(entityRef))
      .select('data');
    if (status) query.where('status', status);
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(r => JSON.parse(r.data));
  }

  async get(id: string): Promise<Improvement | undefined> {
    const row = await this.db('sla_improvements').where('id', id).first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  async insert(improvement: Improvement): Promise<void> {
    await this.db('sla_improvements').insert(toRow(improvement));
  }

  /** Stores a seeded initiative unless one with its id exists; true when stored. */
  async insertIfAbsent(improvement: Improvement): Promise<boolean> {
    const inserted = await this.db('sla_improvements')
      .insert(toRow(improvement))
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** Stores the version after `expectedVersion`; false when it is stale. */
  async update(
    improvement: Improvement,
    expectedVersion: number,
  ): Promise<boolean> {
    const { id, ...row } = toRow(improvement);
    const updated = await this.db('sla_improvements')
      .where({ id, version: expectedVersion })
      .update(row);
    return updated === 1;
  }
}
