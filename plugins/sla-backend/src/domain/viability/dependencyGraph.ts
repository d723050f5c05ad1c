import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The part of a catalog entity the dependency graph reads (a catalog
 * `Entity` fits; so does the output of a `fields` filtered query).
 */
export type GraphEntity = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  relations?: Array<{ type: string; targetRef: string }>;
};

/** One direct dependency of an entity. */
export type DirectDependency = {
  /** Lower-case entity ref. */
  entityRef: string;
  /** Listed in `sla/soft-dependencies`: left out of the composite. */
  soft: boolean;
  /** The `sla/redundancy-group.<name>` it belongs to, if any. */
  group?: string;
};

/** An entity that depends on another one (the reverse edge). */
export type Dependent = { entityRef: string; soft: boolean; group?: string };

/** The catalog's dependency graph (product reference §2), refs lower-cased. */
export interface DependencyGraph {
  /** Whether the entity is in the graph. */
  has(entityRef: string): boolean;
  /** The entity's direct dependencies, each once, in catalog order. */
  directDependencies(entityRef: string): DirectDependency[];
  /** The entities that list this one among their direct dependencies. */
  dependents(entityRef: string): Dependent[];
  /** Number of entities in the graph. */
  readonly size: number;
}

export const SOFT_DEPENDENCIES_ANNOTATION = 'sla/soft-dependencies';
export const REDUNDANCY_GROUP_ANNOTATION_PREFIX = 'sla/redundancy-group.';

export const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

export function graphEntityRef(entity: GraphEntity): string {
  return lower(
    stringifyEntityRef({
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    }),
  );
}

/** Comma-separated refs of an annotation; shorthand refs default to components in the entity's namespace; unparsable ones are skipped. */
function annotationRefs(entity: GraphEntity, value: string | undefined) {
  if (!value) return [];
  const refs: string[] = [];
  for (const part of value.split(',')) {
    const text = part.trim();
    if (!text) continue;
    try {
      refs.push(
        lower(
          stringifyEntityRef(
            parseEntityRef(text, {
              defaultKind: 'component',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ),
        ),
      );
    } catch {
      // a malformed ref refines nothing
    }
  }
  return refs;
}

/**
 * The API/provider pairs an entity declares: its `providesApi` relations
 * (it provides the API) and, for an API, its `apiProvidedBy` relations.
 * Each pair as [api ref, provider ref], lower-cased.
 */
export function providerPairs(
  ref: string,
  entity: GraphEntity,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const r of entity.relations ?? []) {
    if (r.type === 'providesApi') pairs.push([lower(r.targetRef), ref]);
    if (r.type === 'apiProvidedBy') pairs.push([ref, lower(r.targetRef)]);
  }
  return pairs;
}

/** The APIs an entity consumes (`consumesApi` targets), lower-cased. */
export function consumedApis(entity: GraphEntity): string[] {
  const apis: string[] = [];
  for (const r of entity.relations ?? []) {
    if (r.type === 'consumesApi') apis.push(lower(r.targetRef));
  }
  return apis;
}

/**
 * One entity's direct dependencies, given the providers of each API (in
 * ref order): what it depends on reads only the entity itself and the
 * providers of the APIs it consumes (and of itself, for an API). Shared
 * by the full build and the incremental patch (PatchableDependencyGraph).
 */
export function directDependenciesOf(
  ref: string,
  entity: GraphEntity,
  providersOf: (api: string) => readonly string[],
): DirectDependency[] {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const order: string[] = [];
  const seen = new Set<string>([ref]);
  const add = (target: string) => {
    if (!seen.has(target)) {
      seen.add(target);
      order.push(target);
    }
  };
  for (const r of entity.relations ?? []) {
    const target = lower(r.targetRef);
    if (r.type === 'dependsOn') add(target);
    else if (r.type === 'consumesApi') {
      for (const p of providersOf(target)) add(p);
    } else if (r.type === 'hasPart' && kind === 'system') add(target);
  }
  if (kind === 'api') for (const p of providersOf(ref)) add(p);

  const annotations = entity.metadata.annotations ?? {};
  const groupOf = new Map<string, string>();
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(REDUNDANCY_GROUP_ANNOTATION_PREFIX)) continue;
    const name = key.slice(REDUNDANCY_GROUP_ANNOTATION_PREFIX.length);
    for (const member of annotationRefs(entity, annotations[key])) {
      if (member === ref || groupOf.has(member)) continue;
      groupOf.set(member, name);
      add(member);
    }
  }
  const soft = new Set(
    annotationRefs(entity, annotations[SOFT_DEPENDENCIES_ANNOTATION]),
  );
  return order.map(target => {
    const dependency: DirectDependency = {
      entityRef: target,
      soft: soft.has(target),
    };
    const group = groupOf.get(target);
    if (group !== undefined) dependency.group = group;
    return dependency;
  });
}

/** The reverse edge of `dependency`, from `ref`. */
export function dependentOf(
  ref: string,
  dependency: DirectDependency,
): Dependent {
  const dependent: Dependent = { entityRef: ref, soft: dependency.soft };
  if (dependency.group !== undefined) dependent.group = dependency.group;
  return dependent;
}

/** The order of `dependents` lists and of an API's providers: by ref. */
export function compareRefs(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Builds the graph from scratch: X depends on its `dependsOn` targets, on
 * the providers of each API it `consumesApi` (an API's providers come from
 * its `apiProvidedBy` and from the providers' `providesApi` relations, in
 * ref order), on its parts when X is a System, and (our extension) an API
 * depends on its providers. `sla/soft-dependencies` marks dependencies
 * soft; `sla/redundancy-group.<name>` puts them in a parallel group
 * (members listed only in the annotation are added as dependencies).
 * Dependents are listed in ref order, so the graph does not depend on the
 * order the entities come in (two replicas answer alike).
 *
 * The replicas keep their graph with PatchableDependencyGraph, which
 * patches it in place; this build is the reference it is proven equal to.
 */
export function buildDependencyGraph(
  entities: Iterable<GraphEntity>,
): DependencyGraph {
  const entityByRef = new Map<string, GraphEntity>();
  for (const entity of entities) {
    entityByRef.set(graphEntityRef(entity), entity);
  }

  const providerSets = new Map<string, Set<string>>();
  for (const [ref, entity] of entityByRef) {
    for (const [api, provider] of providerPairs(ref, entity)) {
      let set = providerSets.get(api);
      if (!set) providerSets.set(api, (set = new Set()));
      set.add(provider);
    }
  }
  const providers = new Map<string, string[]>();
  for (const [api, set] of providerSets) {
    providers.set(api, [...set].sort(compareRefs));
  }
  const providersOf = (api: string) => providers.get(api) ?? [];

  const forward = new Map<string, DirectDependency[]>();
  const reverse = new Map<string, Dependent[]>();
  for (const [ref, entity] of entityByRef) {
    const dependencies = directDependenciesOf(ref, entity, providersOf);
    forward.set(ref, dependencies);
    for (const d of dependencies) {
      let list = reverse.get(d.entityRef);
      if (!list) reverse.set(d.entityRef, (list = []));
      list.push(dependentOf(ref, d));
    }
  }
  for (const list of reverse.values()) {
    list.sort((a, b) => compareRefs(a.entityRef, b.entityRef));
  }

  return {
    size: entityByRef.size,
    has: ref => entityByRef.has(lower(ref)),
    directDependencies: ref => forward.get(lower(ref)) ?? [],
    dependents: ref => reverse.get(lower(ref)) ?? [],
  };
}
