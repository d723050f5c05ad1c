import type {
  Agreement,
  BoundSource,
  DependencyBound,
  WeakestLink,
} from '@opensla/backstage-plugin-sla-common';

import { roundSignificant } from '../roundSignificant';
import { DependencyGraph, DirectDependency } from './dependencyGraph';

/** A computed bound: always with its figure and source (restricting is the answer's business). */
type Bound = DependencyBound & { bound: number; source: BoundSource };
type Link = WeakestLink & { bound: number; source: BoundSource };

/** An entity's highest agreed availability objective. */
export type AgreedBound = {
  /** Percent. */
  objective: number;
  agreementId: string;
  targetId: string;
};

/** What an entity's dependencies can support (product reference §3). */
export type EntitySupport = {
  entityRef: string;
  /** Percent. */
  supportable: number;
  /** Hard direct dependencies (group members carry `group`). */
  dependencies: Bound[];
  /** Soft direct dependencies: reported, left out of the composite. */
  softDependencies: Bound[];
  weakestLink?: Link;
  /** Each cycle as a path that ends where it starts. */
  cycles: string[][];
};

const MAX_CYCLES = 20;
const percent = (fraction: number) => roundSignificant(fraction * 100);

/**
 * The highest objective among each entity's availability targets in the
 * given agreements (the caller passes those in force, i.e. `agreed`).
 */
export function agreedAvailabilityBounds(
  agreements: Iterable<Agreement>,
): Map<string, AgreedBound> {
  const bounds = new Map<string, AgreedBound>();
  for (const agreement of agreements) {
    const ref = agreement.entityRef.toLocaleLowerCase('en-US');
    for (const target of agreement.targets) {
      if (target.aspect !== 'availability') continue;
      const current = bounds.get(ref);
      if (!current || target.objective > current.objective) {
        bounds.set(ref, {
          objective: target.objective,
          agreementId: agreement.id,
          targetId: target.id,
        });
      }
    }
  }
  return bounds;
}

/**
 * Composite availability over the dependency graph. One instance per
 * request: it memoises each entity's supportable figure.
 *
 * supportable(X) multiplies the distinct factors reached from X: an agreed
 * dependency is a factor (its highest agreed objective); an unagreed one is
 * expanded into its own dependencies; a leaf without agreement is 1; a
 * redundancy group is one factor 1 − Π(1 − bᵢ) with each member's own
 * bound. A factor reached twice (a diamond) counts once; an edge back into
 * the path being expanded (a cycle) counts as 1.
 */
export class ViabilityCalculator {
  private readonly memo = new Map<string, number>();
  private readonly hardDependencies = new Map<string, DirectDependency[]>();

  constructor(
    private readonly graph: DependencyGraph,
    private readonly agreed: ReadonlyMap<string, AgreedBound>,
  ) {}

  private hard(ref: string): DirectDependency[] {
    let hard = this.hardDependencies.get(ref);
    if (!hard) {
      hard = this.graph.directDependencies(ref).filter(d => !d.soft);
      this.hardDependencies.set(ref, hard);
    }
    return hard;
  }

  /** A dependency's bound as a fraction, on its own. */
  private boundOf(
    ref: string,
    stack: string[],
  ): { fraction: number; source: BoundSource } {
    const agreed = this.agreed.get(ref);
    if (agreed) return { fraction: agreed.objective / 100, source: 'agreed' };
    if (this.hard(ref).length === 0) return { fraction: 1, source: 'missing' };
    return { fraction: this.fraction(ref, stack), source: 'unagreed' };
  }

  /** supportable(ref) as a fraction; `stack` holds the refs being expanded. */
  private fraction(ref: string, stack: string[] = []): number {
    const memoised = this.memo.get(ref);
    if (memoised !== undefined) return memoised;
    const onStack = new Set(stack);
    const counted = new Set<string>();
    let cut = false;
    let product = 1;
    // factor() and expand() call each other
    let expand: (node: string) => void = () => {};
    const factor = (dependency: string): number => {
      if (onStack.has(dependency)) {
        cut = true;
        return 1;
      }
      if (counted.has(dependency)) return 1;
      counted.add(dependency);
      const agreed = this.agreed.get(dependency);
      if (agreed) return agreed.objective / 100;
      if (this.hard(dependency).length === 0) return 1;
      expand(dependency);
      return 1;
    };
    expand = (node: string) => {
      stack.push(node);
      onStack.add(node);
      const groups = new Map<string, string[]>();
      for (const d of this.hard(node)) {
        if (d.group === undefined) {
          // factor() may expand into `product` itself: read it afterwards
          const f = factor(d.entityRef);
          product *= f;
        } else {
          const members = groups.get(d.group) ?? [];
          members.push(d.entityRef);
          groups.set(d.group, members);
        }
      }
      for (const [name, members] of groups) {
        const key = `${node}#${name}`;
        if (counted.has(key)) continue;
        counted.add(key);
        let allFail = 1;
        for (const member of members) {
          if (onStack.has(member)) {
            cut = true;
            continue;
          }
          allFail *= 1 - this.boundOf(member, stack).fraction;
        }
        product *= 1 - allFail;
      }
      stack.pop();
      onStack.delete(node);
    };
    expand(ref);
    if (!cut) this.memo.set(ref, product);
    return product;
  }

