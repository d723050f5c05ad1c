import type {
  BoundSource,
  TargetAttainment,
  ViabilityReport,
} from '@opensla/backstage-plugin-sla-common';

const pct = (value: number) => `${Number(value.toFixed(4))} %`;

/** Where a dependency's bound comes from, in words. */
const WHY_BOUND: Record<BoundSource, string> = {
  agreed: 'its agreed availability objective',
  unagreed:
    'it has no agreement of its own, so what its own dependencies support',
  missing: 'it has no agreement at all (counted as 100 %, so agree one)',
};

/** One sentence per target, for assistants to quote. */
export function describeAttainment(
  entityRef: string,
  targets: TargetAttainment[],
): string {
  if (!targets.length) {
    return `${entityRef} has no service level targets in force (no agreed agreement, or none valid at this instant).`;
  }
  const failing = targets.filter(t => t.status === 'breached').length;
  const head =
    failing === 0
      ? `${entityRef} meets all ${targets.length} of its targets in force or has no data for some.`
      : `${entityRef} is breaching ${failing} of its ${targets.length} targets in force.`;
  const lines = targets.map(t => {
    const name = t.name ?? t.targetId;
    if (t.attainment === null) {
      return `${name}: no data in the window (objective ${pct(t.objective)}).`;
    }
    const remaining = t.errorBudget.remaining;
    let budget = 'no error budget at all, and some consumed';
    if (remaining !== null && remaining >= 0) {
      budget = `${Math.round(remaining * 100)} % of the error budget left`;
    } else if (remaining !== null) {
      budget = `error budget overspent by ${Math.round(-remaining * 100)} %`;
    }
    const alerts = t.alerts.length
      ? `, burn-rate alert: ${t.alerts
          .map(a => `${a.severity} (${a.window})`)
          .join(', ')}`
      : '';
    return `${name}: ${pct(t.attainment)} against an objective of ${pct(
      t.objective,
    )}, ${t.status}, ${budget}${alerts}.`;
  });
  return [head, ...lines].join(' ');
}

/** What limits an entity's availability, in words. */
export function describeViability(report: ViabilityReport): string {
  const parts: string[] = [];
  const link = report.weakestLink;
  if (!report.dependencies.length) {
    parts.push(
      `${
        report.entityRef
      } has no hard dependencies in the catalog, so nothing limits its availability objective (supportable ${pct(
        report.supportable,
      )}).`,
    );
  } else {
    parts.push(
      `The agreements of ${
        report.entityRef
      }'s dependencies support at most ${pct(
        report.supportable,
      )} availability (serial dependencies multiply, redundancy groups count once).`,
    );
  }
  if (link && (link.bound === undefined || link.source === undefined)) {
    parts.push(
      `The weakest link is ${link.entityRef}, which you may not read: its bound is not shown.`,
    );
  } else if (link) {
    parts.push(
      `The weakest link is ${link.entityRef} at ${pct(link.bound!)} (${
        WHY_BOUND[link.source!]
      }).`,
    );
  }
  for (const item of report.items) {
    const name = item.name ?? item.targetId;
    parts.push(
      item.viable
        ? `Target ${name} (${pct(item.objective)}) is viable${
            item.headroom !== null ? ` with ${pct(item.headroom)} headroom` : ''
          }.`
        : `Target ${name} (${pct(
            item.objective,
          )}) is NOT viable: lower it to at most ${pct(
            report.supportable,
          )} or strengthen the dependencies' agreements${
            link ? `, starting with ${link.entityRef}` : ''
          }.`,
    );
  }
  const missing = report.dependencies.filter(d => d.source === 'missing');
  if (missing.length) {
    parts.push(
      `Without any agreement: ${missing.map(d => d.entityRef).join(', ')}.`,
    );
  }
  for (const m of report.misaligned) parts.push(m.message);
  if (report.cycles.length) {
    parts.push(
      `Dependency cycles (each entity counted once): ${report.cycles
        .map(c => c.join(' -> '))
        .join('; ')}.`,
    );
  }
  return parts.join(' ');
}
