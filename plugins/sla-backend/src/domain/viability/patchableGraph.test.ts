import fc from 'fast-check';
import {
  boundsArbitrary,
  catalogArbitrary,
  changeSetArbitrary,
  expectSameGraph,
  rows,
} from '../../__testUtils__/graphArbitraries';
import {
  GraphEntity,
  buildDependencyGraph,
  graphEntityRef,
} from './dependencyGraph';
import { LayeredMap, PatchableDependencyGraph } from './patchableGraph';
import { entity } from './testGraph';

describe('PatchableDependencyGraph', () => {
  it('equals a graph built from scratch after every patch, and a version once read never changes', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.array(changeSetArbitrary, { minLength: 1, maxLength: 6 }),
        boundsArbitrary,
        (catalog, changeSets, bounds) => {
          const model = new Map<string, GraphEntity>();
          for (const e of catalog) model.set(graphEntityRef(e), e);
          const patchable = new PatchableDependencyGraph(catalog);
          expectSameGraph(
            patchable.graph,
            buildDependencyGraph(model.values()),
            bounds,
          );
          for (const changes of changeSets) {
            const before = patchable.graph;
            const modelBefore = [...model.values()];
            const { changed, removed } = rows(changes);
            for (const ref of removed) model.delete(ref);
            for (const e of changed) model.set(graphEntityRef(e), e);
            patchable.apply(changed, removed);
            expectSameGraph(
              patchable.graph,
              buildDependencyGraph(model.values()),
              bounds,
            );
            expect(new Map(patchable.entities)).toEqual(model);
            // A request holding the previous version still reads it.
            expectSameGraph(before, buildDependencyGraph(modelBefore), bounds);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('does not depend on the order the entities come in', () => {
    fc.assert(
      fc.property(
        catalogArbitrary.chain(catalog =>
          fc.tuple(
            fc.constant(catalog),
            fc.shuffledSubarray(catalog, {
              minLength: catalog.length,
            }),
          ),
        ),
        ([catalog, shuffled]) => {
          // The last version of each ref wins: keep one per ref.
          const unique = [
            ...new Map(catalog.map(e => [graphEntityRef(e), e])).values(),
          ];
          const reordered = shuffled.filter(e => unique.includes(e));
          expect(reordered).toHaveLength(unique.length);
          expectSameGraph(
            buildDependencyGraph(reordered),
            buildDependencyGraph(unique),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('recomputes only what a change can reach: the changed entity and the consumers of an API whose providers changed', () => {
    const consumers = Array.from({ length: 50 }, (_, i) =>
      entity(`component:default/consumer-${i}`, [
        ['consumesApi', 'api:default/pay'],
      ]),
    );
    const others = Array.from({ length: 1_000 }, (_, i) =>
      entity(`component:default/other-${i}`, [
        ['dependsOn', `component:default/other-${(i + 1) % 1_000}`],
      ]),
    );
    const graph = new PatchableDependencyGraph([
      ...consumers,
      ...others,
      entity('api:default/pay', [['apiProvidedBy', 'component:default/p1']]),
    ]);
    // An unrelated entity changes: itself only.
    expect(
      graph.apply([
        entity('component:default/other-3', [
          ['dependsOn', 'component:default/other-9'],
        ]),
      ]),
    ).toEqual({ entities: 1, recomputed: 1, changedDependencies: 1 });
    expect(
      graph.graph.dependents('component:default/other-9').map(d => d.entityRef),
    ).toEqual(['component:default/other-3', 'component:default/other-8']);
    expect(graph.graph.dependents('component:default/other-4')).toEqual([]);

    // A second provider of the API: itself, the API and its 50 consumers.
    const result = graph.apply([
      entity('component:default/p2', [['providesApi', 'api:default/pay']]),
    ]);
    expect(result).toEqual({
      entities: 1,
      recomputed: 52,
      changedDependencies: 52,
    });
    expect(
      graph.graph
        .directDependencies('component:default/consumer-7')
        .map(d => d.entityRef),
    ).toEqual(['component:default/p1', 'component:default/p2']);

    // The provider leaves: back as before.
    graph.apply([], ['component:default/p2']);
    expect(
      graph.graph
        .directDependencies('component:default/consumer-7')
        .map(d => d.entityRef),
    ).toEqual(['component:default/p1']);
    expect(graph.graph.size).toBe(1_051);
  });
});

describe('LayeredMap', () => {
  it('reads, iterates and sizes like a Map after any changes, and keeps each version', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 30 }).map(String),
              fc.option(fc.nat(), { nil: undefined }),
            ),
          ),
          { maxLength: 8 },
        ),
        batches => {
          let layered = LayeredMap.of(new Map<string, number>());
          const model = new Map<string, number>();
          for (const batch of batches) {
            const previous = layered;
            const previousModel = new Map(model);
            const changes = new Map(batch);
            for (const [k, v] of changes) {
              if (v === undefined) model.delete(k);
              else model.set(k, v);
            }
            layered = layered.with(changes);
            expect(layered.size).toBe(model.size);
            expect(new Map(layered)).toEqual(model);
            expect([...layered.keys()].sort()).toEqual(
              [...model.keys()].sort(),
            );
            for (let k = 0; k <= 30; k++) {
              expect(layered.get(String(k))).toBe(model.get(String(k)));
            }
            expect(new Map(previous)).toEqual(previousModel);
            expect(previous.size).toBe(previousModel.size);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('flattens once the changes outgrow its base, keeping every entry', () => {
    const base = new Map(
      Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i] as const),
    );
    let layered = LayeredMap.of(base);
    for (let round = 0; round < 20; round++) {
      layered = layered.with(
        new Map(
          Array.from(
            { length: 500 },
            (_, i) =>
              [`k${round * 500 + i}`, round % 2 ? undefined : -i] as const,
          ),
        ),
      );
    }
    expect(layered.size).toBe(5_000);
    expect(layered.get('k1')).toBe(-1);
    expect(layered.get('k500')).toBeUndefined();
    expect(base.size).toBe(10_000);
  });
});
