import type {
  BlastRadiusItem,
  Breach,
  DependencyBound,
  Misalignment,
  TargetViability,
  ViabilityReport,
  WeakestLink,
} from '@opensla/backstage-plugin-sla-common';

/**
 * Whether the reader may read an entity's agreements (lower-case ref).
 * Decided for all entities of an answer at once, before these run.
 */
export type IsReadable = (entityRef: string) => boolean;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Leaving out what the reader may not see about other entities (issue 13
 * item 5). An entity whose agreements the reader may not read is shown by
 * its ref only, marked `restricted`: no agreement ids, objectives, bounds,
 * sources or children. Composite figures (supportable, headroom, viable)
 * are still computed from every agreement, so the answer stays the same
 * number for every reader; they are aggregates, not any one agreement.
 */
export function restrictDependencies(
  dependencies: DependencyBound[],
  readable: IsReadable,
): DependencyBound[] {
  return dependencies.map(d => {
    if (!readable(lower(d.entityRef))) {
      return {
        entityRef: d.entityRef,
        restricted: true,
        ...(d.group !== undefined ? { group: d.group } : {}),
      };
    }
    return d.children
      ? { ...d, children: restrictDependencies(d.children, readable) }
      : d;
  });
}

export function restrictWeakestLink(
  link: WeakestLink,
  readable: IsReadable,
): WeakestLink {
  if (readable(lower(link.entityRef))) return link;
  return {
    entityRef: link.entityRef,
    restricted: true,
    ...(link.group !== undefined ? { group: link.group } : {}),
  };
}

const PLAIN: Record<Misalignment['kind'], string> = {
  duration: 'allow more time than our target',
  latency: 'add up to more than our threshold',
  underpinning: 'promise less availability than our target',
};

/**
 * An alignment finding is the reader's own target's problem, so it is kept;
 * a restricted dependency in it is its ref only, and the dependencies'
 * figure (`theirs`) and the worded details are left out.
 */
export function restrictMisalignment(
  finding: Misalignment,
  readable: IsReadable,
  targetName?: string,
): Misalignment {
  const hidden = finding.dependencies.filter(
    d => !readable(lower(d.entityRef)),
  );
  if (!hidden.length) return finding;
  const { theirs: _theirs, ...rest } = finding;
  const refs = finding.dependencies.map(d => d.entityRef).join(', ');
  return {
    ...rest,
    dependencies: finding.dependencies.map(d =>
      readable(lower(d.entityRef))
        ? d
        : { entityRef: d.entityRef, restricted: true },
    ),
    message: `${targetName ?? finding.targetId}: the agreements of ${refs} ${
      PLAIN[finding.kind]
    } (details of ${hidden.map(d => d.entityRef).join(', ')} are restricted)`,
  };
}

export function restrictTargetViability(
  item: TargetViability,
  readable: IsReadable,
  targetName?: (agreementId: string, targetId: string) => string | undefined,
): TargetViability {
  const next: TargetViability = {
    ...item,
    dependencies: restrictDependencies(item.dependencies, readable),
    misaligned: item.misaligned.map(m =>
      restrictMisalignment(
        m,
        readable,
        targetName?.(m.agreementId, m.targetId),
      ),
    ),
  };
  if (item.weakestLink && !readable(lower(item.weakestLink))) {
    delete next.weakestLinkBound;
    next.weakestLinkRestricted = true;
  }
  return next;
}

export function restrictViabilityReport(
  report: ViabilityReport,
  readable: IsReadable,
  targetName?: (agreementId: string, targetId: string) => string | undefined,
): ViabilityReport {
  const next: ViabilityReport = {
    ...report,
    items: report.items.map(i =>
      restrictTargetViability(i, readable, targetName),
    ),
    dependencies: restrictDependencies(report.dependencies, readable),
    softDependencies: restrictDependencies(report.softDependencies, readable),
    misaligned: report.misaligned.map(m =>
      restrictMisalignment(
        m,
        readable,
        targetName?.(m.agreementId, m.targetId),
      ),
    ),
  };
  if (report.weakestLink) {
    next.weakestLink = restrictWeakestLink(report.weakestLink, readable);
  }
  return next;
}

/** Every entity ref a viability report mentions (to decide them in one batch). */
export function refsInViabilityReport(report: ViabilityReport): string[] {
  const refs = new Set<string>();
  const walk = (nodes: DependencyBound[]) => {
    for (const n of nodes) {
      refs.add(lower(n.entityRef));
      if (n.children) walk(n.children);
    }
  };
  walk(report.dependencies);
  walk(report.softDependencies);
  for (const item of report.items) {
    walk(item.dependencies);
    if (item.weakestLink) refs.add(lower(item.weakestLink));
    for (const m of item.misaligned) {
      m.dependencies.forEach(d => refs.add(lower(d.entityRef)));
    }
  }
  for (const m of report.misaligned) {
    m.dependencies.forEach(d => refs.add(lower(d.entityRef)));
  }
  if (report.weakestLink) refs.add(lower(report.weakestLink.entityRef));
  return [...refs];
}

/**
 * A restricted dependent of the blast radius is one item (ref and path),
 * however many of its targets are at risk, without ids or figures.
 */
export function restrictBlastRadius(
  items: BlastRadiusItem[],
  readable: IsReadable,
): BlastRadiusItem[] {
  const shown = new Set<string>();
  const result: BlastRadiusItem[] = [];
  for (const item of items) {
    const ref = lower(item.entityRef);
    if (readable(ref)) {
      result.push(item);
    } else if (!shown.has(ref)) {
      shown.add(ref);
      result.push({
        entityRef: item.entityRef,
        path: item.path,
        restricted: true,
      });
    }
  }
  return result;
}

/** A breach's causes: a restricted dependency is its ref only. */
export function restrictBreachCauses(
  breach: Breach,
  readable: IsReadable,
): Breach {
  if (!breach.causedBy?.some(c => !readable(lower(c.entityRef)))) {
    return breach;
  }
  const restricted = new Set<string>();
  const causedBy: NonNullable<Breach['causedBy']> = [];
  for (const c of breach.causedBy) {
    const ref = lower(c.entityRef);
    if (readable(ref)) causedBy.push(c);
    else if (!restricted.has(ref)) {
      restricted.add(ref);
      causedBy.push({ entityRef: c.entityRef, restricted: true });
    }
  }
  return { ...breach, causedBy };
}
