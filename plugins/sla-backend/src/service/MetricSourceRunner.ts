import { earliestInstant } from '../domain/portfolio';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  formatFieldErrors,
  validateMeasurements,
} from '@opensla/backstage-plugin-sla-common';
import type {
  MeasurableTarget,
  SlaMetricSource,
} from '@opensla/backstage-plugin-sla-node';
import type { Knex } from 'knex';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { MINUTE_MS, floorTo } from '../store/rollupLevels';
import { EntityAccessGuard } from './EntityAccessGuard';
import { resolveWindow } from '../domain';

const SETTLE_MS = 2 * MINUTE_MS;

/**
 * One run of a metric source: for every target in force it can measure,
 * collect [checkpoint, now) and ingest it through the same idempotent path
 * as POST /measurements, then move the checkpoint. A failure leaves the
 * checkpoint where it was, so the next run retries the same range.
 */
export class MetricSourceRunner {
  constructor(
    private readonly options: {
      db: Knex;
      agreements: AgreementStore;
      measurements: MeasurementStore;
      guard: EntityAccessGuard;
      logger: LoggerService;
      /**
       * How far back the first collection of a target reaches at most: it
       * backfills the target's window, up to this far.
       */
      maxBackfillMs: number;
      /** After accepted data; `from` is the earliest instant it holds (ms). */
      onIngested?: (entityRefs: string[], from: number) => Promise<void>;
    },
  ) {}

  /** Stops between targets once `signal` aborts (the scheduler's timeout). */
  async run(
    source: SlaMetricSource,
    now: number,
    signal?: AbortSignal,
  ): Promise<{ collected: number; failed: number }> {
    const { db, logger } = this.options;
    // Leave the newest minutes to the next run: a source may not have all of
    // their data yet, and a sample once stored is never replaced.
    const to = floorTo(now - SETTLE_MS, MINUTE_MS);
    const agreements = await this.options.agreements.list({ status: 'agreed' });
    const entities = await this.options.guard.getEntities([
      ...new Set(agreements.map(a => a.entityRef)),
    ]);
    let collected = 0;
    let failed = 0;
    for (const agreement of agreements) {
      const entity = entities.get(
        agreement.entityRef.toLocaleLowerCase('en-US'),
      );
      for (const target of agreement.targets) {
        if (signal?.aborted) return { collected, failed };
        const measurable: MeasurableTarget = {
          entityRef: agreement.entityRef,
          annotations: entity?.metadata.annotations ?? {},
          agreementId: agreement.id,
          target,
        };
        if (!source.canMeasure(measurable)) continue;
        const key = {
          source_id: source.id,
          entity_ref: agreement.entityRef.toLocaleLowerCase('en-US'),
          agreement_id: agreement.id,
          target_id: target.id,
        };
        const checkpoint = await db('sla_source_checkpoints')
          .where(key)
          .first('collected_until');
        const from = checkpoint
          ? Number(checkpoint.collected_until)
          : Math.max(
              resolveWindow(target.window, to).start,
              to - this.options.maxBackfillMs,
            );
        if (from >= to) continue;
        try {
          const items = await source.collect(
            measurable,
            { from: new Date(from), to: new Date(to) },
            { logger },
          );
          const { errors, parsed } = validateMeasurements(items);
          if (errors.length) {
            throw new Error(
              `invalid measurements: ${formatFieldErrors(errors.slice(0, 5))}`,
            );
          }
          const own = parsed.filter(
            p => p.entityRef === key.entity_ref && p.metric === target.metric,
          );
          if (own.length !== parsed.length) {
            throw new Error(
              `returned measurements of other series than ${agreement.entityRef} ${target.metric}`,
            );
          }
          if (own.length) {
            await this.options.measurements.ingest(own);
            await this.options.onIngested?.(
              [agreement.entityRef],
              earliestInstant(own),
            );
          }
          await db('sla_source_checkpoints')
            .insert({ ...key, collected_until: to })
            .onConflict([
              'source_id',
              'entity_ref',
              'agreement_id',
              'target_id',
            ])
            .merge({ collected_until: to });
          collected++;
        } catch (error) {
          failed++;
          logger.warn(
            `Metric source ${source.id} failed for ${
              agreement.entityRef
            } target ${target.id} (${new Date(from).toISOString()} – ${new Date(
              to,
            ).toISOString()}); retrying next run: ${(error as Error).message}`,
          );
        }
      }
    }
    return { collected, failed };
  }
}
