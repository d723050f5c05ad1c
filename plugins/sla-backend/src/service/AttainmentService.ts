import {
  Agreement,
  Target,
  TargetAttainment,
  AttainmentPoint,
} from '@opensla/backstage-plugin-sla-common';
import {
  Interval,
  LOOKBACKS,
  Lookback,
  DEFAULT_TIMESLICE,
  durationMs,
  errorBudget,
  burnRate,
  evaluateBurnAlerts,
  evaluateDurationEvents,
  evaluateThresholdBuckets,
  expandMaintenanceWindows,
  mergeIntervals,
  resolveWindow,
  targetStatus,
} from '../domain';
import { MeasurementStore } from '../store/MeasurementStore';
import {
  Coverage,
  SignedCoverage,
  emptyCoverage,
  planSignedCoverage,
} from '../store/planCoverage';
import { sliceKey, HOUR_MS, floorTo } from '../store/rollupLevels';
import { PrefixSums } from '../store/sumCoverage';
import type { ExperienceEvaluator } from './ExperienceEvaluator';

/** Good and bad units (requests, slices, events) counted in a range. */
type Tally = { good: number; bad: number };

const LOOKBACK_KEYS = Object.keys(LOOKBACKS) as Lookback[];
const LONGEST_LOOKBACK = Math.max(...Object.values(LOOKBACKS));

/** Everything a set of plans reads, merged, so each row is fetched once. */
function mergeCoverage(plans: SignedCoverage[]): Coverage {
  const all = plans.flatMap(p => [p.plus, p.minus]);
  const merged = emptyCoverage();
  for (const level of Object.keys(merged) as Array<keyof Coverage>) {
    merged[level] = mergeIntervals(all.flatMap(p => p[level]));
  }
  return merged;
}

/** A plan's count: what its plus pieces hold minus what its minus pieces hold. */
function signedTally(
  plan: SignedCoverage,
  tally: (c: Coverage) => Tally,
): Tally {
  const plus = tally(plan.plus);
  const minus = tally(plan.minus);
  return { good: plus.good - minus.good, bad: plus.bad - minus.bad };
}

type Job = {
  agreement: Agreement;
  target: Target;
  at: number;
  window: Interval;
  lookbacks: Record<Lookback, Interval>;
  maintenance: Interval[];
  plans: Map<string, SignedCoverage>;
};

const seriesKey = (entityRef: string, metric: string) =>
  `${entityRef.toLocaleLowerCase('en-US')}\u0000${metric}`;

/**
 * Computes TargetAttainment (product.md §3) from stored measurements: plans
 * what the window and the burn-rate look-backs of every target need, reads
 * it for all targets at once (a handful of queries per request, whatever
 * the number of targets), and leaves the math to the pure domain functions.
 */
export class AttainmentService {
  constructor(
    private readonly store: MeasurementStore,
    /** Evaluates XLA targets from feedback (satisfaction), when given. */
    private readonly experience?: ExperienceEvaluator,
  ) {}

  async forAgreements(
    agreements: Agreement[],
    at: number,
  ): Promise<TargetAttainment[]> {
    return this.evaluate(
      agreements.flatMap(agreement =>
        agreement.targets.map(target => ({ agreement, target, at })),
      ),
    );
  }

  async forTarget(
    agreement: Agreement,
    target: Target,
    at: number,
  ): Promise<TargetAttainment> {
    const [result] = await this.evaluate([{ agreement, target, at }]);
    return result;
  }

  async timeline(
    agreement: Agreement,
    target: Target,
    at: number,
    points: number,
  ): Promise<AttainmentPoint[]> {
    const window = resolveWindow(target.window, at);
    const span = Math.max(at - window.start, 1);
    const instants: number[] = [];
    for (let i = 1; i <= points; i++) {
      const t = window.start + (span * i) / points;
      // Whole hours read rollups only; the last point is `at` itself.
      instants.push(
        i === points || span < 2 * 86_400_000
          ? Math.round(t)
          : floorTo(t, HOUR_MS),
      );
    }
    const results = await this.evaluate(
      instants.map(t => ({ agreement, target, at: t })),
    );
    return results.map((a, i) => ({
      at: new Date(instants[i]).toISOString(),
      attainment: a.attainment,
      remaining: a.errorBudget.remaining,
      status: a.status,
    }));
  }

