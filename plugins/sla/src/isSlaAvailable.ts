import type { Entity } from '@backstage/catalog-model';

/** The kinds that can be services with agreements (product.md §1). */
const SERVICE_KINDS = ['component', 'system', 'api', 'resource'];

/**
 * Whether an entity can carry service level agreements, for use as the
 * condition of an entity page tab or card.
 * @public
 */
export function isSlaAvailable(entity: Entity): boolean {
  return SERVICE_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
}
