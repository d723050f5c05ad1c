import type { Knex } from 'knex';
import type { Series } from '@opensla/backstage-plugin-sla-common';

type Row = { metric: string; kind: Series['kind']; high_ts: unknown };

/**
 * Reads the series registry (`sla_series`, written by ingest): which
 * series an entity has. Read only; MeasurementStore creates the rows.
 * @internal
 */
export class SeriesStore {
  constructor(private readonly db: Knex) {}

  /**
   * The entity's series by metric name, `limit` of them after the metric
   * `after` (keyset, on the unique (entity_ref, metric) index).
   */
  async listForEntity(
    entityRef: string,
    page: { after?: string; limit: number },
  ): Promise<Series[]> {
    const query = this.db<Row>('sla_series')
      .where('entity_ref', entityRef.toLocaleLowerCase('en-US'))
      .orderBy('metric', 'asc')
      .limit(page.limit)
      .select('metric', 'kind', 'high_ts');
    if (page.after !== undefined) query.where('metric', '>', page.after);
    const rows: Row[] = await query;
    return rows.map(row => ({
      metric: row.metric,
      kind: row.kind,
      ...(row.high_ts !== null && row.high_ts !== undefined
        ? { latestAt: new Date(Number(row.high_ts)).toISOString() }
        : {}),
    }));
  }
}
