import {
  DependencyGraph,
  Dependent,
  DirectDependency,
  GraphEntity,
  compareRefs,
  consumedApis,
  dependentOf,
  directDependenciesOf,
  graphEntityRef,
  lower,
  providerPairs,
} from './dependencyGraph';

const GONE: unique symbol = Symbol('gone');
type Gone = typeof GONE;

/** Below this many changes since its base, a LayeredMap never flattens. */
const FLATTEN_MIN = 4_096;

/**
 * An immutable map by string key: a base shared between versions and the
 * changes made since it. `with` returns a new version in time proportional
 * to the changes since the base (the base is copied only when those
 * changes outgrow an eighth of it), and leaves this one as it was, so a
 * reader holding a version never sees a later change.
 */
export class LayeredMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly base: ReadonlyMap<string, V>,
    private readonly delta: ReadonlyMap<string, V | Gone>,
    readonly size: number,
  ) {}

  /** Takes ownership of `entries` (the caller must not change it). */
  static of<V>(entries: Map<string, V>): LayeredMap<V> {
    return new LayeredMap<V>(entries, new Map(), entries.size);
  }

  get(key: string): V | undefined {
    const changed = this.delta.get(key);
    if (changed === undefined) return this.base.get(key);
    return changed === GONE ? undefined : changed;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  private *iterate(): Generator<[string, V]> {
    for (const entry of this.base) {
      if (!this.delta.has(entry[0])) yield entry;
    }
    for (const [key, value] of this.delta) {
      if (value !== GONE) yield [key, value];
    }
  }

  entries(): ReturnType<ReadonlyMap<string, V>['entries']> {
    return this.iterate() as any;
  }

  keys(): ReturnType<ReadonlyMap<string, V>['keys']> {
    return (function* keys(entries: Iterable<[string, V]>) {
      for (const [key] of entries) yield key;
    })(this.iterate()) as any;
  }

  values(): ReturnType<ReadonlyMap<string, V>['values']> {
    return (function* values(entries: Iterable<[string, V]>) {
      for (const [, value] of entries) yield value;
    })(this.iterate()) as any;
  }

  [Symbol.iterator](): ReturnType<ReadonlyMap<string, V>['entries']> {
    return this.entries();
  }

  forEach(
    callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.iterate()) {
      callback.call(thisArg, value, key, this);
    }
  }

  /** A new version with `changes` made (undefined: deleted). */
  with(changes: ReadonlyMap<string, V | undefined>): LayeredMap<V> {
    if (!changes.size) return this;
    const delta = new Map(this.delta);
    let size = this.size;
    for (const [key, value] of changes) {
      const had = this.has(key);
      if (value === undefined) {
        if (had) size--;
        if (this.base.has(key)) delta.set(key, GONE);
        else delta.delete(key);
      } else {
        if (!had) size++;
        delta.set(key, value);
      }
    }
    if (delta.size > FLATTEN_MIN && delta.size * 8 > this.base.size) {
      const flat = new Map(this.base);
      for (const [key, value] of delta) {
        if (value === GONE) flat.delete(key);
        else flat.set(key, value);
      }
      return new LayeredMap(flat, new Map(), size);
    }
    return new LayeredMap(this.base, delta, size);
  }
}

function sameDependencies(
  a: readonly DirectDependency[] | undefined,
  b: readonly DirectDependency[] | undefined,
): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every(
    (d, i) =>
      d.entityRef === b[i].entityRef &&
      d.soft === b[i].soft &&
      d.group === b[i].group,
  );
}

function snapshot(
  entities: LayeredMap<GraphEntity>,
  forward: LayeredMap<DirectDependency[]>,
  reverse: LayeredMap<Dependent[]>,
): DependencyGraph {
  return {
    size: entities.size,
    has: ref => entities.has(lower(ref)),
    directDependencies: ref => forward.get(lower(ref)) ?? [],
    dependents: ref => reverse.get(lower(ref)) ?? [],
  };
}