  /** supportable(ref) in percent. */
  supportable(entityRef: string): number {
    return percent(this.fraction(entityRef.toLocaleLowerCase('en-US')));
  }

  private describe(
    ref: string,
    group: string | undefined,
    stack: string[],
  ): Bound {
    const { fraction, source } = this.boundOf(ref, stack);
    const result: Bound = {
      entityRef: ref,
      bound: percent(fraction),
      source,
    };
    const agreed = this.agreed.get(ref);
    if (agreed) {
      result.agreementId = agreed.agreementId;
      result.targetId = agreed.targetId;
    }
    if (group !== undefined) result.group = group;
    return result;
  }

  /** Children of unagreed dependencies, each entity expanded once per tree. */
  private addChildren(
    bound: Bound,
    expanded: Set<string>,
    stack: string[],
  ) {
    if (bound.source !== 'unagreed') return;
    if (expanded.has(bound.entityRef) || stack.includes(bound.entityRef)) {
      bound.repeated = true;
      return;
    }
    expanded.add(bound.entityRef);
    stack.push(bound.entityRef);
    bound.children = this.hard(bound.entityRef).map(d => {
      const child = this.describe(d.entityRef, d.group, stack);
      this.addChildren(child, expanded, stack);
      return child;
    });
    stack.pop();
  }

  /** Cycles among the hard dependencies reachable from `ref` (back edges of a depth-first walk). */
  cycles(entityRef: string): string[][] {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const cycles: string[][] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const position = new Map<string, number>();
    // Iterative, so a deep catalog cannot overflow the stack.
    const work: Array<{ node: string; next: number }> = [];
    const enter = (node: string) => {
      position.set(node, path.length);
      path.push(node);
      work.push({ node, next: 0 });
    };
    enter(ref);
    while (work.length) {
      const frame = work[work.length - 1];
      const deps = this.hard(frame.node);
      if (frame.next < deps.length) {
        const next = deps[frame.next++].entityRef;
        const at = position.get(next);
        if (at !== undefined) {
          if (cycles.length < MAX_CYCLES) {
            cycles.push([...path.slice(at), next]);
          }
        } else if (!done.has(next)) {
          enter(next);
        }
      } else {
        work.pop();
        path.pop();
        position.delete(frame.node);
        done.add(frame.node);
      }
    }
    return cycles;
  }

  /** The full analysis of one entity. */
  analyse(entityRef: string): EntitySupport {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const stack = [ref];
    const expanded = new Set<string>([ref]);
    const direct = this.graph.directDependencies(ref);
    const dependencies: Bound[] = [];
    const softDependencies: Bound[] = [];
    for (const d of direct) {
      const bound = this.describe(d.entityRef, d.group, stack);
      this.addChildren(bound, expanded, stack);
      (d.soft ? softDependencies : dependencies).push(bound);
    }

    let weakestLink: Link | undefined;
    const consider = (link: Link) => {
      if (!weakestLink || link.bound < weakestLink.bound) weakestLink = link;
    };
    const groups = new Map<string, Bound[]>();
    for (const d of dependencies) {
      if (d.group === undefined) {
        consider({ entityRef: d.entityRef, bound: d.bound, source: d.source });
      } else {
        const members = groups.get(d.group) ?? [];
        members.push(d);
        groups.set(d.group, members);
      }
    }
    for (const [name, members] of groups) {
      const folded =
        1 - members.reduce((fail, m) => fail * (1 - m.bound / 100), 1);
      const weakest = members.reduce((a, b) => (b.bound < a.bound ? b : a));
      consider({
        entityRef: weakest.entityRef,
        bound: percent(folded),
        source: weakest.source,
        group: name,
      });
    }

    const result: EntitySupport = {
      entityRef: ref,
      supportable: percent(this.fraction(ref)),
      dependencies,
      softDependencies,
      cycles: this.cycles(ref),
    };
    if (weakestLink) result.weakestLink = weakestLink;
    return result;
  }
}

/** viable ⇔ objective ≤ supportable; headroom = supportable − objective (percent points). */
export function judgeObjective(
  supportable: number,
  objective: number,
): { viable: boolean; headroom: number } {
  return {
    viable: objective <= supportable,
    // percent points to 9 decimals: 99.4005 − 99.4 reads 0.0005
    headroom: Number((supportable - objective).toFixed(9)),
  };
}
