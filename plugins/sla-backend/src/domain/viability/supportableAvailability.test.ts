import { buildDependencyGraph } from './dependencyGraph';
import {
  ViabilityCalculator,
  agreedAvailabilityBounds,
  judgeObjective,
} from './supportableAvailability';
import { GraphEntity } from './dependencyGraph';
import { agreement, availability, entity } from './testGraph';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';

const X = 'component:default/x';
const analyse = (entities: GraphEntity[], agreements: Agreement[], ref = X) =>
  new ViabilityCalculator(
    buildDependencyGraph(entities),
    agreedAvailabilityBounds(agreements),
  ).analyse(ref);

describe('supportable availability (§3)', () => {
  it('multiplies a serial chain and names the weakest link', () => {
    // x -> a (99.9 %), x -> b (99.5 %)
    // supportable = 0.999 × 0.995 = 0.994005 → 99.4005 %
    const result = analyse(
      [
        entity(X, [
          ['dependsOn', 'component:default/a'],
          ['dependsOn', 'component:default/b'],
        ]),
        entity('component:default/a'),
        entity('component:default/b'),
      ],
      [
        agreement('a-sla', 'component:default/a', [availability(99.9)]),
        agreement('b-sla', 'component:default/b', [availability(99.5)]),
      ],
    );
    expect(result.supportable).toBe(99.4005);
    expect(result.dependencies).toEqual([
      {
        entityRef: 'component:default/a',
        bound: 99.9,
        source: 'agreed',
        agreementId: 'a-sla',
        targetId: 'availability',
      },
      {
        entityRef: 'component:default/b',
        bound: 99.5,
        source: 'agreed',
        agreementId: 'b-sla',
        targetId: 'availability',
      },
    ]);
    expect(result.weakestLink).toEqual({
      entityRef: 'component:default/b',
      bound: 99.5,
      source: 'agreed',
    });
    expect(result.cycles).toEqual([]);
    // 99.4 ≤ 99.4005: viable with 0.0005 points to spare;
    // 99.5 > 99.4005: short by 0.0995 points
    expect(judgeObjective(result.supportable, 99.4)).toEqual({
      viable: true,
      headroom: 0.0005,
    });
    expect(judgeObjective(result.supportable, 99.5)).toEqual({
      viable: false,
      headroom: -0.0995,
    });
  });

  it('takes the highest agreed availability objective of a dependency', () => {
    // a has 99 % and 99.9 % targets: bound 99.9 %
    const result = analyse(
      [
        entity(X, [['dependsOn', 'component:default/a']]),
        entity('component:default/a'),
      ],
      [
        agreement('a1', 'component:default/a', [availability(99, 'low')]),
        agreement('a2', 'component:default/a', [availability(99.9, 'high')]),
      ],
    );
    expect(result.supportable).toBe(99.9);
    expect(result.dependencies[0]).toMatchObject({
      agreementId: 'a2',
      targetId: 'high',
    });
  });

  it('folds a redundancy group into one link', () => {
    // payments -> stripe (99.9 %) | adyen (99 %) in group psp, -> db (99.95 %)
    // group: 1 − (1 − 0.999)(1 − 0.99) = 1 − 0.001 × 0.01 = 0.99999
    // supportable = 0.99999 × 0.9995 = 0.999490005 → 99.9490005 %
    const P = 'component:default/payments';
    const result = analyse(
      [
        entity(
          P,
          [
            ['dependsOn', 'resource:default/stripe'],
            ['dependsOn', 'resource:default/adyen'],
            ['dependsOn', 'resource:default/db'],
          ],
          {
            'sla/redundancy-group.psp':
              'resource:default/stripe, resource:default/adyen',
          },
        ),
        entity('resource:default/stripe'),
        entity('resource:default/adyen'),
        entity('resource:default/db'),
      ],
      [
        agreement('s', 'resource:default/stripe', [availability(99.9)], 'UC'),
        agreement('a', 'resource:default/adyen', [availability(99)], 'UC'),
        agreement('d', 'resource:default/db', [availability(99.95)], 'OLA'),
      ],
      P,
    );
    expect(result.supportable).toBe(99.9490005);
    expect(result.dependencies.map(d => [d.entityRef, d.group])).toEqual([
      ['resource:default/stripe', 'psp'],
      ['resource:default/adyen', 'psp'],
      ['resource:default/db', undefined],
    ]);
    // links: group psp 99.999 %, db 99.95 %: db is the weakest
    expect(result.weakestLink?.entityRef).toBe('resource:default/db');
  });

  it('counts a group whose member has no agreement as that member at 100 %', () => {
    // stripe 99.9 %, adyen missing (bound 1): 1 − 0.001 × 0 = 1 → 100 %
    const P = 'component:default/payments';
    const result = analyse(
      [
        entity(P, [], {
          'sla/redundancy-group.psp':
            'resource:default/stripe,resource:default/adyen',
        }),
        entity('resource:default/stripe'),
        entity('resource:default/adyen'),
      ],
      [agreement('s', 'resource:default/stripe', [availability(99.9)], 'UC')],
      P,
    );
    expect(result.supportable).toBe(100);
    expect(result.dependencies[1]).toEqual({
      entityRef: 'resource:default/adyen',
      bound: 100,
      source: 'missing',
      group: 'psp',
    });
    // the group link is 100 %; named by its weakest member
    expect(result.weakestLink).toEqual({
      entityRef: 'resource:default/stripe',
      bound: 100,
      source: 'agreed',
      group: 'psp',
    });
  });

  it('leaves soft dependencies out of the composite', () => {
    // x -> a (99.9 %), soft -> r (90 %): supportable 99.9 %, not 89.91 %
    const result = analyse(
      [
        entity(
          X,
          [
            ['dependsOn', 'component:default/a'],
            ['dependsOn', 'component:default/r'],
          ],
          { 'sla/soft-dependencies': 'r' },
        ),
        entity('component:default/a'),
        entity('component:default/r'),
      ],
      [
        agreement('a', 'component:default/a', [availability(99.9)]),
        agreement('r', 'component:default/r', [availability(90)]),
      ],
    );
    expect(result.supportable).toBe(99.9);
    expect(result.dependencies.map(d => d.entityRef)).toEqual([
      'component:default/a',
    ]);
    expect(result.softDependencies).toEqual([
      expect.objectContaining({ entityRef: 'component:default/r', bound: 90 }),
    ]);
  });

  it('recurses into an unagreed dependency', () => {
    // x -> m (no agreement) -> c1 (99.9 %), c2 (99.8 %)
    // bound(m) = supportable(m) = 0.999 × 0.998 = 0.997002 → 99.7002 %
    const result = analyse(
      [
        entity(X, [['dependsOn', 'component:default/m']]),
        entity('component:default/m', [
          ['dependsOn', 'component:default/c1'],
          ['dependsOn', 'component:default/c2'],
        ]),
        entity('component:default/c1'),
        entity('component:default/c2'),
      ],
      [
        agreement('c1', 'component:default/c1', [availability(99.9)]),
        agreement('c2', 'component:default/c2', [availability(99.8)]),
      ],
    );
    expect(result.supportable).toBe(99.7002);
    expect(result.dependencies[0]).toMatchObject({
      entityRef: 'component:default/m',
      bound: 99.7002,
      source: 'unagreed',
      children: [
        { entityRef: 'component:default/c1', bound: 99.9, source: 'agreed' },
        { entityRef: 'component:default/c2', bound: 99.8, source: 'agreed' },
      ],
    });
    expect(result.dependencies[0].agreementId).toBeUndefined();
  });

  it('reports a leaf without agreement as missing with bound 100 %', () => {
    // x -> a (99.5 %), x -> leaf (nothing): 0.995 × 1 → 99.5 %
    const result = analyse(
      [
        entity(X, [
          ['dependsOn', 'component:default/a'],
          ['dependsOn', 'resource:default/leaf'],
        ]),
        entity('component:default/a'),
        entity('resource:default/leaf'),
      ],
      [agreement('a', 'component:default/a', [availability(99.5)])],
    );
    expect(result.supportable).toBe(99.5);
    expect(result.dependencies[1]).toEqual({
      entityRef: 'resource:default/leaf',
      bound: 100,
      source: 'missing',
    });
    expect(result.weakestLink?.entityRef).toBe('component:default/a');
  });

  it('treats a dependency not in the catalog as a missing leaf', () => {
    const result = analyse(
      [entity(X, [['dependsOn', 'component:default/ghost']])],
      [],
    );
    expect(result.supportable).toBe(100);
    expect(result.dependencies[0].source).toBe('missing');
  });

  it('reports a cycle and counts each entity once', () => {
    // x -> a -> b -> a (cycle), b -> c (99 %); a and b have no agreement.
    // a expands to b, b to c (0.99) and back to a (cut: counts 1)
    // supportable(x) = 0.99 → 99 %; bound(a) = 99 %
    const result = analyse(
      [
        entity(X, [['dependsOn', 'component:default/a']]),
        entity('component:default/a', [['dependsOn', 'component:default/b']]),
        entity('component:default/b', [
          ['dependsOn', 'component:default/a'],
          ['dependsOn', 'component:default/c'],
        ]),
        entity('component:default/c'),
      ],
      [agreement('c', 'component:default/c', [availability(99)])],
    );
    expect(result.supportable).toBe(99);
    expect(result.dependencies[0]).toMatchObject({
      bound: 99,
      source: 'unagreed',
    });
    expect(result.cycles).toEqual([
      ['component:default/a', 'component:default/b', 'component:default/a'],
    ]);
  });

  it('reports a cycle back to the entity itself', () => {
    // x -> a (no agreement) -> x, a -> c (99.9 %): supportable 99.9 %
    const result = analyse(
      [
        entity(X, [['dependsOn', 'component:default/a']]),
        entity('component:default/a', [
          ['dependsOn', X],
          ['dependsOn', 'component:default/c'],
        ]),
        entity('component:default/c'),
      ],
      [agreement('c', 'component:default/c', [availability(99.9)])],
    );
    expect(result.supportable).toBe(99.9);
    expect(result.dependencies[0].bound).toBe(99.9);
    expect(result.cycles).toEqual([[X, 'component:default/a', X]]);
  });

  it('counts a shared dependency of a diamond once', () => {
    // x -> a, x -> b (both unagreed); a -> c (99 %); b -> c, b -> d (99.5 %)
    // c is reached twice but counted once:
    // supportable = 0.99 × 0.995 = 0.98505 → 98.505 % (not 0.99² × 0.995)
    // bound(a) = 99 %, bound(b) = 98.505 %
    const result = analyse(
      [
        entity(X, [
          ['dependsOn', 'component:default/a'],
          ['dependsOn', 'component:default/b'],
        ]),
        entity('component:default/a', [['dependsOn', 'component:default/c']]),
        entity('component:default/b', [
          ['dependsOn', 'component:default/c'],
          ['dependsOn', 'component:default/d'],
        ]),
        entity('component:default/c'),
        entity('component:default/d'),
      ],
      [
        agreement('c', 'component:default/c', [availability(99)]),
        agreement('d', 'component:default/d', [availability(99.5)]),
      ],
    );
    expect(result.supportable).toBe(98.505);
    expect(result.dependencies.map(d => d.bound)).toEqual([99, 98.505]);
    expect(result.weakestLink?.entityRef).toBe('component:default/b');
    // the tree expands c under a, and again under b (c is agreed: a leaf)
    expect(result.dependencies[1].children?.map(c => c.entityRef)).toEqual([
      'component:default/c',
      'component:default/d',
    ]);
    expect(result.cycles).toEqual([]);
  });

  it('counts an entity reached directly and through an unagreed one once', () => {
    // x -> c (99 %), x -> a (unagreed) -> c: 0.99 once → 99 %
    const result = analyse(
      [
        entity(X, [
          ['dependsOn', 'component:default/c'],
          ['dependsOn', 'component:default/a'],
        ]),
        entity('component:default/a', [['dependsOn', 'component:default/c']]),
        entity('component:default/c'),
      ],
      [agreement('c', 'component:default/c', [availability(99)])],
    );
    expect(result.supportable).toBe(99);
  });

  it('follows consumed APIs to their providers', () => {
    // x consumesApi orders-api; orders provides it (99.9 %) and
    // api:default/orders-api names billing as a provider too (99.5 %)
    // supportable = 0.999 × 0.995 = 0.994005 → 99.4005 %
    const result = analyse(
      [
        entity(X, [['consumesApi', 'api:default/orders-api']]),
        entity('api:default/orders-api', [
          ['apiProvidedBy', 'component:default/billing'],
        ]),
        entity('component:default/orders', [
          ['providesApi', 'api:default/orders-api'],
        ]),
        entity('component:default/billing'),
      ],
      [
        agreement('o', 'component:default/orders', [availability(99.9)]),
        agreement('b', 'component:default/billing', [availability(99.5)]),
      ],
    );
    expect(result.dependencies.map(d => d.entityRef).sort()).toEqual([
      'component:default/billing',
      'component:default/orders',
    ]);
    expect(result.supportable).toBe(99.4005);
  });

  it('makes a System depend on its parts', () => {
    // system s hasPart c1 (99.9 %), c2 (99.5 %), and an API part provided by c1
    // the API is unagreed and expands to c1, already counted:
    // supportable = 0.999 × 0.995 = 0.994005 → 99.4005 %
    const S = 'system:default/s';
    const result = analyse(
      [
        entity(S, [
          ['hasPart', 'component:default/c1'],
          ['hasPart', 'component:default/c2'],
          ['hasPart', 'api:default/c1-api'],
        ]),
        entity('component:default/c1', [
          ['partOf', S],
          ['providesApi', 'api:default/c1-api'],
        ]),
        entity('component:default/c2', [['partOf', S]]),
        entity('api:default/c1-api', [['partOf', S]]),
      ],
      [
        agreement('c1', 'component:default/c1', [availability(99.9)]),
        agreement('c2', 'component:default/c2', [availability(99.5)]),
      ],
      S,
    );
    expect(result.supportable).toBe(99.4005);
    expect(result.dependencies.map(d => [d.entityRef, d.source])).toEqual([
      ['component:default/c1', 'agreed'],
      ['component:default/c2', 'agreed'],
      ['api:default/c1-api', 'unagreed'],
    ]);
    // a component's partOf is not a dependency: c1 depends on nothing
    expect(
      new ViabilityCalculator(
        buildDependencyGraph([entity('component:default/c1', [['partOf', S]])]),
        new Map(),
      ).analyse('component:default/c1').dependencies,
    ).toEqual([]);
  });

  it('supports 100 % without dependencies', () => {
    const result = analyse([entity(X)], []);
    expect(result).toEqual({
      entityRef: X,
      supportable: 100,
      dependencies: [],
      softDependencies: [],
      cycles: [],
    });
  });
});
