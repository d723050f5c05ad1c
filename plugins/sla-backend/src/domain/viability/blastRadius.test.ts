import { blastRadius, dependentsOf } from './blastRadius';
import { buildDependencyGraph } from './dependencyGraph';
import { agreedAvailabilityBounds } from './supportableAvailability';
import { agreement, availability, byEntity, entity } from './testGraph';

// web -> checkout -> db; web -> search (soft: web survives it);
// api consumer: app consumesApi checkout-api (provided by checkout)
const WEB = 'component:default/web';
const CHECKOUT = 'component:default/checkout';
const DB = 'resource:default/db';
const SEARCH = 'component:default/search';
const APP = 'component:default/app';
const graph = buildDependencyGraph([
  entity(
    WEB,
    [
      ['dependsOn', CHECKOUT],
      ['dependsOn', SEARCH],
    ],
    {
      'sla/soft-dependencies': SEARCH,
    },
  ),
  entity(CHECKOUT, [
    ['dependsOn', DB],
    ['providesApi', 'api:default/checkout-api'],
  ]),
  entity(APP, [['consumesApi', 'api:default/checkout-api']]),
  entity('api:default/checkout-api'),
  entity(DB),
  entity(SEARCH),
]);

describe('blast radius (§2)', () => {
  it('walks the dependents nearest first with their paths, skipping soft edges', () => {
    expect(dependentsOf(graph, DB)).toEqual([
      { entityRef: CHECKOUT, path: [CHECKOUT, DB] },
      // an API depends on its providers (our extension of §2); at equal
      // distance, dependents in ref order
      {
        entityRef: 'api:default/checkout-api',
        path: ['api:default/checkout-api', CHECKOUT, DB],
      },
      { entityRef: APP, path: [APP, CHECKOUT, DB] },
      { entityRef: WEB, path: [WEB, CHECKOUT, DB] },
    ]);
    expect(dependentsOf(graph, SEARCH)).toEqual([]);
  });

  it('puts every availability target of every dependent at risk of a breach', () => {
    const agreements = [
      agreement('checkout-sla', CHECKOUT, [availability(99.5)]),
      agreement('web-sla', WEB, [availability(99)]),
      agreement('db-ola', DB, [availability(99.95)], 'OLA'),
    ];
    const items = blastRadius(
      graph,
      byEntity(agreements),
      agreedAvailabilityBounds(agreements),
      DB,
    );
    // checkout: supportable = db 99.95 %; web: = checkout 99.5 %
    expect(items).toEqual([
      {
        entityRef: CHECKOUT,
        agreementId: 'checkout-sla',
        targetId: 'availability',
        path: [CHECKOUT, DB],
        objective: 99.5,
        supportable: 99.95,
      },
      {
        entityRef: WEB,
        agreementId: 'web-sla',
        targetId: 'availability',
        path: [WEB, CHECKOUT, DB],
        objective: 99,
        supportable: 99.5,
      },
    ]);
  });

  it('lists the targets that lose viability when the entity lowers its objective', () => {
    // db lowers 99.95 % → 99.2 %.
    // checkout (agreed 99.5 %): supportable 99.95 → 99.2: loses viability.
    // web (agreed 99 %) depends on checkout's agreement (99.5 %): unchanged.
    // app has no agreement of its own: nothing to lose.
    // unagreed chain: ops -> proxy (no agreement) -> db; ops agreed 99.3 %:
    // 99.95 → 99.2 < 99.3: loses viability through proxy.
    const OPS = 'component:default/ops';
    const PROXY = 'component:default/proxy';
    const g = buildDependencyGraph([
      entity(WEB, [['dependsOn', CHECKOUT]]),
      entity(CHECKOUT, [['dependsOn', DB]]),
      entity(OPS, [['dependsOn', PROXY]]),
      entity(PROXY, [['dependsOn', DB]]),
      entity(DB),
    ]);
    const agreements = [
      agreement('checkout-sla', CHECKOUT, [availability(99.5)]),
      agreement('web-sla', WEB, [availability(99)]),
      agreement('ops-sla', OPS, [availability(99.3)]),
      agreement('db-ola', DB, [availability(99.95)], 'OLA'),
    ];
    const items = blastRadius(
      g,
      byEntity(agreements),
      agreedAvailabilityBounds(agreements),
      DB,
      99.2,
    );
    expect(items).toEqual([
      {
        entityRef: CHECKOUT,
        agreementId: 'checkout-sla',
        targetId: 'availability',
        path: [CHECKOUT, DB],
        objective: 99.5,
        supportable: 99.95,
        supportableAfter: 99.2,
      },
      {
        entityRef: OPS,
        agreementId: 'ops-sla',
        targetId: 'availability',
        path: [OPS, PROXY, DB],
        objective: 99.3,
        supportable: 99.95,
        supportableAfter: 99.2,
      },
    ]);
  });
});
