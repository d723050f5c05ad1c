import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Series,
  slaAgreementReadPermission,
} from '@opensla/backstage-plugin-sla-common';
import { SeriesStore } from '../store/SeriesStore';
import { EntityAccessGuard } from './EntityAccessGuard';
import { Page, PageRequest, pageOfRows } from './pagination';

/**
 * GET /series: the series an entity already has, so the editor can offer
 * them as a target's metric. Whoever may read the entity's agreements may
 * list its series (their names are in those agreements anyway).
 * @internal
 */
export class SeriesService {
  constructor(
    private readonly options: {
      store: SeriesStore;
      guard: EntityAccessGuard;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    entityRef: string,
    page: PageRequest,
  ): Promise<Page<Series>> {
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
    const rows = await this.options.store.listForEntity(entityRef, {
      after: page.after?.[0] as string | undefined,
      limit: page.limit + 1,
    });
    return pageOfRows('series', rows, s => [s.metric], page.limit);
  }
}
