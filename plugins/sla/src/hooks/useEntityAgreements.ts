import { useReloadable } from './useReloadable';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Agreement,
  EntityAccess,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';

/** An entity's agreements and what the signed-in user may do with them. */
export interface EntityAgreements {
  agreements: Agreement[];
  access: EntityAccess;
}

/**
 * Loads the agreements of `entityRef` together with the caller's access.
 * When the access check itself fails the page is shown read-only rather than
 * not at all: the controls are a convenience, the backend still decides.
 */
export function useEntityAgreements(entityRef: string) {
  const slaApi = useApi(slaApiRef);
  return useReloadable(async (): Promise<EntityAgreements> => {
    const [list, access] = await Promise.all([
      slaApi.listAgreements({ entityRef }),
      slaApi
        .getAccess(entityRef)
        .catch(() => ({ entityRef, create: false, update: false })),
    ]);
    return { agreements: list.items, access };
  }, [slaApi, entityRef]);
}
