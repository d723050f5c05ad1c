import { buildDependencyGraph } from './dependencyGraph';
import { entity } from './testGraph';

describe('dependency graph (§2)', () => {
  it('collects dependsOn, API providers and System parts, each once', () => {
    const graph = buildDependencyGraph([
      entity('Component:default/X', [
        ['dependsOn', 'resource:default/db'],
        ['dependsOn', 'Resource:default/DB'],
        ['consumesApi', 'api:default/a'],
        ['dependsOn', 'component:default/x'],
      ]),
      entity('component:default/p', [['providesApi', 'api:default/a']]),
      entity('api:default/a', [['apiProvidedBy', 'resource:default/db']]),
      entity('system:default/s', [['hasPart', 'component:default/x']]),
    ]);
    // db once (case-insensitive), p and db provide api a, no self edge
    expect(graph.directDependencies('component:default/x')).toEqual([
      { entityRef: 'resource:default/db', soft: false },
      { entityRef: 'component:default/p', soft: false },
    ]);
    expect(graph.directDependencies('system:default/s')).toEqual([
      { entityRef: 'component:default/x', soft: false },
    ]);
    expect(
      graph.dependents('resource:default/db').map(d => d.entityRef),
    ).toEqual(['api:default/a', 'component:default/x']); // in ref order
    expect(graph.has('COMPONENT:default/x')).toBe(true);
    expect(graph.size).toBe(4);
  });

  it('reads soft dependencies and redundancy groups from annotations', () => {
    const graph = buildDependencyGraph([
      entity(
        'component:default/x',
        [
          ['dependsOn', 'component:default/r'],
          ['dependsOn', 'resource:default/s1'],
        ],
        {
          'sla/soft-dependencies': 'r, not a ref:::',
          'sla/redundancy-group.psp': 'resource:default/s1,resource:default/s2',
        },
      ),
    ]);
    expect(graph.directDependencies('component:default/x')).toEqual([
      { entityRef: 'component:default/r', soft: true },
      { entityRef: 'resource:default/s1', soft: false, group: 'psp' },
      { entityRef: 'resource:default/s2', soft: false, group: 'psp' },
    ]);
  });
});
