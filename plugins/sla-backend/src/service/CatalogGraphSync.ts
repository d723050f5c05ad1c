import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'crypto';
import { GraphEntity, graphEntityRef } from '../domain/viability';
import { CatalogGraphRow, CatalogGraphStore } from '../store/CatalogGraphStore';

/** What the graph reads of an entity. @internal */
export const GRAPH_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
  'relations',
];
/** What the scan reads of every entity: its identity and etag. */
const SCAN_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
];
const SCAN_PAGE = 2_000;
/** Refs per getEntitiesByRefs call for the changed entities. */
const FETCH_CHUNK = 500;

/** The graph's part of an entity, in a fixed shape (etag left out). */
export function graphPart(entity: GraphEntity): GraphEntity {
  const e = entity as GraphEntity & { spec?: { owner?: unknown } };
  return {
    kind: e.kind,
    metadata: {
      name: e.metadata.name,
      ...(e.metadata.namespace ? { namespace: e.metadata.namespace } : {}),
      ...(e.metadata.annotations
        ? { annotations: e.metadata.annotations }
        : {}),
    },
    ...(e.spec?.owner !== undefined ? { spec: { owner: e.spec.owner } } : {}),
    ...(e.relations
      ? {
          relations: e.relations.map(r => ({
            type: r.type,
            targetRef: r.targetRef,
          })),
        }
      : {}),
  } as GraphEntity;
}

function fingerprintOf(part: GraphEntity): string {
  return createHash('sha1').update(JSON.stringify(part)).digest('hex');
}

/** What one sync did, for the log and the tests. @internal */
export type CatalogGraphSyncResult = {
  /** Entities listed by the scan (identity and etag only). */
  scanned: number;
  /** Entities read in full because their etag was new or changed. */
  fetched: number;
  /** Rows written: changed or new entities, and removed ones. */
  changed: number;
  removed: number;
  /** The change sequence after the sync. */
  seq: number;
};

/**
 * Keeps sla_catalog_graph in step with the catalog. Run by the scheduled
 * task `sla-catalog-graph-sync` (once across replicas per due instant).
 * The catalog of Backstage 1.55 publishes no entity change events and
 * cannot list entities changed since an instant, so each sync lists every
 * entity's identity and `metadata.etag` (which the catalog recomputes when
 * the stitched entity, relations included, changes), reads in full only
 * the entities whose etag is new or changed, and writes only those whose
 * graph part changed, plus tombstones for the ones gone.
 * @internal
 */
export class CatalogGraphSync {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: CatalogGraphStore;
      logger: LoggerService;
      /**
       * Called after a write with the entities whose graph part changed
       * (e.g. to re-read their OpenSLO files). Errors are logged.
       */
      onChanged?: (entities: GraphEntity[]) => Promise<void>;
      /**
       * Called after a write with every entity the catalog changed since
       * the last sync (its etag is new or changed), whether or not its
       * graph part changed: e.g. a refreshed entity whose catalog file
       * changed a description. Errors are logged.
       */
      onEntityChanged?: (entities: GraphEntity[]) => Promise<void>;
    },
  ) {}

  async sync(signal?: AbortSignal): Promise<CatalogGraphSyncResult> {
    const { catalog, store } = this.options;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const stored = await store.fingerprints();

    // 1. Identity and etag of every entity.
    const seen = new Set<string>();
    const toFetch: string[] = [];
    let cursor: string | undefined;
    do {
      if (signal?.aborted) throw new Error('Catalog graph sync aborted');
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: SCAN_PAGE, fields: SCAN_FIELDS }
          : { limit: SCAN_PAGE, fields: SCAN_FIELDS },
        { credentials },
      );
      for (const entity of page.items) {
        const ref = graphEntityRef(entity as GraphEntity);
        seen.add(ref);
        const etag = entity.metadata.etag;
        const known = stored.get(ref);
        if (!known || !etag || known.etag !== etag) toFetch.push(ref);
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);

    // 2. The changed ones in full (their graph fields).
    const changed: CatalogGraphRow[] = [];
    for (let i = 0; i < toFetch.length; i += FETCH_CHUNK) {
      if (signal?.aborted) throw new Error('Catalog graph sync aborted');
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: toFetch.slice(i, i + FETCH_CHUNK),
          fields: [...GRAPH_FIELDS, 'metadata.etag'],
        },
        { credentials },
      );
      for (const entity of items) {
        if (!entity) continue; // removed since the scan: next sync
        const part = graphPart(entity as GraphEntity);
        const ref = graphEntityRef(part);
        const fingerprint = fingerprintOf(part);
        const etag = entity.metadata.etag;
        const known = stored.get(ref);
        if (known?.fingerprint === fingerprint && known.etag === etag) {
          continue;
        }
        changed.push({
          entityRef: ref,
          ...(etag ? { etag } : {}),
          fingerprint,
          entity: part,
        });
      }
    }
    const removed = [...stored.keys()].filter(ref => !seen.has(ref));

    // 3. One numbered change set.
    const seq = await store.write(changed, removed);
    const graphChanged = changed.filter(
      c => stored.get(c.entityRef)?.fingerprint !== c.fingerprint,
    );
    if (graphChanged.length && this.options.onChanged) {
      try {
        await this.options.onChanged(graphChanged.map(c => c.entity));
      } catch (error) {
        this.options.logger.warn(`Handling catalog changes failed: ${error}`);
      }
    }
    if (changed.length && this.options.onEntityChanged) {
      try {
        await this.options.onEntityChanged(changed.map(c => c.entity));
      } catch (error) {
        this.options.logger.warn(`Handling catalog changes failed: ${error}`);
      }
    }
    return {
      scanned: seen.size,
      fetched: toFetch.length,
      changed: changed.length,
      removed: removed.length,
      seq,
    };
  }
}
