import { earliestInstant } from '../domain/portfolio';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  FieldError,
  IngestResult,
  formatFieldErrors,
  slaMeasurementCreatePermission,
  validateMeasurements,
} from '@opensla/backstage-plugin-sla-common';
import { MeasurementStore, SeriesKindError } from '../store/MeasurementStore';
import { EntityAccessGuard } from './EntityAccessGuard';

/** How many field errors a 400 lists before "and N more". */
const LISTED_ERRORS = 20;

function refuse(errors: FieldError[]): never {
  const listed = formatFieldErrors(errors.slice(0, LISTED_ERRORS));
  const more =
    errors.length > LISTED_ERRORS
      ? `; and ${errors.length - LISTED_ERRORS} more`
      : '';
  throw new InputError(
    `Nothing was stored: ${errors.length} invalid item${
      errors.length === 1 ? '' : 's'
    }: ${listed}${more}`,
  );
}

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
    if (errors.length) refuse(errors);

    const refs = [...new Set(parsed.map(p => p.entityRef))];
    const entities = await this.options.guard.getEntities(refs);
    const unknown: FieldError[] = [];
    parsed.forEach((p, index) => {
      if (!entities.has(p.entityRef)) {
        unknown.push({
          field: `items[${index}].entityRef`,
          message: `${p.entityRef} is not an entity in the catalog`,
        });
      }
    });
    if (unknown.length) refuse(unknown);
    for (const ref of refs) {
      await this.options.guard.assertAllowed(
        credentials,
        slaMeasurementCreatePermission,
        ref,
        entities.get(ref),
      );
    }

    let result: IngestResult;
    try {
      result = await this.options.store.ingest(parsed);
    } catch (error) {
      if (error instanceof SeriesKindError) {
        refuse(
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
