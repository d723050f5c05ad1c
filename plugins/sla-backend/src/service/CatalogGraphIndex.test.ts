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
});
