import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  OpenSloDraft,
  OpenSloSource,
  formatFieldErrors,
  slaAgreementCreatePermission,
  slaAgreementReadPermission,
} from '@opensla/backstage-plugin-sla-common';
import {
  importOpenSlo,
  openSloName,
  renderOpenSloYaml,
} from '../domain/openslo';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import { AgreementService } from './AgreementService';
import { EntityAccessGuard } from './EntityAccessGuard';

/**
 * OpenSLO in and out for the HTTP routes: export an agreement, preview
 * pasted YAML as a draft, and the state of an entity's managed files.
 * @internal
 */
export class OpenSloService {
  constructor(
    private readonly options: {
      agreements: AgreementService;
      guard: EntityAccessGuard;
      sources: OpenSloSourceStore;
      /** Metric source types the plugin reads. */
      sourceTypes?: () => string[];
    },
  ) {}

  /** The agreement as OpenSLO YAML, with a file name for the download. */
  async exportYaml(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<{ yaml: string; fileName: string }> {
    const agreement = await this.options.agreements.get(credentials, id);
    return {
      yaml: renderOpenSloYaml(agreement),
      fileName: `${openSloName(agreement.title)}.openslo.yaml`,
    };
  }

  async preview(
    credentials: BackstageCredentials,
    body: { entityRef: string; yaml: string },
  ): Promise<OpenSloDraft> {
    const entity = await this.options.guard.getEntity(body.entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${body.entityRef} is not an entity in the catalog`,
      );
    }
    const ref = stringifyEntityRef(entity);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementCreatePermission,
      ref,
      entity,
    );
    const result = importOpenSlo(body.yaml, {
      sourceTypes: this.options.sourceTypes?.(),
    });
    if (!result.ok) throw new InputError(formatFieldErrors(result.errors));
    return { ...result.draft, entityRef: ref };
  }

  async sources(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<OpenSloSource[]> {
    const entity = await this.options.guard.getEntity(entityRef);
    const ref = entity ? stringifyEntityRef(entity) : entityRef;
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      ref,
      entity,
    );
    const record = await this.options.sources.get(ref);
    if (!record) return [];
    const { contentHash: _hash, ...source } = record;
    return [{ ...source, entityRef: ref }];
  }
}
