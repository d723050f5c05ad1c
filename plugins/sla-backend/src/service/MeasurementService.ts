import { earliestInstant } from '../domain/portfolio';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  IngestResult,
  validateMeasurements,
} from '@opensla/backstage-plugin-sla-common';
import { MeasurementStore, SeriesKindError } from '../store/MeasurementStore';
import { EntityAccessGuard } from './EntityAccessGuard';
import { checkBatchPusher, refuseBatch } from './batchInput';

/**
 * POST /measurements: validates the whole batch, checks who may push for
 * each entity, and stores it in one transaction (all or nothing). Callers
 * are told which entities changed, to re-evaluate their breaches.
 */
export class MeasurementService {
  constructor(
    private readonly options: {
      store: MeasurementStore;
      guard: EntityAccessGuard;
      /** After accepted data; `from` is the earliest instant it holds (ms). */
      onIngested?: (entityRefs: string[], from: number) => Promise<void>;
    },
  ) {}

  async ingest(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<IngestResult> {
    const items = (body as { items?: unknown })?.items;
    const { errors, parsed } = validateMeasurements(items);
    if (errors.length) refuseBatch(errors);

    const refs = await checkBatchPusher(
      this.options.guard,
      credentials,
      parsed,
    );

    let result: IngestResult;
    try {
      result = await this.options.store.ingest(parsed);
    } catch (error) {
      if (error instanceof SeriesKindError) {
        refuseBatch(
          error.conflicts.map(c => ({
            field: `items[${c.index}]`,
            message: `is a ${parsed[c.index].kind} measurement, but ${
              c.metric
            } of ${c.entityRef} holds ${c.holds} measurements`,
          })),
        );
      }
      throw error;
    }
    if (result.accepted > 0 && this.options.onIngested) {
      const from = earliestInstant(parsed);
      await this.options.onIngested(refs, from);
    }
    return result;
  }
}
