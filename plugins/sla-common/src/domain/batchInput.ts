import { parseEntityRef } from '@backstage/catalog-model';
import type { FieldError } from './validateAgreement';

/**
 * The entity ref of an ingested item (a measurement, a ticket change):
 * `kind:namespace/name` in lower case, the kind required; undefined when
 * malformed.
 */
export function normalizeItemRef(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.includes(':')) return undefined;
  try {
    const ref = parseEntityRef(value);
    return `${ref.kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase(
      'en-US',
    );
  } catch {
    return undefined;
  }
}

/**
 * The items of a batch body: the list, or the error naming `items` (not a
 * list, or more than `max` of them).
 */
export function batchItems(
  items: unknown,
  max: number,
): { items: unknown[] } | { error: FieldError } {
  if (!Array.isArray(items)) {
    return { error: { field: 'items', message: 'must be a list' } };
  }
  if (items.length > max) {
    return {
      error: {
        field: 'items',
        message: `must have at most ${max} items (got ${items.length})`,
      },
    };
  }
  return { items };
}
