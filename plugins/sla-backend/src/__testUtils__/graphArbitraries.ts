import fc from 'fast-check';
import {
  AgreedBound,
  DependencyGraph,
  GraphEntity,
  ViabilityCalculator,
  blastRadius,
  graphEntityRef,
} from '../domain/viability';
import {
  agreement,
  availability,
  byEntity,
  entity,
} from '../domain/viability/testGraph';

/**
 * Generated catalogs and change sets for the property tests of the
 * patched dependency graph (domain and feed), and the comparison of two
 * graphs by what they answer.
 */

/**
 * A small universe of identities, so that generated relations hit each
 * other often: components, APIs, a system, a resource, in two namespaces.
 */
export const IDENTITIES = [
  'Component:default/c0',
  'Component:default/c1',
  'Component:default/c2',
  'Component:default/c3',
  'Component:team/c4',
  'API:default/a0',
  'API:default/a1',
  'API:team/a2',
  'System:default/s0',
  'Resource:default/r0',
];
/** Targets written as the catalog might: other case, unknown entities. */
const TARGETS = [
  ...IDENTITIES,
  ...IDENTITIES.map(r => r.toLocaleLowerCase('en-US')),
  'component:default/ghost',
  'api:default/ghost-api',
];
/** Annotation refs: full, shorthand (component in the entity's namespace), malformed. */
const ANNOTATION_REFS = [
  ...IDENTITIES,
  'c0',
  'c1',
  'c4',
  'resource:r0',
  'ghost',
  'a:b:c/d/',
];
export const ALL_REFS = [
  ...new Set(TARGETS.map(r => r.toLocaleLowerCase('en-US'))),
];

const relation = fc.tuple(
  fc.constantFrom(
    'dependsOn',
    'consumesApi',
    'providesApi',
    'apiProvidedBy',
    'hasPart',
    'ownedBy',
  ),
  fc.constantFrom(...TARGETS),
);
const refList = fc
  .array(fc.constantFrom(...ANNOTATION_REFS), { maxLength: 3 })
  .map(refs => refs.join(', '));

/** One version of the entity with this identity. */
export const entityVersion = (identity: string): fc.Arbitrary<GraphEntity> =>
  fc
    .record({
      relations: fc.array(relation, { maxLength: 5 }),
      soft: fc.option(refList, { nil: undefined }),
      groups: fc.array(fc.tuple(fc.constantFrom('g1', 'g2'), refList), {
        maxLength: 2,
      }),
    })
    .map(({ relations, soft, groups }) => {
      const annotations: Record<string, string> = {};
      if (soft !== undefined) annotations['sla/soft-dependencies'] = soft;
      for (const [name, members] of groups) {
        annotations[`sla/redundancy-group.${name}`] = members;
      }
      return entity(identity, relations, annotations);
    });

const anyEntity = fc
  .constantFrom(...IDENTITIES)
  .chain(identity => entityVersion(identity));

export const catalogArbitrary = fc.array(anyEntity, { maxLength: 10 });

export type Change = { put: GraphEntity } | { remove: string };
export const changeSetArbitrary: fc.Arbitrary<Change[]> = fc.array(
  fc.oneof(
    anyEntity.map(e => ({ put: e })),
    fc.constantFrom(...IDENTITIES).map(r => ({ remove: r })),
  ),
  { minLength: 1, maxLength: 5 },
);

/** The change set as a feed delivers it: one row per ref, the last wins. */
export function rows(changes: Change[]) {
  const last = new Map<string, GraphEntity | undefined>();
  for (const c of changes) {
    if ('put' in c) last.set(graphEntityRef(c.put), c.put);
    else last.set(c.remove.toLocaleLowerCase('en-US'), undefined);
  }
  const changed: GraphEntity[] = [];
  const removed: string[] = [];
  for (const [ref, e] of last) {
    if (e) changed.push(e);
    else removed.push(ref);
  }
  return { changed, removed };
}

export const boundsArbitrary = fc
  .array(
    fc.tuple(
      fc.constantFrom(...ALL_REFS),
      fc.constantFrom(90, 99, 99.5, 99.9, 99.99),
    ),
    { maxLength: 6 },
  )
  .map(pairs => {
    const bounds = new Map<string, AgreedBound>();
    for (const [ref, objective] of pairs) {
      bounds.set(ref, { objective, agreementId: `${ref}-ola`, targetId: 'a' });
    }
    return bounds;
  });

/**
 * `actual` answers as `expected` for every ref of the universe: size,
 * membership, direct dependencies (what a breach's causes read),
 * dependents, and the viability and blast radius computed on them.
 */
export function expectSameGraph(
  actual: DependencyGraph,
  expected: DependencyGraph,
  bounds: ReadonlyMap<string, AgreedBound> = new Map(),
) {
  expect(actual.size).toBe(expected.size);
  const agreedByEntity = byEntity(
    [...bounds].map(([ref, b]) =>
      agreement(b.agreementId, ref, [availability(b.objective)], 'OLA'),
    ),
  );
  for (const ref of ALL_REFS) {
    expect([ref, actual.has(ref)]).toEqual([ref, expected.has(ref)]);
    expect(actual.directDependencies(ref)).toEqual(
      expected.directDependencies(ref),
    );
    expect(actual.dependents(ref)).toEqual(expected.dependents(ref));
    expect(new ViabilityCalculator(actual, bounds).analyse(ref)).toEqual(
      new ViabilityCalculator(expected, bounds).analyse(ref),
    );
    expect(blastRadius(actual, agreedByEntity, bounds, ref, 95)).toEqual(
      blastRadius(expected, agreedByEntity, bounds, ref, 95),
    );
  }
}
