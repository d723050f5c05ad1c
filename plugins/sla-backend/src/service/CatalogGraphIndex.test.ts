import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogGraphIndex } from './CatalogGraphIndex';

function entity(name: string, dependsOn: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
  };
}

describe('CatalogGraphIndex', () => {
  const setup = (entities: Entity[]) => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const catalog = catalogServiceMock({ entities });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    const index = new CatalogGraphIndex({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      maxAgeMs: 60_000,
      clock: () => new Date(now),
    });
    return {
      index,
      queryEntities,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('reads the catalog page by page with a fields filter, once while fresh', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => entity(`e${i}`));
    const { index, queryEntities } = setup([
      entity('web', ['component:default/api']),
      ...many,
    ]);
    const graph = await index.get();
    expect(graph.size).toBe(2_501);
    expect(graph.directDependencies('component:default/web')).toEqual([
      { entityRef: 'component:default/api', soft: false },
    ]);
    // 1,000 per page: three pages
    expect(queryEntities).toHaveBeenCalledTimes(3);
    expect(queryEntities.mock.calls[0][0]).toMatchObject({
      limit: 1000,
      fields: expect.arrayContaining(['relations', 'metadata.annotations']),
    });
    await index.get();
    expect(queryEntities).toHaveBeenCalledTimes(3);
  });

  it('answers from the stale graph while it reloads after maxAge', async () => {
    const { index, queryEntities, advance } = setup([entity('web')]);
    await index.get();
    advance(61_000);
    const stale = await index.get();
    expect(stale.size).toBe(1);
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('patches in the entity being viewed when it has changed', async () => {
    const { index, queryEntities } = setup([entity('web')]);
    const before = await index.get();
    expect(before.directDependencies('component:default/web')).toEqual([]);
    const edited = entity('web', ['resource:default/db']);
    const after = await index.get(edited);
    expect(after.directDependencies('component:default/web')).toEqual([
      { entityRef: 'resource:default/db', soft: false },
    ]);
    // unchanged: the same graph object, no rebuild
    expect(await index.get(edited)).toBe(after);
    expect(queryEntities).toHaveBeenCalledTimes(1);
  });

  it('does not rebuild for a viewed entity that differs only in what the graph does not read', async () => {
    const { index } = setup([entity('web', ['resource:default/db'])]);
    const graph = await index.get();
    // The catalog's full entity: relations with `target`, more metadata.
    const full = {
      ...entity('web', []),
      metadata: { name: 'web', namespace: 'default', uid: 'u1', etag: 'x' },
      relations: [
        {
          type: 'dependsOn',
          targetRef: 'resource:default/db',
          target: { kind: 'resource', namespace: 'default', name: 'db' },
        },
      ],
    };
    expect(await index.get(full)).toBe(graph);
  });

  it('reloads soon after a miss, when the catalog was still ingesting', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    let current: Entity[] = [entity('web', ['component:default/api'])];
    const queryEntities = jest.fn(async () => ({
      items: current,
      totalItems: current.length,
      pageInfo: {},
    }));
    const index = new CatalogGraphIndex({
      catalog: { queryEntities } as any,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      maxAgeMs: 60_000,
      clock: () => new Date(now),
    });
    const api = 'component:default/api';
    expect((await index.entitiesByRef([api])).has(api)).toBe(false);
    expect(queryEntities).toHaveBeenCalledTimes(1);

    // the catalog has ingested api meanwhile; a miss within 10 s of the
    // load does not reload (no storm), one after it does, in the background
    current = [...current, entity('api')];
    now += 5_000;
    await index.entitiesByRef([api]);
    expect(queryEntities).toHaveBeenCalledTimes(1);
    now += 6_000;
    await index.entitiesByRef([api]);
    expect(queryEntities).toHaveBeenCalledTimes(2);
    await new Promise(resolve => setImmediate(resolve));
    expect((await index.entitiesByRef([api])).has(api)).toBe(true);
    expect(
      (await index.get()).directDependencies('component:default/web'),
    ).toEqual([{ entityRef: api, soft: false }]);
    // found: no further reloads before maxAge
    now += 20_000;
    await index.entitiesByRef([api]);
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });
});
