import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  RetentionPolicy,
  retentionHorizons,
  seriesKeyOf,
} from '../domain/retentionHorizons';
import type { AgreementStore } from '../store/AgreementStore';
import type {
  MeasurementRetention,
  RetainedSeries,
} from '../store/measurements/MeasurementRetention';

/** Series handled per page: one stamp update and a few deletes each. */
const PAGE = 500;

/**
 * Retention of measurements (issue 14.2): raw samples are kept per series
 * as long as the windows of the targets reading it need them (plus a
 * margin), rollups and closed events for reports and reviews
 * (`sla.retention`, docs/configuration.md). Run by the scheduled task
 * `sla-measurement-retention` (once across replicas); deletes in bounded
 * chunks, and stops between chunks when aborted (the next run resumes).
 */
export class RetentionService {
  constructor(
    private readonly options: {
      agreements: AgreementStore;
      store: MeasurementRetention;
      policy: RetentionPolicy;
      /** Rows per delete statement. */
      chunkSize: number;
      logger?: LoggerService;
    },
  ) {}

  /** Prunes what lies beyond retention at `now`. */
  async run(
    now: number,
    signal?: AbortSignal,
  ): Promise<{ series: number; deleted: number; done: boolean }> {
    const { agreements, store, policy, chunkSize } = this.options;
    const all = await agreements.list();
    let afterId = 0;
    let series = 0;
    let deleted = 0;
    for (;;) {
      if (signal?.aborted) return { series, deleted, done: false };
      const page = await store.seriesPage(afterId, PAGE);
      if (!page.length) break;
      afterId = page[page.length - 1].id;
      const horizons = retentionHorizons(
        all,
        page.map(s => seriesKeyOf(s.entityRef, s.metric)),
        now,
        policy,
      );
      const cuts = page.map(s => {
        const h = horizons.get(seriesKeyOf(s.entityRef, s.metric))!;
        return { id: s.id, rawFrom: h.rawFrom, rollupsFrom: h.rollupsFrom };
      });
      const moved = cuts.filter((c, i) => {
        const s = page[i];
        return (
          s.rawKeptFrom === undefined ||
          s.rawKeptFrom < c.rawFrom ||
          s.rollupsKeptFrom === undefined ||
          s.rollupsKeptFrom < c.rollupsFrom
        );
      });
      // Stamps first, committed: a read that misses a row sees why.
      await store.advance(moved);
      const stamped: RetainedSeries[] = page.map((s, i) => ({
        ...s,
        rawKeptFrom: Math.max(s.rawKeptFrom ?? -Infinity, cuts[i].rawFrom),
        rollupsKeptFrom: Math.max(
          s.rollupsKeptFrom ?? -Infinity,
          cuts[i].rollupsFrom,
        ),
      }));
      const result = await store.prune(stamped, chunkSize, signal);
      series += page.length;
      deleted += result.deleted;
      if (!result.done) return { series, deleted, done: false };
    }
    this.options.logger?.info(
      `Measurement retention: ${deleted} rows deleted over ${series} series`,
    );
    return { series, deleted, done: true };
  }
}
