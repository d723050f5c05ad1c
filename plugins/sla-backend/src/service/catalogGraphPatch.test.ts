import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'crypto';
import fc from 'fast-check';
import type { Knex } from 'knex';
import {
  boundsArbitrary,
  catalogArbitrary,
  changeSetArbitrary,
  expectSameGraph,
  rows,
} from '../__testUtils__/graphArbitraries';
import { databases } from '../__testUtils__/testBackend';
import {
  GraphEntity,
  buildDependencyGraph,
  graphEntityRef,
} from '../domain/viability';
import { CatalogGraphStore } from '../store/CatalogGraphStore';
import { CatalogGraphIndex } from './CatalogGraphIndex';

jest.setTimeout(300_000);

/** A catalog serving the given entities (read only before the first sync). */
function catalogOf(model: Map<string, GraphEntity>) {
  return {
    async queryEntities() {
      return {
        items: [...model.values()],
        totalItems: model.size,
        pageInfo: {},
      };
    },
  } as unknown as CatalogService;
}

const row = (entity: GraphEntity) => ({
  entityRef: graphEntityRef(entity),
  fingerprint: createHash('sha1').update(JSON.stringify(entity)).digest('hex'),
  entity,
});

describe.each(databases.eachSupportedId())(
  'catalog graph patched from the feed on %p',
  databaseId => {
    let db: Knex;
    beforeAll(async () => {
      db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      // One sync has run before (the counter is past 0): the replica
      // reads the feed only, never the catalog.
      await new CatalogGraphStore(db).write([], ['component:default/gone']);
    });

    it('equals the graph built from scratch from the stored rows after every refresh, without rebuilding', async () => {
      await fc.assert(
        fc.asyncProperty(
          catalogArbitrary,
          fc.array(changeSetArbitrary, { minLength: 1, maxLength: 4 }),
          boundsArbitrary,
          async (catalog, changeSets, bounds) => {
            await db('sla_catalog_graph').delete();
            const store = new CatalogGraphStore(db);
            const model = new Map<string, GraphEntity>();
            for (const e of catalog) model.set(graphEntityRef(e), e);
            // The sync task's first run (or nothing, for an empty catalog).
            await store.write([...model.values()].map(row), []);
            let now = Date.parse('2026-06-10T12:00:00Z');
            const index = new CatalogGraphIndex({
              catalog: catalogOf(model),
              feed: store,
              auth: mockServices.auth(),
              logger: mockServices.logger.mock(),
              maxAgeMs: 10_000,
              clock: () => new Date(now),
            });
            const fromRows = async () =>
              buildDependencyGraph(
                (await store.since(0)).changed.map(c => c.entity),
              );
            expectSameGraph(await index.get(), await fromRows(), bounds);
            const fullBuilds = index.builds.full;

            for (const changes of changeSets) {
              const held = await index.get();
              const heldExpected = await fromRows();
              // The sync task writes what changed (tombstones for stored
              // entities that left the catalog) under the next sequence.
              const { changed, removed } = rows(changes);
              const gone = removed.filter(ref => model.has(ref));
              for (const ref of removed) model.delete(ref);
              for (const e of changed) model.set(graphEntityRef(e), e);
              await store.write(changed.map(row), gone);
              // The replica's next refresh.
              now += 10_001;
              await index.get();
              await index.settled();
              expectSameGraph(await index.get(), await fromRows(), bounds);
              // A request that held the graph across the refresh reads
              // the version it started with.
              expectSameGraph(held, heldExpected, bounds);
            }
            expect(index.builds.full).toBe(fullBuilds);
            expect(index.reads.catalogPages).toBe(0);
          },
        ),
        { numRuns: 20 },
      );
    });
  },
);
