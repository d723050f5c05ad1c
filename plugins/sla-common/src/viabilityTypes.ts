/**
 * Types of the viability analysis (product reference §3 "Composite
 * availability / viability", §4 `GET /viability`, `GET /blast-radius`).
 * Figures are percent, like objectives.
 */

/** @public */
export type BoundSource = 'agreed' | 'unagreed' | 'missing';

/**
 * A dependency with its bound and where the bound comes from. A dependency
 * whose agreements the reader may not read is `restricted`: its ref (and
 * redundancy group) only, without `bound`, `source`, ids or children.
 * @public
 */
export type DependencyBound = {
  entityRef: string;
  /** Percent: the highest agreed availability objective, its own supportable figure (unagreed) or 100 (missing). Absent when restricted. */
  bound?: number;
  /** Absent when restricted. */
  source?: BoundSource;
  /** The reader may not read this entity's agreements. */
  restricted?: boolean;
  agreementId?: string;
  targetId?: string;
  /** The `sla/redundancy-group.<name>` it belongs to. */
  group?: string;
  /** For unagreed dependencies: their own dependencies, recursively. */
  children?: DependencyBound[];
  /** Expanded elsewhere in the same tree. */
  repeated?: boolean;
};

/** @public */
export type WeakestLink = {
  entityRef: string;
  /** Absent when restricted. */
  bound?: number;
  /** Absent when restricted. */
  source?: BoundSource;
  group?: string;
  /** The reader may not read this entity's agreements. */
  restricted?: boolean;
};

/** A target that its dependencies' agreements cannot back up. @public */
export type Misalignment = {
  kind: 'duration' | 'latency' | 'underpinning';
  agreementId: string;
  targetId: string;
  ours: number;
  /** The dependencies' figure; absent when it involves a restricted dependency. */
  theirs?: number;
  unit?: string;
  /** A restricted dependency appears as `{ entityRef, restricted: true }`. */
  dependencies: Array<{
    entityRef: string;
    agreementId?: string;
    targetId?: string;
    restricted?: boolean;
  }>;
  message: string;
};

/** Viability of one availability target. @public */
export type TargetViability = {
  /** The target's id, or `what-if` for a hypothetical target. */
  targetId: string;
  agreementId?: string;
  name?: string;
  objective: number;
  /** Percent. */
  supportable: number | null;
  viable: boolean;
  /** supportable − objective, percent points. */
  headroom: number | null;
  /** Entity ref of the dependency with the lowest bound. */
  weakestLink?: string;
  /** Absent when the weakest link is restricted. */
  weakestLinkBound?: number;
  /** The reader may not read the weakest link's agreements. */
  weakestLinkRestricted?: boolean;
  dependencies: DependencyBound[];
  misaligned: Misalignment[];
  cycles: string[][];
};

/** The answer of `GET /viability`. @public */
export type ViabilityReport = {
  items: TargetViability[];
  entityRef: string;
  /** Percent: what the entity's dependencies can support. */
  supportable: number;
  weakestLink?: WeakestLink;
  /** The dependency tree (hard dependencies). */
  dependencies: DependencyBound[];
  /** Soft dependencies: shown, left out of the composite. */
  softDependencies: DependencyBound[];
  misaligned: Misalignment[];
  cycles: string[][];
};

/** A dependent's target put at risk (`GET /blast-radius`). @public */
export type BlastRadiusItem = {
  entityRef: string;
  /** Absent when restricted. */
  agreementId?: string;
  /** Absent when restricted. */
  targetId?: string;
  /** The reader may not read this dependent's agreements: one item for the entity, ref and path only. */
  restricted?: boolean;
  /** From the dependent down to the entity asked about. */
  path: string[];
  objective?: number;
  supportable?: number;
  supportableAfter?: number;
};

/** What an agreement moved to `agreed` despite a shortfall records. @public */
export type ViabilityOverrideRecord = {
  reason: string;
  shortfalls: Array<{
    targetId: string;
    objective: number;
    supportable: number;
    weakestLink?: string;
  }>;
};
