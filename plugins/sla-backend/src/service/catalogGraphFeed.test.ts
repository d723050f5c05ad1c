import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { databases } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { CatalogGraphStore } from '../store/CatalogGraphStore';
import { CatalogGraphIndex } from './CatalogGraphIndex';
import { CatalogGraphSync } from './CatalogGraphSync';
import { EntityAccessGuard } from './EntityAccessGuard';
import { ViabilityService } from './ViabilityService';

jest.setTimeout(120_000);

let etags = 0;
function component(name: string, dependsOn: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', etag: `e${++etags}` },
    spec: { type: 'service', owner: 'group:default/team' },
    relations: dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
  };
}

/**
 * A catalog over a mutable list that counts what is read: pages of
 * queryEntities (cursor = offset) and entities returned in full by
 * getEntitiesByRefs. Like the real catalog, `metadata.etag` changes with
 * every change of the entity (here: set by the test).
 */
function countingCatalog(entities: Entity[]) {
  const counts = { pages: 0, fullPages: 0, fetched: 0 };
  const ref = (e: Entity) =>
    `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
      'en-US',
    );
  const catalog = {
    async queryEntities(request: any) {
      counts.pages++;
      const fields: string[] = request?.fields ?? [];
      if (fields.includes('relations')) counts.fullPages++;
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const items = entities.slice(offset, offset + request.limit);
      const end = offset + items.length;
      return {
        items: fields.includes('relations')
          ? items
          : items.map(e => ({
              kind: e.kind,
              metadata: {
                name: e.metadata.name,
                namespace: e.metadata.namespace,
                etag: e.metadata.etag,
              },
            })),
        totalItems: entities.length,
        pageInfo: end < entities.length ? { nextCursor: String(end) } : {},
      };
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      const items = request.entityRefs.map(r =>
        entities.find(e => ref(e) === r.toLocaleLowerCase('en-US')),
      );
      counts.fetched += items.filter(Boolean).length;
      return { items };
    },
    async getEntityByRef(r: string) {
      return entities.find(e => ref(e) === r.toLocaleLowerCase('en-US'));
    },
  } as unknown as CatalogService;
  return { catalog, counts };
}

function availabilityAgreement(
  entityRef: string,
  objective: number,
): Agreement {
  return {
    id: `${entityRef}-ola`,
    kind: 'OLA',
    entityRef,
    title: `${entityRef} OLA`,
    status: 'agreed',
    agreedAt: '2026-06-01T00:00:00.000Z',
    version: 1,
    targets: [
      {
        id: 'availability',
        name: 'Availability',
        aspect: 'availability',
        metric: 'requests',
        sli: { kind: 'ratio' },
        objective,
        window: { type: 'rolling', duration: 'P28D' },
      },
    ],
    createdAt: '2026-05-30T00:00:00.000Z',
    createdBy: 'user:default/bob',
    updatedAt: '2026-06-01T00:00:00.000Z',
    updatedBy: 'user:default/bob',
  };
}

describe.each(databases.eachSupportedId())(
  'catalog graph feed on %p',
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
    });

    it('keeps viability current on two replicas from one sync, without a full reload', async () => {
      const entities = [
        component('top', ['component:default/web']),
        component('web', ['component:default/api']),
        component('api'),
        component('db'),
        ...Array.from({ length: 2_500 }, (_, i) => component(`other-${i}`)),
      ];
      const { catalog, counts } = countingCatalog(entities);
      const store = new CatalogGraphStore(db);
      const changedRefs: string[][] = [];
      const sync = new CatalogGraphSync({
        catalog,
        auth: mockServices.auth(),
        store,
        logger: mockServices.logger.mock(),
        onChanged: async changed => {
          changedRefs.push(changed.map(e => e.metadata.name));
        },
      });
      const agreements = new AgreementStore(db);
      for (const [ref, objective] of [
        ['component:default/api', 99.5],
        ['component:default/db', 99],
      ] as const) {
        await agreements.insert(availabilityAgreement(ref, objective), {
          type: 'created',
          summary: 'test',
        });
      }
      let now = Date.parse('2026-06-10T12:00:00Z');
      // Two plugin instances (replicas) on one database.
      const replica = () => {
        const graph = new CatalogGraphIndex({
          catalog,
          feed: new CatalogGraphStore(db),
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          maxAgeMs: 15_000,
          clock: () => new Date(now),
        });
        const guard = {
          // The entity asked about, fresh from the catalog (top): the
          // change to web below reaches it through the graph only.
          getEntity: (ref: string) => catalog.getEntityByRef(ref, {} as any),
          assertAllowed: async () => {},
          readableRefs: async (_: unknown, refs: string[]) => new Set(refs),
        } as unknown as EntityAccessGuard;
        const viability = new ViabilityService({
          db,
          agreements,
          guard,
          graph,
        });
        return { graph, viability };
      };
      const supportable = async (r: ReturnType<typeof replica>) =>
        (
          await r.viability.viability({} as any, {
            entityRef: 'component:default/top',
          })
        ).supportable;
      /** After the refresh interval: a poll in the background, then its result. */
      const refresh = async (
        ...replicas: Array<ReturnType<typeof replica>>
      ) => {
        now += 16_000;
        for (const r of replicas) await r.graph.get();
        for (const r of replicas) await r.graph.settled();
      };

      // First sync: every entity listed and read in full once.
      const first = await sync.sync();
      expect(first).toMatchObject({
        scanned: 2_504,
        fetched: 2_504,
        changed: 2_504,
        removed: 0,
      });
      expect(changedRefs[0]).toHaveLength(2_504);
      const a = replica();
      const b = replica();
      expect(await supportable(a)).toBe(99.5);
      expect(await supportable(b)).toBe(99.5);
      // The replicas loaded from the database, not from the catalog.
      expect(a.graph.reads.catalogPages).toBe(0);
      expect(b.graph.reads.catalogPages).toBe(0);
      expect(a.graph.reads.feedRows).toBe(2_504);

      // Nothing changed: the sync reads identities only and writes nothing.
      const pagesBefore = counts.pages;
      const idle = await sync.sync();
      expect(idle).toMatchObject({ fetched: 0, changed: 0, removed: 0 });
      expect(idle.seq).toBe(first.seq);
      expect(counts.pages - pagesBefore).toBe(2); // 2,504 ids, 2,000 a page
      expect(counts.fullPages).toBe(0);

      // Changed: web now also depends on db (its etag changes with it).
      entities[1] = component('web', [
        'component:default/api',
        'component:default/db',
      ]);
      const fetchedBefore = counts.fetched;
      const edit = await sync.sync();
      expect(edit).toMatchObject({ fetched: 1, changed: 1, removed: 0 });
      expect(counts.fetched - fetchedBefore).toBe(1);
      expect(changedRefs.at(-1)).toEqual(['web']);
      await refresh(a, b);
      // 99.5 % × 99 % in series
      expect(await supportable(a)).toBeCloseTo(98.505, 3);
      expect(await supportable(b)).toBeCloseTo(98.505, 3);
      expect(a.graph.reads.feedRows).toBe(2_504 + 1);

      // Added: a new entity shows up; removed: db leaves the graph.
      entities.push(component('cache'));
      entities.splice(3, 1); // db
      const addRemove = await sync.sync();
      expect(addRemove).toMatchObject({ fetched: 1, changed: 1, removed: 1 });
      await refresh(a, b);
      for (const r of [a, b]) {
        const known = await r.graph.entitiesByRef();
        expect(known.has('component:default/cache')).toBe(true);
        expect(known.has('component:default/db')).toBe(false);
        // The graph that breach causes read: web's direct dependencies.
        expect(
          (await r.graph.get())
            .directDependencies('component:default/web')
            .map(d => d.entityRef),
        ).toEqual(['component:default/api', 'component:default/db']);
      }
      // No replica ever read the catalog; each read only changed rows.
      expect(a.graph.reads.catalogPages).toBe(0);
      expect(b.graph.reads.catalogPages).toBe(0);
      expect(a.graph.reads.feedRows).toBe(2_504 + 1 + 2);
      expect(counts.fullPages).toBe(0);

      // A replica started later reads the current graph in one go.
      const c = replica();
      expect((await c.graph.entitiesByRef()).size).toBe(2_504); // +cache -db
      expect(c.graph.reads.catalogPages).toBe(0);
    });

    it('reads the catalog itself until the first sync has written the graph', async () => {
      const fresh = await databases.init(databaseId);
      await fresh.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      const { catalog } = countingCatalog([component('web')]);
      let now = 0;
      const graph = new CatalogGraphIndex({
        catalog,
        feed: new CatalogGraphStore(fresh),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        maxAgeMs: 15_000,
        clock: () => new Date(now),
      });
      expect((await graph.get()).size).toBe(1);
      expect(graph.reads.catalogPages).toBe(1);
      await new CatalogGraphSync({
        catalog,
        auth: mockServices.auth(),
        store: new CatalogGraphStore(fresh),
        logger: mockServices.logger.mock(),
      }).sync();
      now += 16_000;
      await graph.get();
      await graph.settled();
      expect(graph.reads.catalogPages).toBe(1);
      expect(graph.reads.feedRows).toBe(1);
    });
  },
);
