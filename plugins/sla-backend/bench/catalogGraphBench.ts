/*
 * Benchmark of the catalog graph at 100,000 entities (README "Benchmark",
 * "Catalog graph"). Prints figures and asserts nothing. For one database
 * (argv: sqlite | postgres), over a synthetic catalog of BENCH_ENTITIES
 * (default 100,000) entities (five layers of services, each depending on
 * three services of the next layer and consuming one API of it, soft
 * dependencies, redundancy groups, APIs, groups to fill up;
 * bench/syntheticCatalog.ts):
 * - baseline, in the same run: what every replica did every 60 s before,
 *   a full read of the catalog's graph fields (CatalogGraphIndex without
 *   a feed) and the graph built from it;
 * - the sync task (one replica): first sync, a sync with nothing changed
 *   (identities and etags only), a sync with 100 changed entities;
 * - a replica: first load from the database, a refresh with nothing
 *   changed, a refresh with 100 changed rows, patched in place (read +
 *   patch; the patch alone is the time the event loop is held), beside
 *   what the same refresh cost before (read + graph rebuilt from all
 *   entities); ROUNDS rounds, median and worst;
 * - the time for a catalog change to show in viability: sync, refresh,
 *   the viability call that sees it (the intervals come on top);
 * - GET /viability's service method for one service five layers deep on
 *   that graph: p50 / p95 over 50 calls.
 */
import {
  connectInMemoryOrSchema,
  percentile,
  random,
  time,
} from './benchSupport';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../src/store/AgreementStore';
import { CatalogGraphStore } from '../src/store/CatalogGraphStore';
import { CatalogGraphIndex } from '../src/service/CatalogGraphIndex';
import { CatalogGraphSync } from '../src/service/CatalogGraphSync';
import {
  PatchableDependencyGraph,
  buildDependencyGraph,
} from '../src/domain/viability';
import { EntityAccessGuard } from '../src/service/EntityAccessGuard';
import { ViabilityService } from '../src/service/ViabilityService';
import { agreement, availability } from '../src/domain/viability/testGraph';
import { syntheticCatalog } from './syntheticCatalog';

const TOTAL = Number(process.env.BENCH_ENTITIES ?? 100_000);
const PER_LAYER = Math.floor((TOTAL * 0.18) / 10) * 10;
const ITERATIONS = 50;
const CHANGES = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Agreed at 90 %: a dependency on it shows in the viability of its dependents. */
const FLAKY = 'component:default/flaky';

