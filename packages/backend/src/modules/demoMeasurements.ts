import type { Measurement, Target } from '@opensla/backstage-plugin-sla-common';
import type {
  MeasurableTarget,
  SlaMetricSource,
} from '@opensla/backstage-plugin-sla-node';

/**
 * How a demo service behaves, as a multiple of the error budget its
 * targets may spend: healthy services spend a third of it, the at-risk one
 * most of it, the breached ones more than all of it.
 */
export type DemoProfile = 'healthy' | 'at-risk' | 'breached';

const BUDGET_SPEND: Record<DemoProfile, number> = {
  healthy: 0.3,
  'at-risk': 0.85,
  breached: 1.6,
};

const SAMPLE_MS = 10 * 60_000;
const INCIDENT_EVERY_MS = 36 * 3_600_000;

/** A deterministic number in [0, 1) for a key: re-collecting gives the same data. */
function noise(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** The allowance of a duration target; demo targets use days, hours and minutes. */
function allowanceMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return 4 * 3_600_000;
  const [, d, h, min] = m.map(Number);
  return ((d || 0) * 24 * 60 + (h || 0) * 60 + (min || 0)) * 60_000;
}

function stepsIn(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t < to; t += step) out.push(t);
  return out;
}

/**
 * Synthetic measurements for the demo portal, through the same metric
 * source extension point a Prometheus module uses: ratio samples and
 * latency values every 10 minutes and incidents every day and a half, shaped
 * so that each demo service lands in its profile.
 */
export class DemoMetricSource implements SlaMetricSource {
  readonly id = 'demo';

  constructor(private readonly profiles: Record<string, DemoProfile>) {}

  private profileOf(target: MeasurableTarget): DemoProfile | undefined {
    return this.profiles[target.entityRef.toLocaleLowerCase('en-US')];
  }

  canMeasure(target: MeasurableTarget): boolean {
    return this.profileOf(target) !== undefined;
  }

  async collect(
    measurable: MeasurableTarget,
    range: { from: Date; to: Date },
  ): Promise<Measurement[]> {
    const profile = this.profileOf(measurable)!;
    const { target, entityRef } = measurable;
    const from = range.from.getTime();
    const to = range.to.getTime();
    // Incidents are rarer than requests: treat them a notch kinder, or every
    // demo service would miss its resolution targets by chance.
    const spend = BUDGET_SPEND[profile];
    const badFraction = (1 - target.objective / 100) * spend;
    const key = `${entityRef}/${target.metric}`;
    switch (target.sli.kind) {
      case 'ratio':
        return stepsIn(from, to, SAMPLE_MS).map(t => {
          const total = 400 + Math.floor(noise(`${key}/n/${t}`) * 400);
          // floor(x + u) with u uniform keeps the mean of x: small budgets
          // still show the odd failed request.
          const bad = Math.floor(
            total * badFraction * 2 * noise(`${key}/b/${t}`) +
              noise(`${key}/f/${t}`),
          );
          return {
            entityRef,
            metric: target.metric,
            timestamp: new Date(t).toISOString(),
            good: total - Math.min(bad, total),
            total,
          };
        });
      case 'threshold':
        return this.thresholdValues(target, entityRef, badFraction, from, to);
      case 'duration':
        return this.incidents(target, entityRef, profile, from, to);
      default:
        return [];
    }
  }

  private thresholdValues(
    target: Target,
    entityRef: string,
    badFraction: number,
    from: number,
    to: number,
  ): Measurement[] {
    const sli = target.sli as Extract<Target['sli'], { kind: 'threshold' }>;
    const key = `${entityRef}/${target.metric}`;
    return stepsIn(from, to, SAMPLE_MS).map(t => {
      const bad = noise(`${key}/v/${t}`) < badFraction;
      const spread = noise(`${key}/s/${t}`);
      const factor = bad ? 1.2 + spread : 0.4 + 0.5 * spread;
      const value =
        sli.operator === 'lte'
          ? sli.threshold * factor
          : sli.threshold / factor;
      return {
        entityRef,
        metric: target.metric,
        timestamp: new Date(t).toISOString(),
        value: Math.round(value * 100) / 100,
      };
    });
  }

  private incidents(
    target: Target,
    entityRef: string,
    profile: DemoProfile,
    from: number,
    to: number,
  ): Measurement[] {
    const sli = target.sli as Extract<Target['sli'], { kind: 'duration' }>;
    const priority = sli.priority ?? 'P1';
    const key = `${entityRef}/${target.metric}/${priority}`;
    const failEvery = { healthy: 0, 'at-risk': 0, breached: 4 }[profile];
    const out: Measurement[] = [];
    // Events that started up to a week before `from` may close inside it.
    for (const start of stepsIn(from - 7 * 86_400_000, to, INCIDENT_EVERY_MS)) {
      const index = Math.round(start / INCIDENT_EVERY_MS);
      const fails = failEvery > 0 && index % failEvery === 0;
      const allowance = allowanceMs(sli.maxDuration);
      const length = fails
        ? allowance * 3
        : allowance * (0.1 + 0.5 * noise(`${key}/d/${start}`));
      const end = start + length;
      const base = {
        entityRef,
        metric: target.metric,
        eventId: `${priority}-${index}`,
        start: new Date(start).toISOString(),
        priority,
      };
      if (start >= from && start < to && end >= to) out.push(base);
      else if (end >= from && end < to) {
        out.push({ ...base, end: new Date(end).toISOString() });
      }
    }
    return out;
  }
}
