/*
 * Benchmark of the viability analysis (README "Benchmark"). Prints figures
 * and asserts nothing. For one database (argv: sqlite | postgres):
 * a synthetic catalog of 10,000 entities (five layers of services, each
 * depending on three services of the next layer and consuming one API of
 * it, with soft dependencies, redundancy groups, APIs and a System with 500
 * parts) and about 7,000 agreements in force; then p50/p95 of
 * GET /viability's service method for one service and for the System
 * (which reaches the whole graph), after a first, cold call that loads the
 * graph from the catalog; and the pure computation alone.
 */
import {
  connectInMemoryOrSchema,
  percentile,
  random,
  time,
} from './benchSupport';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../src/store/AgreementStore';
import { CatalogGraphIndex } from '../src/service/CatalogGraphIndex';
import { EntityAccessGuard } from '../src/service/EntityAccessGuard';
import { ViabilityService } from '../src/service/ViabilityService';
import {
  agreement,
  availability,
  duration,
  latency,
} from '../src/domain/viability/testGraph';
import {
  ViabilityCalculator,
  agreedAvailabilityBounds,
  buildDependencyGraph,
} from '../src/domain/viability';
import { syntheticCatalog } from './syntheticCatalog';

const PER_LAYER = 1_800;
const ITERATIONS = 50;

/** The catalog calls the viability path makes, over an array. */
function fakeCatalog(entities: Entity[]): CatalogService {
  const ref = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLocaleLowerCase('en-US');
  const byRef = new Map(entities.map(e => [ref(e), e]));
  return {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const limit = request?.limit ?? entities.length;
      const items = entities.slice(offset, offset + limit);
      const end = offset + items.length;
      return {
        items,
        totalItems: entities.length,
        pageInfo: end < entities.length ? { nextCursor: String(end) } : {},
      };
    },
    async getEntityByRef(entityRef: any) {
      return byRef.get(String(entityRef).toLocaleLowerCase('en-US'));
    },
  } as unknown as CatalogService;
}

function agreementsFor(entities: Entity[]): Agreement[] {
  const next = random(7);
  const agreements: Agreement[] = [];
  for (const e of entities) {
    if (e.kind !== 'Component' || next() < 0.3) continue;
    const ref = `component:default/${e.metadata.name}`;
    agreements.push(
      agreement(
        `${e.metadata.name}-ola`,
        ref,
        [
          availability(99 + Math.round(next() * 99) / 100),
          latency('latency', 200),
          duration('p1', 'PT4H', 'P1'),
        ],
        'OLA',
      ),
    );
  }
  return agreements;
}

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const entities = syntheticCatalog({
    perLayer: PER_LAYER,
    total: 10_000,
    system: true,
  });
  const agreements = agreementsFor(entities);
  const { db, close } = await connectInMemoryOrSchema(
    kind,
    'sla_viability_bench',
  );
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const store = new AgreementStore(db);
    const [loadMs] = await time(async () => {
      for (const a of agreements) {
        await store.insert(a, { type: 'created', summary: 'bench' });
      }
    });
    const catalog = fakeCatalog(entities);
    const guard = {
      getEntity: (ref: string) => catalog.getEntityByRef(ref, {} as any),
      assertAllowed: async () => {},
      readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
    } as unknown as EntityAccessGuard;
    const service = new ViabilityService({
      db,
      agreements: store,
      guard,
      graph: new CatalogGraphIndex({
        catalog,
        auth: { getOwnServiceCredentials: async () => ({}) } as any,
        logger: console as any,
        maxAgeMs: 3_600_000,
        clock: () => new Date(),
      }),
    });
    const credentials = {} as any;
    console.log(
      `viability bench on ${kind}: ${entities.length} entities, ${
        agreements.length
      } agreements in force (stored in ${(loadMs / 1000).toFixed(1)} s)`,
    );

    const service0 = 'component:default/svc-0-7';
    const [coldMs, first] = await time(() =>
      service.viability(credentials, { entityRef: service0 }),
    );
    console.log(
      `  first call (loads the graph from the catalog): ${coldMs.toFixed(
        1,
      )} ms; ${service0} supports ${first.supportable} %`,
    );
    for (const [label, entityRef] of [
      ['one service (5 layers deep)', service0],
      ['System with 500 parts (whole graph)', 'system:default/bench-platform'],
    ]) {
      const samples: number[] = [];
      let reached = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const [ms, report] = await time(() =>
          service.viability(credentials, { entityRef, objective: 99.9 }),
        );
        samples.push(ms);
        reached = report.dependencies.length;
      }
      console.log(
        `  ${label}: p50 ${percentile(samples, 50).toFixed(
          1,
        )} ms, p95 ${percentile(samples, 95).toFixed(
          1,
        )} ms (${reached} direct dependencies)`,
      );
    }

    // The pure part alone: graph and agreements in memory.
    const graph = buildDependencyGraph(entities);
    const bounds = agreedAvailabilityBounds(agreements);
    const pure: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const start = process.hrtime.bigint();
      new ViabilityCalculator(graph, bounds).analyse(
        'system:default/bench-platform',
      );
      pure.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const [buildMs] = await time(async () => buildDependencyGraph(entities));
    console.log(
      `  pure computation for the System: p50 ${percentile(pure, 50).toFixed(
        1,
      )} ms, p95 ${percentile(pure, 95).toFixed(
        1,
      )} ms; building the graph of 10,000 entities: ${buildMs.toFixed(1)} ms`,
    );
  } finally {
    await close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