/** What one patch did, for logs and the bench. */
export type GraphPatchResult = {
  /** Entities added, changed or removed. */
  entities: number;
  /** Entities whose direct dependencies were computed again. */
  recomputed: number;
  /** Entities whose direct dependencies changed. */
  changedDependencies: number;
};

/**
 * The dependency graph kept current by patches: `apply` takes the
 * entities added or changed and the refs removed, and recomputes the
 * direct dependencies only of the entities that can have changed (the
 * changed ones; the consumers of an API whose providers changed, and the
 * API itself), then the dependents lists those touch. A patch of 100
 * entities costs a few milliseconds, whatever the size of the catalog.
 *
 * `graph` and `entities` are immutable versions: a patch makes new ones
 * (sharing what did not change, see LayeredMap) and swaps them in at its
 * end, in one synchronous call, so a reader never sees a half-applied
 * patch, and a request that holds a version across awaits keeps reading
 * the same graph. The result equals `buildDependencyGraph` over the same
 * entities (property-tested).
 */
export class PatchableDependencyGraph {
  private entityMap: LayeredMap<GraphEntity>;
  private forward: LayeredMap<DirectDependency[]>;
  private reverse: LayeredMap<Dependent[]>;
  private current: DependencyGraph;

  // Indexes only the patch reads; changed in place.
  /** [api, provider] pairs each entity declares. */
  private readonly pairsOf = new Map<string, Array<[string, string]>>();
  /** How many entities declare each provider of each API. */
  private readonly providerCounts = new Map<string, Map<string, number>>();
  /** Providers per API in ref order, computed on demand. */
  private readonly providerLists = new Map<string, string[]>();
  /** APIs each entity consumes. */
  private readonly consumesOf = new Map<string, string[]>();
  /** Entities consuming each API. */
  private readonly consumersOf = new Map<string, Set<string>>();

  constructor(entities: Iterable<GraphEntity> = []) {
    const entityByRef = new Map<string, GraphEntity>();
    for (const entity of entities) {
      entityByRef.set(graphEntityRef(entity), entity);
    }
    for (const [ref, entity] of entityByRef) this.index(ref, entity);
    const forward = new Map<string, DirectDependency[]>();
    const reverse = new Map<string, Dependent[]>();
    const providersOf = (api: string) => this.providers(api);
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
    this.entityMap = LayeredMap.of(entityByRef);
    this.forward = LayeredMap.of(forward);
    this.reverse = LayeredMap.of(reverse);
    this.current = snapshot(this.entityMap, this.forward, this.reverse);
  }

  /** The graph as of the last patch (immutable). */
  get graph(): DependencyGraph {
    return this.current;
  }

  /** The entities as of the last patch, by lower-cased ref (immutable). */
  get entities(): ReadonlyMap<string, GraphEntity> {
    return this.entityMap;
  }

  private providers(api: string): string[] {
    let list = this.providerLists.get(api);
    if (!list) {
      list = [...(this.providerCounts.get(api)?.keys() ?? [])].sort(
        compareRefs,
      );
      this.providerLists.set(api, list);
    }
    return list;
  }

  /**
   * Adds (delta 1) or removes (delta -1) one declaration of `provider` for
   * `api`; calls `flipped` when the provider joins or leaves the API.
   */
  private count(
    api: string,
    provider: string,
    delta: 1 | -1,
    flipped?: (api: string, provider: string) => void,
  ) {
    let counts = this.providerCounts.get(api);
    if (!counts) this.providerCounts.set(api, (counts = new Map()));
    const n = (counts.get(provider) ?? 0) + delta;
    if (n > 0) counts.set(provider, n);
    else counts.delete(provider);
    if (!counts.size) this.providerCounts.delete(api);
    if (n === 0 || (n === 1 && delta === 1)) {
      this.providerLists.delete(api);
      flipped?.(api, provider);
    }
  }

  private index(
    ref: string,
    entity: GraphEntity,
    flipped?: (api: string, provider: string) => void,
  ) {
    const pairs = providerPairs(ref, entity);
    if (pairs.length) this.pairsOf.set(ref, pairs);
    for (const [api, provider] of pairs) this.count(api, provider, 1, flipped);
    const apis = consumedApis(entity);
    if (apis.length) this.consumesOf.set(ref, apis);
    for (const api of apis) {
      let consumers = this.consumersOf.get(api);
      if (!consumers) this.consumersOf.set(api, (consumers = new Set()));
      consumers.add(ref);
    }
  }

