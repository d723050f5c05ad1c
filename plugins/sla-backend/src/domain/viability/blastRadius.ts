import type {
  Agreement,
  BlastRadiusItem,
} from '@opensla/backstage-plugin-sla-common';
import { DependencyGraph } from './dependencyGraph';
import {
  AgreedBound,
  ViabilityCalculator,
  judgeObjective,
} from './supportableAvailability';

/**
 * The entities that depend on `entityRef`, nearest first, each once, with
 * the shortest path down to it (soft edges are not followed: their
 * dependents survive the failure).
 */
export function dependentsOf(
  graph: DependencyGraph,
  entityRef: string,
): Array<{ entityRef: string; path: string[] }> {
  const start = entityRef.toLocaleLowerCase('en-US');
  const pathTo = new Map<string, string[]>([[start, [start]]]);
  const queue = [start];
  const result: Array<{ entityRef: string; path: string[] }> = [];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const d of graph.dependents(node)) {
      if (d.soft || pathTo.has(d.entityRef)) continue;
      const path = [d.entityRef, ...pathTo.get(node)!];
      pathTo.set(d.entityRef, path);
      queue.push(d.entityRef);
      result.push({ entityRef: d.entityRef, path });
    }
  }
  return result;
}

/**
 * The blast radius of `entityRef` (product reference §2): without
 * `objective`, every availability target in force of every dependent (a
 * breach puts them all at risk); with `objective` (the entity lowers its
 * availability target to it), those targets that are viable now and would
 * not be afterwards.
 */
export function blastRadius(
  graph: DependencyGraph,
  agreedByEntity: ReadonlyMap<string, Agreement[]>,
  bounds: ReadonlyMap<string, AgreedBound>,
  entityRef: string,
  objective?: number,
): BlastRadiusItem[] {
  const ref = entityRef.toLocaleLowerCase('en-US');
  const before = new ViabilityCalculator(graph, bounds);
  let after: ViabilityCalculator | undefined;
  if (objective !== undefined) {
    const lowered = new Map(bounds);
    lowered.set(ref, {
      objective,
      agreementId: bounds.get(ref)?.agreementId ?? '',
      targetId: bounds.get(ref)?.targetId ?? '',
    });
    after = new ViabilityCalculator(graph, lowered);
  }
  const items: BlastRadiusItem[] = [];
  for (const dependent of dependentsOf(graph, ref)) {
    const agreements = agreedByEntity.get(dependent.entityRef) ?? [];
    const targets = agreements.flatMap(a =>
      a.targets
        .filter(t => t.aspect === 'availability')
        .map(t => ({ agreement: a, target: t })),
    );
    if (!targets.length) continue;
    const supportable = before.supportable(dependent.entityRef);
    const supportableAfter = after?.supportable(dependent.entityRef);
    for (const { agreement, target } of targets) {
      if (supportableAfter !== undefined) {
        const wasViable = judgeObjective(supportable, target.objective).viable;
        const isViable = judgeObjective(
          supportableAfter,
          target.objective,
        ).viable;
        if (!wasViable || isViable) continue;
      }
      items.push({
        entityRef: dependent.entityRef,
        agreementId: agreement.id,
        targetId: target.id,
        path: dependent.path,
        objective: target.objective,
        supportable,
        ...(supportableAfter !== undefined ? { supportableAfter } : {}),
      });
    }
  }
  return items;
}
