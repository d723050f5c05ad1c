import type {
  Agreement,
  Misalignment,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import { durationMs } from '../durationMs';
import { roundSignificant } from '../roundSignificant';
import { DirectDependency } from './dependencyGraph';

type Candidate = { entityRef: string; agreement: Agreement; target: Target };

const samePriority = (a?: string, b?: string) => (a ?? null) === (b ?? null);

/**
 * The alignment checks of product reference §3 for one agreement of X,
 * against the agreements in force (`agreedByEntity`, lower-case refs) of X's
 * hard direct dependencies (soft ones are left out, as in the composite).
 */
export function alignmentFindings(
  agreement: Pick<Agreement, 'id' | 'targets'>,
  dependencies: DirectDependency[],
  agreedByEntity: ReadonlyMap<string, Agreement[]>,
): Misalignment[] {
  const hard = dependencies.filter(d => !d.soft);
  const candidates: Candidate[] = [];
  for (const d of hard) {
    for (const theirs of agreedByEntity.get(d.entityRef) ?? []) {
      for (const target of theirs.targets) {
        candidates.push({ entityRef: d.entityRef, agreement: theirs, target });
      }
    }
  }
  const findings: Misalignment[] = [];
  for (const ours of agreement.targets) {
    const sli = ours.sli;
    if (sli.kind === 'duration') {
      const limit = durationMs(sli.maxDuration);
      for (const c of candidates) {
        const their = c.target.sli;
        if (their.kind !== 'duration') continue;
        if (!samePriority(their.priority, sli.priority)) continue;
        const allowed = durationMs(their.maxDuration);
        if (allowed <= limit) continue;
        findings.push({
          kind: 'duration',
          agreementId: agreement.id,
          targetId: ours.id,
          ours: limit,
          theirs: allowed,
          unit: 'ms',
          dependencies: [ref(c)],
          message: `${ours.name}: ${c.entityRef} (${c.agreement.kind} ${
            c.agreement.id
          }, ${c.target.name}) allows ${their.maxDuration}${
            sli.priority ? ` for ${sli.priority}` : ''
          }, more than our ${sli.maxDuration}`,
        });
      }
    } else if (sli.kind === 'threshold' && sli.operator === 'lte') {
      const findingsOf = latency(ours, sli, hard, candidates, agreement.id);
      if (findingsOf) findings.push(findingsOf);
    }
    if (ours.aspect === 'availability') {
      for (const c of candidates) {
        if (c.agreement.kind !== 'OLA' && c.agreement.kind !== 'UC') continue;
        if (c.target.aspect !== 'availability') continue;
        if (c.target.objective >= ours.objective) continue;
        findings.push({
          kind: 'underpinning',
          agreementId: agreement.id,
          targetId: ours.id,
          ours: ours.objective,
          theirs: c.target.objective,
          unit: '%',
          dependencies: [ref(c)],
          message: `${ours.name}: the ${c.agreement.kind} ${c.agreement.id} of ${c.entityRef} promises ${c.target.objective} % availability, less than our ${ours.objective} %`,
        });
      }
    }
  }
  return findings;
}

function ref(c: Candidate) {
  return {
    entityRef: c.entityRef,
    agreementId: c.agreement.id,
    targetId: c.target.id,
  };
}

/**
 * Latency adds up along a call path: each hard dependency contributes its
 * tightest agreed `lte` threshold of the same aspect and unit; a redundancy
 * group contributes its slowest member (whichever serves the request).
 */
function latency(
  ours: Target,
  sli: { threshold: number; unit?: string },
  hard: DirectDependency[],
  candidates: Candidate[],
  agreementId: string,
): Misalignment | undefined {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const their = c.target.sli;
    if (their.kind !== 'threshold' || their.operator !== 'lte') continue;
    if (c.target.aspect !== ours.aspect || their.unit !== sli.unit) continue;
    const current = best.get(c.entityRef);
    if (
      !current ||
      their.threshold < (current.target.sli as { threshold: number }).threshold
    ) {
      best.set(c.entityRef, c);
    }
  }
  if (!best.size) return undefined;
  const value = (c: Candidate) =>
    (c.target.sli as { threshold: number }).threshold;
  const used: Candidate[] = [];
  const groups = new Map<string, Candidate>();
  for (const d of hard) {
    const c = best.get(d.entityRef);
    if (!c) continue;
    if (d.group === undefined) used.push(c);
    else {
      const slowest = groups.get(d.group);
      if (!slowest || value(c) > value(slowest)) groups.set(d.group, c);
    }
  }
  used.push(...groups.values());
  const sum = roundSignificant(used.reduce((s, c) => s + value(c), 0));
  if (sum <= sli.threshold) return undefined;
  const unit = sli.unit ? ` ${sli.unit}` : '';
  return {
    kind: 'latency',
    agreementId,
    targetId: ours.id,
    ours: sli.threshold,
    theirs: sum,
    ...(sli.unit ? { unit: sli.unit } : {}),
    dependencies: used.map(ref),
    message: `${
      ours.name
    }: the dependencies' thresholds add up to ${sum}${unit} (${used
      .map(c => `${c.entityRef} ${value(c)}${unit}`)
      .join(' + ')}), more than our ${sli.threshold}${unit}`,
  };
}
