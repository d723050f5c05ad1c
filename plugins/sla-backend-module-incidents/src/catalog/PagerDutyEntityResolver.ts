import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { PAGERDUTY_SERVICE_ID_ANNOTATION } from './annotations';
import { TtlCache } from './TtlCache';
import type { EntityResolution } from './types';

export interface EntityResolverOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** Zero: no cache. */
  cacheTtlMs: number;
  now?: () => number;
}

/**
 * Finds the entity whose `pagerduty.com/service-id` annotation names a
 * PagerDuty service: one catalog query filtered on the annotation (at most
 * 10 entities read), its answer reused for the cache time to live.
 */
export class PagerDutyEntityResolver {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #cache: TtlCache<EntityResolution>;

  constructor(options: EntityResolverOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#cache = new TtlCache(
      options.cacheTtlMs,
      1000,
      options.now ?? Date.now,
    );
  }

  async resolve(serviceId: string): Promise<EntityResolution> {
    const cached = this.#cache.get(serviceId);
    if (cached) return cached;
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${PAGERDUTY_SERVICE_ID_ANNOTATION}`]:
            serviceId,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
        limit: 10,
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    // the catalog compares values case-insensitively; PagerDuty ids are not
    const refs = items
      .filter(
        e =>
          e.metadata.annotations?.[PAGERDUTY_SERVICE_ID_ANNOTATION]?.trim() ===
          serviceId,
      )
      .map(e => stringifyEntityRef(e))
      .sort();
    let resolution: EntityResolution;
    if (refs.length === 1) resolution = { kind: 'found', entityRef: refs[0] };
    else if (refs.length === 0) resolution = { kind: 'none' };
    else resolution = { kind: 'ambiguous', entityRefs: refs };
    this.#cache.set(serviceId, resolution);
    return resolution;
  }
}
