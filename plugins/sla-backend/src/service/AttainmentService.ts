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
  subtractIntervals,
  targetStatus,
} from '../domain';
import { MeasurementStore } from '../store/MeasurementStore';
import { Coverage, planCoverage } from '../store/planCoverage';
import { sliceKey, HOUR_MS, floorTo } from '../store/rollupLevels';
import { PrefixSums } from '../store/sumCoverage';

/** Good and bad units (requests, slices, events) counted in a range. */
type Tally = { good: number; bad: number };

const LOOKBACK_KEYS = Object.keys(LOOKBACKS) as Lookback[];
const LONGEST_LOOKBACK = Math.max(...Object.values(LOOKBACKS));

function mergeCoverage(plans: Coverage[]): Coverage {
  return {
    raw: mergeIntervals(plans.flatMap(p => p.raw)),
    hour: mergeIntervals(plans.flatMap(p => p.hour)),
    day: mergeIntervals(plans.flatMap(p => p.day)),
  };
}

/**
 * Computes TargetAttainment (product.md §3) from stored measurements: reads
 * what a coverage plan of the window and the burn-rate look-backs needs, and
 * leaves the math to the pure domain functions.
 */
export class AttainmentService {
  constructor(private readonly store: MeasurementStore) {}

  async forAgreements(
    agreements: Agreement[],
    at: number,
  ): Promise<TargetAttainment[]> {
    const items: TargetAttainment[] = [];
    for (const agreement of agreements) {
      for (const target of agreement.targets) {
        items.push(await this.forTarget(agreement, target, at));
      }
    }
    return items;
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
    const result: AttainmentPoint[] = [];
    for (const t of instants) {
      const a = await this.forTarget(agreement, target, t);
      result.push({
        at: new Date(t).toISOString(),
        attainment: a.attainment,
        remaining: a.errorBudget.remaining,
        status: a.status,
      });
    }
    return result;
  }

  async forTarget(
    agreement: Agreement,
    target: Target,
    at: number,
  ): Promise<TargetAttainment> {
    const window = resolveWindow(target.window, at);
    const from = Math.min(window.start, at - LONGEST_LOOKBACK);
    const maintenance = expandMaintenanceWindows(
      agreement.maintenanceWindows ?? [],
      from,
      at,
      target.calendar?.timeZone,
    );
    const lookbackRanges = Object.fromEntries(
      LOOKBACK_KEYS.map(k => [k, { start: at - LOOKBACKS[k], end: at }]),
    ) as Record<Lookback, Interval>;

    const tallies = await this.tallies(
      agreement,
      target,
      at,
      window,
      lookbackRanges,
      maintenance,
    );
    const { window: inWindow, lookbacks } = tallies;
    const base = inWindow.good + inWindow.bad;
    const attainment = base > 0 ? (inWindow.good * 100) / base : null;
    const budget = errorBudget({
      objective: target.objective,
      allowedBase: base,
      consumed: inWindow.bad,
    });
    const burnRates = Object.fromEntries(
      LOOKBACK_KEYS.map(k => [
        k,
        burnRate(
          {
            bad: lookbacks[k].bad,
            total: lookbacks[k].good + lookbacks[k].bad,
          },
          target.objective,
        ),
      ]),
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

  private async tallies(
    agreement: Agreement,
    target: Target,
    at: number,
    window: Interval,
    lookbacks: Record<Lookback, Interval>,
    maintenance: Interval[],
  ): Promise<{ window: Tally; lookbacks: Record<Lookback, Tally> }> {
    const empty = () => ({
      window: { good: 0, bad: 0 },
      lookbacks: Object.fromEntries(
        LOOKBACK_KEYS.map(k => [k, { good: 0, bad: 0 }]),
      ) as Record<Lookback, Tally>,
    });
    const series = await this.store.getSeries(
      agreement.entityRef,
      target.metric,
    );
    if (!series || series.kind !== target.sli.kind) return empty();

    if (target.sli.kind === 'duration') {
      const sli = target.sli;
      const earliest = Math.min(window.start, at - LONGEST_LOOKBACK);
      const events = await this.store.events(series.id, earliest, at);
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

    const included = (range: Interval) => subtractIntervals(range, maintenance);
    const sets: Array<[string, Interval[]]> = [
      ['window', included(window)],
      ...LOOKBACK_KEYS.map(
        k => [k, included(lookbacks[k])] as [string, Interval[]],
      ),
    ];
    const plans = new Map(
      sets.map(([name, intervals]) => [name, planCoverage(intervals)]),
    );
    const fetchPlan = mergeCoverage([...plans.values()]);

    let tallyOf: (plan: Coverage) => Tally;
    if (target.sli.kind === 'ratio') {
      const rows = await this.store.ratioRows(series.id, fetchPlan);
      const raw = new PrefixSums(rows.raw, ['good', 'total']);
      const hour = new PrefixSums(rows.hour, ['good', 'total']);
      const day = new PrefixSums(rows.day, ['good', 'total']);
      tallyOf = plan => {
        let good = 0;
        let total = 0;
        for (const [level, ranges] of [
          [raw, plan.raw],
          [hour, plan.hour],
          [day, plan.day],
        ] as const) {
          for (const r of ranges) {
            good += level.sum('good', r);
            total += level.sum('total', r);
          }
        }
        return { good, bad: total - good };
      };
    } else {
      const sli = target.sli;
      const sliceMs = durationMs(target.timeslice ?? DEFAULT_TIMESLICE);
      const key = sliceKey(sli.operator, sli.threshold, sliceMs);
      await this.store.ensureSliceDefinition(series.id, key);
      const rows = await this.store.thresholdRows(series.id, key, fetchPlan);
      const minutes = new PrefixSums(
        rows.minutes.map(m => ({ ...m, n: 1 })),
        ['n'],
      );
      const sortedMinutes = [...rows.minutes].sort((a, b) => a.t - b.t);
      const hour = new PrefixSums(rows.hour, ['good', 'bad']);
      const day = new PrefixSums(rows.day, ['good', 'bad']);
      tallyOf = plan => {
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
        for (const [level, ranges] of [
          [hour, plan.hour],
          [day, plan.day],
        ] as const) {
          for (const r of ranges) {
            good += level.sum('good', r);
            bad += level.sum('bad', r);
          }
        }
        return { good, bad };
      };
    }
    return {
      window: tallyOf(plans.get('window')!),
      lookbacks: Object.fromEntries(
        LOOKBACK_KEYS.map(k => [k, tallyOf(plans.get(k)!)]),
      ) as Record<Lookback, Tally>,
    };
  }
}
