import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DependencyGraph,
  GraphEntity,
  GraphPatchResult,
  PatchableDependencyGraph,
  graphEntityRef,
} from '../domain/viability';
import type { CatalogGraphStore } from '../store/CatalogGraphStore';
import { GRAPH_FIELDS } from './CatalogGraphSync';

const PAGE_SIZE = 1000;

/**
 * What the graph reads of an entity, to tell whether it changed: relations
 * as type and target ref only (the catalog's full entity also carries
 * `target` objects, the rows of the feed do not).
 */
function fingerprint(entity: GraphEntity): string {
  return JSON.stringify([
    entity.metadata.annotations ?? {},
    (entity.relations ?? []).map(r => [r.type, r.targetRef]),
  ]);
}

/**
 * The catalog's dependency graph, kept in memory, patched at once when the
 * entity being viewed has changed. Viability then costs a walk in memory,
 * not catalog round trips.
 *
 * Changes are patched into the graph (PatchableDependencyGraph: only the
 * entities whose dependencies can have changed are computed again), never
 * rebuilt after the first load; each patch swaps in a new immutable
 * version, so a request keeps the graph it started with.
 *
 * With a `feed` (production): loaded from sla_catalog_graph, which the
 * task `sla-catalog-graph-sync` keeps (CatalogGraphSync), and brought up
 * to date every `maxAgeMs` by reading only the rows changed since the
 * sequence this replica holds (stale-while-revalidate). Until the first
 * sync has written anything, the catalog is read directly, as without a
 * feed. Without a feed: read from the catalog page by page with a
 * `fields` filter, rebuilt when older than `maxAgeMs`.
 * @internal
 */
export class CatalogGraphIndex {
  private state?: PatchableDependencyGraph;
  private loadedAt = 0;
  private loading?: Promise<void>;
  /** The feed's sequence this replica holds; 0: not loaded from the feed. */
  private seq = 0;
  /** Reads of the catalog and of the feed, for tests and the bench. */
  readonly reads = { catalogPages: 0, feed: 0, feedRows: 0 };
  /** Full builds and patches of the graph, and what the last patch did. */
  readonly builds: { full: number; patches: number; last?: GraphPatchResult } =
    { full: 0, patches: 0 };

  constructor(
    private readonly options: {
      catalog: CatalogService;
      /** The graph kept in the database by the sync task. */
      feed?: CatalogGraphStore;
      auth: AuthService;
      logger: LoggerService;
      maxAgeMs: number;
      clock: () => Date;
      /**
       * How soon after a load a miss (an entity asked about that the index
       * does not hold, e.g. because the catalog was still ingesting at
       * start) reloads it in the background. Default 10 s.
       */
      minReloadMs?: number;
    },
  ) {}

  /** Reloads in the background when the last load is old enough. */
  private reloadAfterMiss() {
    const age = this.options.clock().getTime() - this.loadedAt;
    if (this.loading || age < (this.options.minReloadMs ?? 10_000)) return;
    this.reload().catch(error =>
      this.options.logger.warn(
        `Refreshing the dependency graph failed: ${error}`,
      ),
    );
  }

  private async load(): Promise<void> {
    const feed = this.options.feed;
    if (feed) {
      this.reads.feed++;
      const changes = await feed.since(this.seq);
      this.reads.feedRows += changes.changed.length + changes.removed.length;
      if (changes.seq > 0) {
        const entities = changes.changed.map(c => c.entity);
        if (this.seq === 0 || !this.state) {
          this.state = new PatchableDependencyGraph(entities);
          this.builds.full++;
        } else if (entities.length || changes.removed.length) {
          this.builds.last = this.state.apply(entities, changes.removed);
          this.builds.patches++;
        }
        this.seq = changes.seq;
        this.loadedAt = this.options.clock().getTime();
        return;
      }
      // Nothing synced yet (first start): read the catalog meanwhile.
    }
    await this.loadFromCatalog();
  }

  private async loadFromCatalog(): Promise<void> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities = new Map<string, GraphEntity>();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE, fields: GRAPH_FIELDS }
          : { limit: PAGE_SIZE, fields: GRAPH_FIELDS },
        { credentials },
      );
      this.reads.catalogPages++;
      for (const entity of page.items as GraphEntity[]) {
        entities.set(graphEntityRef(entity), entity);
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    this.state = new PatchableDependencyGraph(entities.values());
    this.builds.full++;
    this.loadedAt = this.options.clock().getTime();
  }

  /** Resolves when a refresh running in the background has finished. */
  async settled(): Promise<void> {
    await this.loading?.catch(() => undefined);
  }

  private reload(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  /**
   * The catalog's entities as last loaded (kind, name, namespace,
   * annotations, spec.owner and relations), by lower-cased entity ref:
   * loaded on first use, then refreshed like the graph, and sooner when one
   * of the `expected` refs is missing. For reads over all services (the
   * portfolio's owners) that must not fetch every entity per request.
   */
  async entitiesByRef(
    expected: Iterable<string> = [],
  ): Promise<ReadonlyMap<string, GraphEntity>> {
    await this.get();
    const entities = this.state!.entities;
    for (const ref of expected) {
      if (!entities.has(ref)) {
        this.reloadAfterMiss();
        break;
      }
    }
    return entities;
  }

  /**
   * The graph; `viewed` is the freshly read entity the request is about,
   * patched in when the index holds an older version of it.
   */
  async get(viewed?: GraphEntity): Promise<DependencyGraph> {
    if (!this.state) {
      await this.reload();
    } else if (
      this.options.clock().getTime() - this.loadedAt >
      this.options.maxAgeMs
    ) {
      this.reload().catch(error =>
        this.options.logger.warn(
          `Refreshing the dependency graph failed: ${error}`,
        ),
      );
    }
    const state = this.state!;
    if (viewed) {
      const ref = graphEntityRef(viewed);
      const known = state.entities.get(ref);
      if (!known || fingerprint(known) !== fingerprint(viewed)) {
        // Unknown: the index is behind the catalog (its neighbours may be
        // missing too), so reload soon as well.
        if (!known) this.reloadAfterMiss();
        this.builds.last = state.apply([viewed]);
        this.builds.patches++;
      }
    }
    return state.graph;
  }
}
