import type { Knex } from 'knex';
import type { PublishedReport } from '@opensla/backstage-plugin-sla-common';
import type { ReportPublication } from '../domain/reports';
import { ChangeLog } from './ChangeLog';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Persistence of published service reports: one statement per method.
 * @internal
 */
export class ReportStore {
  private readonly changes: ChangeLog;

  constructor(private readonly db: Knex) {
    this.changes = new ChangeLog(db);
  }

  /** Stores a publication; false when the entity's period is published already. */
  async insert(report: PublishedReport): Promise<boolean> {
    try {
      await this.db('sla_published_reports').insert({
        id: report.id,
        entity_ref: lower(report.entityRef),
        period_start: report.period.start,
        period_end: report.period.end,
        published_at: report.publishedAt,
        published_by: report.publishedBy,
        data: JSON.stringify(report),
      });
      return true;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (
        e?.code === '23505' ||
        /UNIQUE constraint failed/.test(e?.message ?? '')
      ) {
        return false;
      }
      throw error;
    }
  }

  async get(id: string): Promise<PublishedReport | undefined> {
    const row = await this.db('sla_published_reports')
      .where('id', id)
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** The publication of an entity's period, if any. */
  async forPeriod(
    entityRef: string,
    period: { start: string; end: string },
  ): Promise<PublishedReport | undefined> {
    const row = await this.db('sla_published_reports')
      .where({
        entity_ref: lower(entityRef),
        period_start: period.start,
        period_end: period.end,
      })
      .first('data');
    return row ? JSON.parse(row.data) : undefined;
  }

  /** An entity's publications, newest period first. */
  async list(entityRef: string): Promise<PublishedReport[]> {
    const rows = await this.db('sla_published_reports')
      .where('entity_ref', lower(entityRef))
      .orderBy([
        { column: 'period_end', order: 'desc' },
        { column: 'period_start', order: 'desc' },
      ])
      .select('data');
    return rows.map(r => JSON.parse(r.data));
  }

  /**
   * Changes whenever a report is published (ChangeLog: one indexed
   * statement).
   */
  async publicationsStamp(): Promise<string> {
    return this.changes.stamp(['sla_published_reports']);
  }

  /**
   * Every publication whose period ended at or after `since`, by
   * lower-cased entity ref (for all entities: the portfolio's KPI).
   */
  async publicationsFrom(
    since: number,
  ): Promise<Map<string, ReportPublication[]>> {
    const rows = await this.db('sla_published_reports')
      .where('period_end', '>=', new Date(since).toISOString())
      .select('entity_ref', 'period_start', 'period_end', 'published_at');
    const result = new Map<string, ReportPublication[]>();
    for (const row of rows) {
      const item = {
        periodStart: Date.parse(row.period_start),
        periodEnd: Date.parse(row.period_end),
        publishedAt: Date.parse(row.published_at),
      };
      const list = result.get(row.entity_ref);
      if (list) list.push(item);
      else result.set(row.entity_ref, [item]);
    }
    return result;
  }

  /**
   * What `hasTimelyReport` needs for many entities in one query: every
   * publication whose period ended at or after `since`, by lower-cased
   * entity ref. Reads the period_end index, not the frozen figures.
   */
  async publicationsSince(
    entityRefs: string[],
    since: number,
  ): Promise<Map<string, ReportPublication[]>> {
    // toLowerCase: toLocaleLowerCase('en-US') without ICU, for 10,000s of refs
    const wanted = new Set(entityRefs.map(ref => ref.toLowerCase()));
    const rows = await this.db('sla_published_reports')
      .where('period_end', '>=', new Date(since).toISOString())
      .select('entity_ref', 'period_start', 'period_end', 'published_at');
    const result = new Map<string, ReportPublication[]>();
    for (const ref of wanted) result.set(ref, []);
    for (const row of rows) {
      const list = result.get(row.entity_ref);
      if (!list) continue;
      list.push({
        periodStart: Date.parse(row.period_start),
        periodEnd: Date.parse(row.period_end),
        publishedAt: Date.parse(row.published_at),
      });
    }
    return result;
  }
}