const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`.toLocaleLowerCase('en-US');

/** The catalog calls the graph makes, over an array; fields as the catalog projects them. */
function fakeCatalog(entities: Entity[]) {
  const index = () => new Map(entities.map(e => [refOf(e), e]));
  let byRef = index();
  const reindex = () => {
    byRef = index();
  };
  const project = (e: Entity, fields?: string[]) =>
    fields && !fields.includes('relations')
      ? {
          kind: e.kind,
          metadata: {
            name: e.metadata.name,
            namespace: e.metadata.namespace,
            etag: e.metadata.etag,
          },
        }
      : e;
  return {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const items = entities.slice(offset, offset + request.limit);
      const end = offset + items.length;
      return {
        items: items.map(e => project(e, request.fields)),
        totalItems: entities.length,
        pageInfo: end < entities.length ? { nextCursor: String(end) } : {},
      };
    },
    async getEntitiesByRefs(request: any) {
      return {
        items: request.entityRefs.map((r: string) =>
          byRef.get(r.toLocaleLowerCase('en-US')),
        ),
      };
    },
    async getEntityByRef(entityRef: any) {
      return byRef.get(String(entityRef).toLocaleLowerCase('en-US'));
    },
    reindex,
  } as unknown as CatalogService & { reindex: () => void };
}

function agreementsFor(entities: Entity[]): Agreement[] {
  const next = random(7);
  const out: Agreement[] = [];
  for (const e of entities) {
    if (e.kind !== 'Component' || next() < 0.8) continue;
    out.push(
      agreement(
        `${e.metadata.name}-ola`,
        `component:default/${e.metadata.name}`,
        [availability(99 + Math.round(next() * 99) / 100)],
        'OLA',
      ),
    );
  }
  return out;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const entities = syntheticCatalog({
    perLayer: PER_LAYER,
    total: TOTAL,
    etags: true,
  });
  const agreements = agreementsFor(entities);
  agreements.push(agreement('flaky-ola', FLAKY, [availability(90)], 'OLA'));
  const { db, close } = await connectInMemoryOrSchema(kind, 'sla_graph_bench');
  const load = () =>
    os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' / ');
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const store = new AgreementStore(db);
    const [agreementsMs] = await time(async () => {
      for (const a of agreements) {
        await store.insert(a, { type: 'created', summary: 'bench' });
      }
    });
    const catalog = fakeCatalog(entities);
    const auth = { getOwnServiceCredentials: async () => ({}) } as any;
    const logger = console as any;
    console.log(
      `catalog graph bench on ${kind}: ${entities.length} entities, ${
        agreements.length
      } agreements in force (stored in ${(agreementsMs / 1000).toFixed(
        1,
      )} s); load average (1/5/15 min) ${load()} on ${
        os.cpus().length
      } cores, shared`,
    );

    // Baseline: a full read of the catalog, as each replica did every 60 s.
    const [fullMs] = await time(() =>
      new CatalogGraphIndex({
        catalog,
        auth,
        logger,
        maxAgeMs: 3_600_000,
        clock: () => new Date(),
      }).get(),
    );
    console.log(
      `  baseline, full read of the catalog + graph build (per replica per minute before): ${ms(
        fullMs,
      )}`,
    );

    // The sync task, on one replica.
    const graphStore = new CatalogGraphStore(db);
    const sync = new CatalogGraphSync({
      catalog,
      auth,
      store: graphStore,
      logger,
    });
    const [firstSyncMs, first] = await time(() => sync.sync());
    const [idleSyncMs, idle] = await time(() => sync.sync());
    console.log(
      `  sync task: first ${ms(firstSyncMs)} (${
        first.changed
      } rows written); nothing changed ${ms(idleSyncMs)} (${
        idle.scanned
      } identities scanned, ${idle.fetched} read in full, ${
        idle.changed
      } written)`,
    );

    // A replica.
    let now = Date.now();
    const graph = new CatalogGraphIndex({
      catalog,
      feed: new CatalogGraphStore(db),
      auth,
      logger,
      maxAgeMs: 15_000,
      clock: () => new Date(now),
    });
    const [coldMs] = await time(() => graph.get());
    now += 16_000;
    const [idlePollMs] = await time(async () => {
      await graph.get();
      await graph.settled();
    });
    console.log(
      `  replica: first load from the database ${ms(
        coldMs,
      )}; refresh with nothing changed ${ms(idlePollMs)}`,
    );

    // Rounds of 100 entities changing in the catalog (each gains a
    // dependency); per round: the sync, the replica's refresh (patched),
    // the patch alone on a copy of the graph, and what the refresh cost
    // before (the same rows read, the graph rebuilt from every entity).
    const feed = new CatalogGraphStore(db);
    const copy = new PatchableDependencyGraph(
      (await graph.entitiesByRef()).values(),
    );
    let copySeq = await feed.currentSeq();
    const figures = {
      sync: [] as number[],
      patched: [] as number[],
      patchOnly: [] as number[],
      rebuilt: [] as number[],
    };
    let lastPatch;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < CHANGES; i++) {
        const at = (round * CHANGES + i) * 7;
        const e = entities[at];
        entities[at] = {
          ...e,
          metadata: { ...e.metadata, etag: `changed-${round}-${i}` },
          relations: [
            ...(e.relations ?? []),
            {
              type: 'dependsOn',
              targetRef: `component:default/svc-4-${round}`,
            },
          ],
        };
      }
      catalog.reindex();
      const [changeSyncMs, changed] = await time(() => sync.sync());
      if (changed.changed !== CHANGES) {
        throw new Error(
          `expected ${CHANGES} rows written, got ${changed.changed}`,
        );
      }
      figures.sync.push(changeSyncMs);
      now += 16_000;
      const [patchedMs] = await time(async () => {
        await graph.get();
        await graph.settled();
      });
      figures.patched.push(patchedMs);
      lastPatch = graph.builds.last;
      const rows = await feed.since(copySeq);
      copySeq = rows.seq;
      const [patchOnlyMs] = await time(async () =>
        copy.apply(
          rows.changed.map(c => c.entity),
          rows.removed,
        ),
      );
      figures.patchOnly.push(patchOnlyMs);
      const lastSeq = rows.seq;
      const [rebuiltMs] = await time(async () => {
        await feed.since(lastSeq - 1);
        return buildDependencyGraph((await graph.entitiesByRef()).values());
      });
      figures.rebuilt.push(rebuiltMs);
    }
    const summary = (values: number[]) =>
      `median ${ms(percentile(values, 50))}, worst ${ms(Math.max(...values))}`;
    console.log(
      `  ${ROUNDS} rounds of ${CHANGES} changed entities (load average ${load()}):`,
    );
    console.log(`    sync task: ${summary(figures.sync)}`);
    console.log(
      `    replica refresh, patched (read + patch): ${summary(
        figures.patched,
      )}; the patch alone (event loop held): ${summary(
        figures.patchOnly,
      )}; last patch: ${JSON.stringify(lastPatch)}`,
    );
    console.log(
      `    replica refresh as before (read + graph rebuilt): ${summary(
        figures.rebuilt,
      )}`,
    );
    console.log(
      `    full builds ${graph.builds.full}, patches ${graph.builds.patches}; catalog pages read by the replica: ${graph.reads.catalogPages}`,
    );

    const guard = {
      getEntity: (ref: string) => catalog.getEntityByRef(ref, {} as any),
      assertAllowed: async () => {},
      readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
    } as unknown as EntityAccessGuard;
    const service = new ViabilityService({
      db,
      agreements: store,
      guard,
      graph,
    });
    const entityRef = 'component:default/svc-0-7';
    const [firstCallMs, before] = await time(() =>
      service.viability({} as any, { entityRef }),
    );

    // A catalog change deep in the graph shows in viability: a hard,
    // unagreed dependency of svc-0-7 comes to depend on FLAKY (90 %).
    const viewed = (await graph.get()).directDependencies(entityRef);
    const agreed = new Set(agreements.map(a => a.entityRef));
    const target = viewed.find(d => !d.soft && !agreed.has(d.entityRef));
    if (target) {
      const at = entities.findIndex(e => refOf(e) === target.entityRef);
      const e = entities[at];
      entities[at] = {
        ...e,
        metadata: { ...e.metadata, etag: 'flaky-dependency' },
        relations: [
          ...(e.relations ?? []),
          { type: 'dependsOn', targetRef: FLAKY },
        ],
      };
      catalog.reindex();
      const [visibleSyncMs] = await time(() => sync.sync());
      now += 16_000;
      const [visibleRefreshMs] = await time(async () => {
        await graph.get();
        await graph.settled();
      });
      const [visibleCallMs, after] = await time(() =>
        service.viability({} as any, { entityRef }),
      );
      console.log(
        `  a change to ${
          target.entityRef
        } (one of its dependencies) visible in the viability of ${entityRef}: supportable ${
          before.supportable
        } % -> ${after.supportable} % ${
          after.supportable < before.supportable ? '(seen)' : '(NOT SEEN)'
        }; sync ${ms(visibleSyncMs)} + refresh ${ms(
          visibleRefreshMs,
        )} + viability ${ms(visibleCallMs)} = ${ms(
          visibleSyncMs + visibleRefreshMs + visibleCallMs,
        )} of work, after at most the sync interval (30 s) and the refresh interval (10 s)`,
      );
    }

    const samples: number[] = [];
    let report;
    for (let i = 0; i < ITERATIONS; i++) {
      const [t, r] = await time(() =>
        service.viability({} as any, { entityRef, objective: 99.9 }),
      );
      samples.push(t);
      report = r;
    }
    console.log(
      `  viability of one service (5 layers deep, supports ${
        report!.supportable
      } %): first call ${ms(firstCallMs)}, p50 ${ms(
        percentile(samples, 50),
      )}, p95 ${ms(percentile(samples, 95))}; load average ${load()}`,
    );
  } finally {
    await close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
