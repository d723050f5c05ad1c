import {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Agreement,
  diffAgreements,
  normalizeAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import {
  OPENSLO_ANNOTATION as OPENSLO_ENTITY_ANNOTATION,
  locationText,
  readOpenSloFile,
  resolveOpenSloLocations,
} from '@opensla/backstage-plugin-sla-node';
import { createHash } from 'crypto';
import { v5 as uuidv5 } from 'uuid';
import { openSloToDraft, parseOpenSloYaml } from '../domain/openslo';
import { AgreementStore } from '../store/AgreementStore';
import { OpenSloSourceStore } from '../store/OpenSloSourceStore';
import type { ViabilityService } from './ViabilityService';

/** Who the history names for changes made from OpenSLO files. */
export const OPENSLO_PRINCIPAL = 'plugin:sla/openslo';
/** Namespace of the managed agreements' ids (uuid v5 of the entity ref). */
const ID_NAMESPACE = '4f3b7c1e-2a9d-5e8f-9b6c-0d1e2f3a4b5c';
const PAGE_SIZE = 500;

/** The id of an entity's managed agreement: the same on every replica. */
export function managedAgreementId(entityRef: string): string {
  return uuidv5(
    `openslo:${entityRef.toLocaleLowerCase('en-US')}`,
    ID_NAMESPACE,
  );
}

/** The part of an agreement the files decide, in its stored form. */
function managedContent(agreement: {
  kind: Agreement['kind'];
  entityRef: string;
  title: string;
  description?: string;
  targets: Agreement['targets'];
}) {
  return normalizeAgreementInput({
    kind: agreement.kind,
    entityRef: agreement.entityRef,
    title: agreement.title,
    ...(agreement.description
      ? { description: agreement.description.slice(0, 10000) }
      : {}),
    targets: agreement.targets,
  });
}

function hashOf(content: unknown, locations: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ content, locations }))
    .digest('hex');
}

/** What one read of an entity's files did. @internal */
export type OpenSloSyncOutcome =
  | { result: 'created' | 'updated' | 'unchanged'; agreementId: string }
  | { result: 'error'; error: string };

/**
 * SLOs as code: reads the OpenSLO files an entity's `sla/openslo`
 * annotation names (UrlReader for URLs; local catalog files from disk),
 * maps them (domain/openslo) and keeps one managed agreement per entity,
 * agreed, with a new version in its history whenever the files change.
 * A read that fails records its error and leaves the agreement as it was.
 * @internal
 */