  private prepare(agreement: Agreement, target: Target, at: number): Job {
    const window = resolveWindow(target.window, at);
    const from = Math.min(window.start, at - LONGEST_LOOKBACK);
    const maintenance = expandMaintenanceWindows(
      agreement.maintenanceWindows ?? [],
      from,
      at,
      target.calendar?.timeZone,
    );
    const lookbacks = Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, { start: at - LOOKBACKS[k], end: at }]),
    ) as Record<Lookback, Interval>;
    const plans = new Map<string, SignedCoverage>();
    if (target.sli.kind !== 'duration') {
      plans.set('window', planSignedCoverage(window, maintenance));
      for (const k of LOOKBACK_KEYS) {
        plans.set(k, planSignedCoverage(lookbacks[k], maintenance));
      }
    }
    return { agreement, target, at, window, lookbacks, maintenance, plans };
  }

  private async evaluate(
    requests: Array<{ agreement: Agreement; target: Target; at: number }>,
  ): Promise<TargetAttainment[]> {
    const xla = this.experience;
    if (xla && requests.some(r => xla.handles(r.target))) {
      return xla.evaluateAlongside(requests, rest => this.evaluate(rest));
    }
    const jobs = requests.map(r => this.prepare(r.agreement, r.target, r.at));
    const series = await this.store.getSeriesMany(
      jobs.map(j => ({
        entityRef: j.agreement.entityRef,
        metric: j.target.metric,
      })),
    );
    const seriesOf = (job: Job) => {
      const s = series.get(
        seriesKey(job.agreement.entityRef, job.target.metric),
      );
      return s && s.kind === job.target.sli.kind ? s : undefined;
    };
    const sliceKeyOf = (job: Job) => {
      const sli = job.target.sli as Extract<
        Target['sli'],
        { kind: 'threshold' }
      >;
      return sliceKey(
        sli.operator,
        sli.threshold,
        durationMs(job.target.timeslice ?? DEFAULT_TIMESLICE),
      );
    };

    // Every read of every target, merged per series: one query per table.
    const ratioPlans = new Map<number, SignedCoverage[]>();
    const thresholdPlans = new Map<
      string,
      { seriesId: number; key: string; plans: SignedCoverage[] }
    >();
    for (const job of jobs) {
      const s = seriesOf(job);
      if (!s) continue;
      if (job.target.sli.kind === 'ratio') {
        ratioPlans.set(s.id, [
          ...(ratioPlans.get(s.id) ?? []),
          ...job.plans.values(),
        ]);
      } else if (job.target.sli.kind === 'threshold') {
        const key = sliceKeyOf(job);
        const entry = thresholdPlans.get(`${s.id}|${key}`) ?? {
          seriesId: s.id,
          key,
          plans: [],
        };
        entry.plans.push(...job.plans.values());
        thresholdPlans.set(`${s.id}|${key}`, entry);
      }
    }
    await this.store.ensureSliceDefinitions([...thresholdPlans.values()]);
    const [ratioRows, thresholdRows] = await Promise.all([
      this.store.ratioRowsMany(
        [...ratioPlans].map(([seriesId, plans]) => ({
          seriesId,
          plan: mergeCoverage(plans),
        })),
      ),
      this.store.thresholdRowsMany(
        [...thresholdPlans.values()].map(e => ({
          seriesId: e.seriesId,
          key: e.key,
          plan: mergeCoverage(e.plans),
        })),
      ),
    ]);

    const ratioSums = new Map<number, (plan: Coverage) => Tally>();
    for (const [seriesId, rows] of ratioRows) {
      const raw = new PrefixSums(rows.raw, ['good', 'total']);
      const hour = new PrefixSums(rows.hour, ['good', 'total']);
      const day = new PrefixSums(rows.day, ['good', 'total']);
      const week = new PrefixSums(rows.week, ['good', 'total']);
      ratioSums.set(seriesId, plan => {
        const [good, total] = sumLevels({ raw, hour, day, week }, plan, [
          'good',
          'total',
        ]);
        return { good, bad: total - good };
      });
    }

    const results: TargetAttainment[] = [];
    for (const job of jobs) {
      const s = seriesOf(job);
      let tallies: { window: Tally; lookbacks: Record<Lookback, Tally> };
      if (!s) {
        tallies = emptyTallies();
      } else if (job.target.sli.kind === 'duration') {
        tallies = await this.durationTallies(job, s.id);
      } else {
        let tallyOf: (plan: Coverage) => Tally;
        if (job.target.sli.kind === 'ratio') {
          tallyOf = ratioSums.get(s.id) ?? (() => ({ good: 0, bad: 0 }));
        } else {
          const key = sliceKeyOf(job);
          const rows = thresholdRows.get(`${s.id}|${key}`) ?? {
            minutes: [],
            hour: [],
            day: [],
            week: [],
          };
          tallyOf = thresholdTally(job.target, rows);
        }
        tallies = {
          window: signedTally(job.plans.get('window')!, tallyOf),
          lookbacks: Object.fromEntries(
            LOOKBACK_KEYS.map(k => [
              k,
              signedTally(job.plans.get(k)!, tallyOf),
            ]),
          ) as Record<Lookback, Tally>,
        };
      }
      results.push(present(job, tallies));
    }
    return results;
  }

  private async durationTallies(job: Job, seriesId: number) {
    const { agreement, target, at, window, lookbacks } = job;
    const sli = target.sli as Extract<Target['sli'], { kind: 'duration' }>;
    const earliest = Math.min(window.start, at - LONGEST_LOOKBACK);
    const events = await this.store.events(seriesId, earliest, at);
    const spanStart = Math.min(earliest, ...events.map(e => e.start));
    const excluded = expandMaintenanceWindows(
      agreement.maintenanceWindows ?? [],
      spanStart,
      at,
      target.calendar?.timeZone,
    );
    const tally = (windowStart: number): Tally => {
      const r = evaluateDurationEvents(
        events,
        {
          maxDuration: sli.maxDuration,
          priority: sli.priority,
          calendar: target.calendar,
        },
        { excluded, windowStart, at },
      );
      return { good: r.met, bad: r.failed };
    };
    return {
      window: tally(window.start),
      lookbacks: Object.fromEntries(
        LOOKBACK_KEYS.map(k => [k, tally(lookbacks[k].start)]),
      ) as Record<Lookback, Tally>,
    };
  }
}

