/**
 * Viability analysis (product reference §2 and §3 "Composite availability /
 * viability"): the catalog's dependency graph, what it can support, the
 * alignment checks and the blast radius. Pure: graph and agreements in,
 * figures out.
 */
export type {
  GraphEntity,
  DirectDependency,
  Dependent,
  DependencyGraph,
} from './dependencyGraph';
export {
  buildDependencyGraph,
  graphEntityRef,
  SOFT_DEPENDENCIES_ANNOTATION,
  REDUNDANCY_GROUP_ANNOTATION_PREFIX,
} from './dependencyGraph';
export type { AgreedBound, EntitySupport } from './supportableAvailability';
export {
  ViabilityCalculator,
  agreedAvailabilityBounds,
  judgeObjective,
} from './supportableAvailability';
export { alignmentFindings } from './alignmentFindings';
export { blastRadius, dependentsOf } from './blastRadius';
export type { IsReadable } from './restrictUnreadable';
export {
  restrictBlastRadius,
  restrictBreachCauses,
  restrictDependencies,
  restrictMisalignment,
  restrictViabilityReport,
  refsInViabilityReport,
} from './restrictUnreadable';
export type { GraphPatchResult } from './patchableGraph';
export { LayeredMap, PatchableDependencyGraph } from './patchableGraph';