export class OpenSloSyncService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      reader: UrlReaderService;
      agreements: AgreementStore;
      sources: OpenSloSourceStore;
      logger: LoggerService;
      /** Metric source types the plugin reads (for the mapping's warnings). */
      sourceTypes?: () => string[];
      /**
       * The viability check every agreement passes before it is agreed. A
       * managed agreement is agreed by its files, so a shortfall does not
       * stop it: it is recorded in its history as an override whose reason
       * names the files, as when an owner agrees anyway.
       */
      viability?: Pick<ViabilityService, 'checkBeforeAgreeing'>;
    },
  ) {}

  /** The viability record of a managed version about to be stored. */
  private async viabilityOf(agreement: Agreement, files: string) {
    if (!this.options.viability) return undefined;
    try {
      return await this.options.viability.checkBeforeAgreeing(agreement, {
        reason: `managed as code: agreed by the OpenSLO files (${files})`,
      });
    } catch (error) {
      this.options.logger.warn(
        `Viability of the managed agreement of ${agreement.entityRef} could not be checked: ${error}`,
      );
      return undefined;
    }
  }

  private stopped(counts: Record<string, number>) {
    this.options.logger.warn(
      `OpenSLO files read stopped (aborted): ${JSON.stringify(counts)}`,
    );
    return counts;
  }

  /**
   * Reads the files of every annotated entity; stops between entities once
   * `signal` aborts.
   */
  async syncAll(
    at: number,
    signal?: AbortSignal,
  ): Promise<Record<string, number>> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const counts: Record<string, number> = {};
    let cursor: string | undefined;
    do {
      // Stopped (the scheduler's timeout, shutdown) between entities: each
      // entity's read is one unit; the next run reads them all again and
      // finds the ones done unchanged.
      if (signal?.aborted) return this.stopped(counts);
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              limit: PAGE_SIZE,
              filter: {
                [`metadata.annotations.${OPENSLO_ENTITY_ANNOTATION}`]:
                  CATALOG_FILTER_EXISTS,
              },
            },
        { credentials },
      );
      for (const entity of page.items) {
        if (signal?.aborted) return this.stopped(counts);
        const outcome = await this.syncEntity(entity, at);
        counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return counts;
  }

  /**
   * Entities the catalog changed (found by the catalog graph sync): the
   * ones with the annotation have their files read again at once.
   */
  async syncChanged(
    entities: Array<Pick<Entity, 'kind' | 'metadata'>>,
    at: number,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const entity of entities) {
      if (!entity.metadata.annotations?.[OPENSLO_ENTITY_ANNOTATION]) continue;
      const outcome = await this.syncEntity(entity as Entity, at);
      counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
    }
    return counts;
  }

  /** Reads one entity's files and applies them. */
  async syncEntity(entity: Entity, at: number): Promise<OpenSloSyncOutcome> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const now = new Date(at).toISOString();
    const fail = async (locations: string[], error: string) => {
      await this.options.sources.recordError({
        entityRef,
        locations,
        at: now,
        error,
      });
      this.options.logger.warn(`OpenSLO files of ${entityRef}: ${error}`);
      return { result: 'error' as const, error };
    };
    const resolved = resolveOpenSloLocations(
      annotations[OPENSLO_ENTITY_ANNOTATION] ?? '',
      annotations,
    );
    if ('error' in resolved) return fail([], resolved.error);
    const locations = resolved.locations.map(locationText);

    // Every file, parsed; document paths name the file they are in.
    const documents: unknown[] = [];
    const origins: Array<{ file: string; index: number }> = [];
    for (const location of resolved.locations) {
      const file = locationText(location);
      let text: string;
      try {
        ({ text } = await readOpenSloFile(this.options.reader, location));
      } catch (error) {
        return fail(
          locations,
          `${file} could not be read: ${(error as Error).message}`,
        );
      }
      const parsed = parseOpenSloYaml(text);
      if (parsed.errors.length) {
        return fail(
          locations,
          parsed.errors.map(e => `${file}: ${e.field} ${e.message}`).join('; '),
        );
      }
      parsed.documents.forEach((doc, index) => {
        documents.push(doc);
        origins.push({ file, index });
      });
    }
    const mapped = openSloToDraft(documents, {
      sourceTypes: this.options.sourceTypes?.(),
    });
    if (!mapped.ok) {
      const where = (field: string) =>
        field.replace(/^documents\[(\d+)\]/, (_m, i) => {
          const o = origins[Number(i)];
          return o ? `${o.file}: documents[${o.index}]` : `documents[${i}]`;
        });
      return fail(
        locations,
        mapped.errors.map(e => `${where(e.field)} ${e.message}`).join('; '),
      );
    }
    const { draft } = mapped;
    const content = managedContent({
      kind: draft.kind,
      entityRef,
      title: draft.title,
      description: draft.description,
      targets: draft.targets,
    });
    const contentHash = hashOf(content, locations);
    const id = managedAgreementId(entityRef);
    const current = await this.options.agreements.get(id);
    // Compared with what is stored, not with what this replica last saw, so
    // a replica that reads after another applied the same files writes nothing.
    if (
      current &&
      hashOf(managedContent(current), current.managed?.locations ?? []) ===
        contentHash
    ) {
      await this.options.sources.recordApplied({
        entityRef,
        agreementId: id,
        locations,
        at: now,
        contentHash,
        changed: false,
      });
      return { result: 'unchanged', agreementId: id };
    }
    const managed = { source: 'openslo' as const, locations, syncedAt: now };
    const files = locations.join(', ');
    let result: 'created' | 'updated';
    if (!current) {
      const agreement: Agreement = {
        ...content,
        id,
        status: 'agreed',
        version: 1,
        agreedAt: now,
        agreedBy: OPENSLO_PRINCIPAL,
        managed,
        createdAt: now,
        createdBy: OPENSLO_PRINCIPAL,
        updatedAt: now,
        updatedBy: OPENSLO_PRINCIPAL,
      };
      const viabilityOverride = await this.viabilityOf(agreement, files);
      let inserted = false;
      try {
        inserted = await this.options.agreements.insert(agreement, {
          type: 'created',
          summary: `Created in agreed from OpenSLO (${files})${
            viabilityOverride ? ' (not viable)' : ''
          }`,
          ...(viabilityOverride ? { viabilityOverride } : {}),
        });
      } catch {
        // Another replica inserted the same id at the same moment.
      }
      if (!inserted) return { result: 'unchanged', agreementId: id };
      result = 'created';
    } else {
      const diff = diffAgreements(current, content);
      const next: Agreement = {
        ...current,
        ...content,
        managed,
        version: current.version + 1,
        updatedAt: now,
        updatedBy: OPENSLO_PRINCIPAL,
      };
      if (!content.description) delete next.description;
      const viabilityOverride =
        next.status === 'agreed'
          ? await this.viabilityOf(next, files)
          : undefined;
      const stored = await this.options.agreements.update(
        next,
        current.version,
        {
          type: 'updated',
          summary: `${diff.summary} (from OpenSLO: ${files})${
            viabilityOverride ? ' (not viable)' : ''
          }`,
          fields: diff.fields,
          ...(viabilityOverride ? { viabilityOverride } : {}),
        },
      );
      // A lost race: another replica applied the files meanwhile.
      if (!stored) return { result: 'unchanged', agreementId: id };
      result = 'updated';
    }
    await this.options.sources.recordApplied({
      entityRef,
      agreementId: id,
      locations,
      at: now,
      contentHash,
      changed: true,
    });
    return { result, agreementId: id };
  }
}