  private unindex(
    ref: string,
    flipped: (api: string, provider: string) => void,
  ) {
    for (const [api, provider] of this.pairsOf.get(ref) ?? []) {
      this.count(api, provider, -1, flipped);
    }
    this.pairsOf.delete(ref);
    for (const api of this.consumesOf.get(ref) ?? []) {
      const consumers = this.consumersOf.get(api);
      consumers?.delete(ref);
      if (consumers && !consumers.size) this.consumersOf.delete(api);
    }
    this.consumesOf.delete(ref);
  }

  /**
   * Applies a change set: `changed` entities (added or changed) replace
   * what the graph holds under their ref; `removed` refs leave it (a ref
   * in both: the change wins). Synchronous; swaps the new version in at
   * the end.
   */
  apply(
    changed: Iterable<GraphEntity>,
    removed: Iterable<string> = [],
  ): GraphPatchResult {
    const entityChanges = new Map<string, GraphEntity | undefined>();
    for (const ref of removed) entityChanges.set(lower(ref), undefined);
    for (const entity of changed) {
      entityChanges.set(graphEntityRef(entity), entity);
    }

    // Provider declarations that flipped, with whether they held before
    // the patch: an API's providers changed if any differs at the end.
    const flips = new Map<string, { api: string; before: boolean }>();
    const flipped = (api: string, provider: string) => {
      const key = `${api}\u0000${provider}`;
      const flip = flips.get(key);
      if (flip) return;
      const now = this.providerCounts.get(api)?.has(provider) ?? false;
      flips.set(key, { api, before: !now });
    };
    for (const [ref, entity] of entityChanges) {
      if (this.entityMap.has(ref)) this.unindex(ref, flipped);
      if (entity) this.index(ref, entity, flipped);
    }
    const affected = new Set(entityChanges.keys());
    for (const [key, { api, before }] of flips) {
      const provider = key.slice(api.length + 1);
      const now = this.providerCounts.get(api)?.has(provider) ?? false;
      if (now === before) continue;
      affected.add(api);
      for (const consumer of this.consumersOf.get(api) ?? []) {
        affected.add(consumer);
      }
    }
    const entityMap = this.entityMap.with(entityChanges);

    const providersOf = (api: string) => this.providers(api);
    const forwardChanges = new Map<string, DirectDependency[] | undefined>();
    const edits = new Map<string, { drop: Set<string>; add: Dependent[] }>();
    const edit = (target: string) => {
      let e = edits.get(target);
      if (!e) edits.set(target, (e = { drop: new Set(), add: [] }));
      return e;
    };
    for (const ref of affected) {
      const entity = entityMap.get(ref);
      const before = this.forward.get(ref);
      const after = entity
        ? directDependenciesOf(ref, entity, providersOf)
        : undefined;
      if (sameDependencies(before, after)) continue;
      forwardChanges.set(ref, after);
      for (const d of before ?? []) edit(d.entityRef).drop.add(ref);
      for (const d of after ?? [])
        edit(d.entityRef).add.push(dependentOf(ref, d));
    }
    const reverseChanges = new Map<string, Dependent[] | undefined>();
    for (const [target, { drop, add }] of edits) {
      const list = (this.reverse.get(target) ?? []).filter(
        d => !drop.has(d.entityRef),
      );
      list.push(...add);
      list.sort((a, b) => compareRefs(a.entityRef, b.entityRef));
      reverseChanges.set(target, list.length ? list : undefined);
    }

    this.entityMap = entityMap;
    this.forward = this.forward.with(forwardChanges);
    this.reverse = this.reverse.with(reverseChanges);
    this.current = snapshot(this.entityMap, this.forward, this.reverse);
    return {
      entities: entityChanges.size,
      recomputed: affected.size,
      changedDependencies: forwardChanges.size,
    };
  }
}