/** Σ of two columns over every piece of a plan that the given levels answer. */
function sumLevels<K extends string>(
  levels: Partial<Record<keyof Coverage, PrefixSums<K>>>,
  plan: Coverage,
  [first, second]: [K, K],
): [number, number] {
  let a = 0;
  let b = 0;
  for (const level of Object.keys(levels) as Array<keyof Coverage>) {
    const sums = levels[level]!;
    for (const r of plan[level]) {
      a += sums.sum(first, r);
      b += sums.sum(second, r);
    }
  }
  return [a, b];
}

function emptyTallies() {
  return {
    window: { good: 0, bad: 0 },
    lookbacks: Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, { good: 0, bad: 0 }]),
    ) as Record<Lookback, Tally>,
  };
}

function thresholdTally(
  target: Target,
  rows: {
    minutes: Array<{ t: number; min: number; max: number }>;
    hour: Array<{ t: number; good: number; bad: number }>;
    day: Array<{ t: number; good: number; bad: number }>;
    week: Array<{ t: number; good: number; bad: number }>;
  },
): (plan: Coverage) => Tally {
  const sli = target.sli as Extract<Target['sli'], { kind: 'threshold' }>;
  const sliceMs = durationMs(target.timeslice ?? DEFAULT_TIMESLICE);
  const sortedMinutes = [...rows.minutes].sort((a, b) => a.t - b.t);
  const minutes = new PrefixSums(
    sortedMinutes.map(m => ({ t: m.t, n: 1 })),
    ['n'],
  );
  const hour = new PrefixSums(rows.hour, ['good', 'bad']);
  const day = new PrefixSums(rows.day, ['good', 'bad']);
  const week = new PrefixSums(rows.week, ['good', 'bad']);
  return plan => {
    let good = 0;
    let bad = 0;
    for (const r of plan.raw) {
      const [a, b] = minutes.indexes(r);
      const slices = evaluateThresholdBuckets(sortedMinutes.slice(a, b), {
        operator: sli.operator,
        threshold: sli.threshold,
        sliceMs,
        excluded: [],
        start: r.start,
        end: r.end,
      });
      good += slices.good;
      bad += slices.bad;
    }
    const [rolledGood, rolledBad] = sumLevels({ hour, day, week }, plan, [
      'good',
      'bad',
    ]);
    return { good: good + rolledGood, bad: bad + rolledBad };
  };
}

function present(
  job: Job,
  tallies: { window: Tally; lookbacks: Record<Lookback, Tally> },
): TargetAttainment {
  const { target, agreement, window } = job;
  const inWindow = tallies.window;
  const base = inWindow.good + inWindow.bad;
  const attainment = base > 0 ? (inWindow.good * 100) / base : null;
  const budget = errorBudget({
    objective: target.objective,
    allowedBase: base,
    consumed: inWindow.bad,
  });
  const burnRates = Object.fromEntries(
    LOOKBACK_KEYS.map(k => {
      const l = tallies.lookbacks[k];
      return [
        k,
        burnRate({ bad: l.bad, total: l.good + l.bad }, target.objective),
      ];
    }),
  ) as Record<Lookback, number | null>;
  const alerts = evaluateBurnAlerts(burnRates);
  return {
    targetId: target.id,
    agreementId: agreement.id,
    name: target.name,
    window: {
      start: new Date(window.start).toISOString(),
      end: new Date(window.end).toISOString(),
    },
    attainment,
    objective: target.objective,
    status: targetStatus({
      counted: base,
      attainment,
      objective: target.objective,
      remaining: budget.remaining,
      alerts,
    }),
    errorBudget: budget,
    burnRates,
    alerts,
    counted: base,
  };
}
