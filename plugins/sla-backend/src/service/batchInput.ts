import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import {
  FieldError,
  formatFieldErrors,
  slaMeasurementCreatePermission,
} from '@opensla/backstage-plugin-sla-common';
import { EntityAccessGuard } from './EntityAccessGuard';

/** How many field errors a 400 lists before "and N more". */
const LISTED_ERRORS = 20;

/** A 400 for a pushed batch: nothing of it is stored. */
export function refuseBatch(errors: FieldError[]): never {
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
 * The checks of a pushed batch (measurements, ticket changes) after its
 * items validated: every entity is in the catalog (400 naming the item) and
 * the caller may push for each (owners or services, 403). Answers the
 * batch's distinct entity refs.
 */
export async function checkBatchPusher(
  guard: EntityAccessGuard,
  credentials: BackstageCredentials,
  items: Array<{ entityRef: string }>,
): Promise<string[]> {
  const refs = [...new Set(items.map(p => p.entityRef))];
  const entities: Map<string, Entity> = await guard.getEntities(refs);
  const unknown: FieldError[] = [];
  items.forEach((p, index) => {
    if (!entities.has(p.entityRef)) {
      unknown.push({
        field: `items[${index}].entityRef`,
        message: `${p.entityRef} is not an entity in the catalog`,
      });
    }
  });
  if (unknown.length) refuseBatch(unknown);
  await guard.assertAllAllowed(
    credentials,
    slaMeasurementCreatePermission,
    refs,
    entities,
  );
  return refs;
}
