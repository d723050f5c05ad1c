import {
  Agreement,
  AttainmentCoverage,
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
  evaluateDurationEvents,
  evaluateThresholdBuckets,
  expandMaintenanceWindows,
  resolveWindow,
  statusOfTallies,
  statusHoldsUntil,
  budgetWarningLevel,
  HoldsInput,
} from '../domain';
import { DateTime, Duration } from 'luxon';
import {
  AgreementVersion,
  KeptFrom,
  MeasurementStore,
  MinutePoint,
  SumRange,
} from '../store/MeasurementStore';
import { SignedCoverage, planSignedCoverage } from '../store/planCoverage';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WEEK_MS,
  ceilTo,
  floorTo,
  sliceKey,
} from '../store/rollupLevels';
import type { ExperienceEvaluator } from './ExperienceEvaluator';
import { NO_TIMER, RequestTimer } from './serverTiming';
import type { TicketStore } from '../store/TicketStore';
import { emptyTallies, ticketTallies } from './ticketTallies';

import type { Tally } from '../domain';

/** The earliest raw and rollup instants a plan reads (retention). */
type Reach = { raw: number; rollups: number };

const ZERO: Tally = { good: 0, bad: 0 };

const LOOKBACK_KEYS = Object.keys(LOOKBACKS) as Lookback[];
const LONGEST_LOOKBACK = Math.max(...Object.values(LOOKBACKS));

/** The plans of a target, in the order their ids are numbered. */
const PLAN_KEYS = ['window', ...LOOKBACK_KEYS];
const ROLLUP_LEVELS: Array<['hour' | 'day' | 'week', number]> = [
  ['hour', HOUR_MS],
  ['day', DAY_MS],
  ['week', WEEK_MS],
];

/** Agreements to check in the statement that reads the figures. */
type AgreementsCheck = { entityRef: string; seen?: AgreementVersion[] };

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

/** The job's series, when one of the target's kind is stored. */
function seriesOfJob(
  series: Map<string, { id: number; kind: string }>,
  job: Job,
) {
  const s = series.get(seriesKey(job.agreement.entityRef, job.target.metric));
  return s && s.kind === job.target.sli.kind ? s : undefined;
}

/** A threshold job's slice definition key. */
function sliceKeyOf(job: Job) {
  const sli = job.target.sli as Extract<Target['sli'], { kind: 'threshold' }>;
  return sliceKey(
    sli.operator,
    sli.threshold,
    durationMs(job.target.timeslice ?? DEFAULT_TIMESLICE),
  );
}

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
    private readonly options?: {
      /**
       * false for bulk readers (every service in turn): sums kept by page
       * reads are used, but none are added (MeasurementStore.readPlans).
       */
      keepSums?: boolean;
      /** Where ticket targets read their tickets. */
      tickets?: TicketStore;
    },
  ) {}

  async forAgreements(
    agreements: Agreement[],
    at: number,
    /** Times planning, database and compute when a request asks (Server-Timing). */
    timer: RequestTimer = NO_TIMER,
  ): Promise<TargetAttainment[]> {
    return this.evaluate(
      agreements.flatMap(agreement =>
        agreement.targets.map(target => ({ agreement, target, at })),
      ),
      timer,
    );
  }

  /**
   * forAgreements for the agreements of one entity that the caller read
   * earlier (`versions`: every agreement of the entity, whatever its
   * status, by id): the statement that reads the figures also reads the
   * entity's agreements' ids and versions, and when they are not those
   * given (a write since, by this replica or another) the answer is
   * undefined, and the caller reads the agreements again. One statement
   * instead of two for a page that is read again and again.
   */
  async forAgreementsIfCurrent(
    entityRef: string,
    versions: ReadonlyMap<string, number>,
    agreements: Agreement[],
    at: number,
    timer: RequestTimer = NO_TIMER,
  ): Promise<TargetAttainment[] | undefined> {
    const check: AgreementsCheck = {
      entityRef: entityRef.toLocaleLowerCase('en-US'),
    };
    const results = await this.evaluate(
      agreements.flatMap(agreement =>
        agreement.targets.map(target => ({ agreement, target, at })),
      ),
      timer,
      check,
    );
    const seen = check.seen ?? [];
    const current =
      seen.length === versions.size &&
      seen.every(a => versions.get(a.id) === a.version);
    return current ? results : undefined;
  }

  async forTarget(
    agreement: Agreement,
    target: Target,
    at: number,
  ): Promise<TargetAttainment> {
    const [result] = await this.evaluate([{ agreement, target, at }]);
    return result;
  }

  /**
   * undefined when nothing was ever measured for the target; else an
   * instant no measurement of it is earlier than (for ratio series the
   * start of their first hour, so a window ending before it holds no data;
   * -Infinity for the other kinds, where it is not looked up).
   */
  async measuredFrom(
    agreement: Agreement,
    target: Target,
  ): Promise<number | undefined> {
    if (target.sli.kind === 'ticket') {
      // Bound instants: PostgreSQL's bigint has no infinity.
      const found = await this.options?.tickets?.ticketsForAttainment(
        [agreement.entityRef],
        0,
        Number.MAX_SAFE_INTEGER,
      );
      return (found?.length ?? 0) > 0 ? -Infinity : undefined;
    }
    const series = await this.store.getSeriesMany([
      { entityRef: agreement.entityRef, metric: target.metric },
    ]);
    const s = [...series.values()].find(x => x.kind === target.sli.kind);
    if (!s) return undefined;
    return s.kind === 'ratio'
      ? (await this.store.firstRatioHour(s.id)) ?? -Infinity
      : -Infinity;
  }

  /** One target's attainment at each of several instants, in one read. */
  async atInstants(
    agreement: Agreement,
    target: Target,
    instants: number[],
  ): Promise<TargetAttainment[]> {
    return this.evaluate(instants.map(at => ({ agreement, target, at })));
  }

  /**
   * Until when `result` (the target's attainment at `at`) keeps its status
   * and budget warning level without new data (statusHoldsUntil): computed
   * for ratio targets over a fixed-length rolling window or a calendar
   * period without maintenance windows; for any other target (and a
   * breached one, whose breach record moves with every evaluation) `at`
   * itself, so the time-driven round visits it every time.
   */
  async holdsUntil(
    agreement: Agreement,
    target: Target,
    result: TargetAttainment,
    at: number,
  ): Promise<number> {
    const [until] = await this.holdsUntilMany(
      [{ agreement, target, result }],
      at,
    );
    return until;
  }

  /**
   * holdsUntil for several targets' attainments at the same `at`: one read
   * of their series and one of their buckets per span length, whatever the
   * number of targets (the evaluation queue's claims).
   */
  async holdsUntilMany(
    items: Array<{
      agreement: Agreement;
      target: Target;
      result: TargetAttainment;
    }>,
    at: number,
  ): Promise<number[]> {
    const plans = items.map(i =>
      this.holdsPlan(i.agreement, i.target, i.result, at),
    );
    const needed = plans.filter(
      (p): p is Exclude<typeof p, number> => typeof p !== 'number',
    );
    if (!needed.length) return plans as number[];
    const series = await this.store.getSeriesMany(
      needed.map(p => ({ entityRef: p.entityRef, metric: p.metric })),
    );
    const seriesOf = (p: (typeof needed)[number]) =>
      series.get(seriesKey(p.entityRef, p.metric));
    const idsByFrom = new Map<number, number[]>();
    for (const p of needed) {
      const s = seriesOf(p);
      if (s?.kind === 'ratio') {
        idsByFrom.set(p.from, [...(idsByFrom.get(p.from) ?? []), s.id]);
      }
    }
    const reads = new Map<
      number,
      Awaited<ReturnType<MeasurementStore['ratioBucketsMany']>>
    >();
    for (const [from, ids] of idsByFrom) {
      reads.set(from, await this.store.ratioBucketsMany(ids, from, at));
    }
    return plans.map(p => {
      if (typeof p === 'number') return p;
      const s = seriesOf(p);
      if (s && s.kind !== 'ratio') return at;
      const read = s ? reads.get(p.from)!.get(s.id)! : { buckets: [] };
      return statusHoldsUntil({
        at,
        objective: p.objective,
        kept: p.kept,
        window: p.window,
        ...read,
      });
    });
  }

  /**
   * What holdsUntil needs read for one target, or the answer (`at`) when
   * it is not computed for the target.
   */
  private holdsPlan(
    agreement: Agreement,
    target: Target,
    result: TargetAttainment,
    at: number,
  ):
    | number
    | {
        entityRef: string;
        metric: string;
        objective: number;
        from: number;
        kept: { status: TargetAttainment['status']; warningLevel: number };
        window: HoldsInput['window'];
      } {
    const kept = {
      status: result.status,
      warningLevel:
        result.counted > 0
          ? budgetWarningLevel(result.errorBudget.remaining)
          : 0,
    };
    if (
      kept.status === 'breached' ||
      target.sli.kind !== 'ratio' ||
      this.experience?.handles(target) ||
      (agreement.maintenanceWindows ?? []).length > 0 ||
      result.coverage
    ) {
      return at;
    }
    let window: HoldsInput['window'];
    let from = at - LONGEST_LOOKBACK;
    if (target.window.type === 'rolling') {
      const d = Duration.fromISO(target.window.duration);
      if (!d.isValid || d.years || d.quarters || d.months) return at;
      const lengthMs = d.as('milliseconds');
      window = { type: 'rolling', lengthMs };
      from = Math.min(from, at - lengthMs);
    } else {
      const local = DateTime.fromMillis(at, { zone: target.window.timeZone });
      if (!local.isValid) return at;
      const end = local
        .startOf(target.window.unit, { useLocaleWeeks: false })
        .plus({ [target.window.unit]: 1 })
        .toMillis();
      const bad = result.errorBudget.consumed;
      window = {
        type: 'calendar',
        end,
        tally: { good: result.counted - bad, bad },
      };
    }
    return {
      entityRef: agreement.entityRef,
      metric: target.metric,
      objective: target.objective,
      from,
      kept,
      window,
    };
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
    const results = await this.atInstants(agreement, target, instants);
    return results.map((a, i) => ({
      at: new Date(instants[i]).toISOString(),
      attainment: a.attainment,
      remaining: a.errorBudget.remaining,
      status: a.status,
      ...(a.coverage?.window ? { pruned: true as const } : {}),
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
    if (target.sli.kind !== 'duration' && target.sli.kind !== 'ticket') {
      // Threshold slices that straddle a maintenance boundary are judged on
      // their samples outside it (see planSignedCoverage).
      const sliceMs =
        target.sli.kind === 'threshold'
          ? durationMs(target.timeslice ?? DEFAULT_TIMESLICE)
          : undefined;
      // Edges close to an hour boundary read that hour's rollup minus the
      // few minutes outside the range (planSignedCoverage alignEdges).
      const align = { alignEdges: true };
      plans.set(
        'window',
        planSignedCoverage(window, maintenance, sliceMs, align),
      );
      for (const k of LOOKBACK_KEYS) {
        plans.set(
          k,
          planSignedCoverage(lookbacks[k], maintenance, sliceMs, align),
        );
      }
    }
    return { agreement, target, at, window, lookbacks, maintenance, plans };
  }

  private async evaluate(
    requests: Array<{ agreement: Agreement; target: Target; at: number }>,
    timer: RequestTimer = NO_TIMER,
    check?: AgreementsCheck,
  ): Promise<TargetAttainment[]> {
    const xla = this.experience;
    if (xla && requests.some(r => xla.handles(r.target))) {
      const results = await xla.evaluateAlongside(requests, rest =>
        this.evaluate(rest, timer, check),
      );
      // Only experience targets: the check still needs its statement.
      if (check && !check.seen) await this.evaluate([], timer, check);
      return results;
    }
    const jobs = timer.timeSync('planning', () =>
      requests.map(r => this.prepare(r.agreement, r.target, r.at)),
    );
    const series = await timer.time('database', () =>
      this.store.getSeriesMany(
        jobs.map(j => ({
          entityRef: j.agreement.entityRef,
          metric: j.target.metric,
        })),
      ),
    );
    return this.readAndCompute(jobs, series, timer, check);
  }

  private async readAndCompute(
    jobs: Job[],
    series: Map<string, { id: number; kind: string }>,
    timer: RequestTimer,
    check?: AgreementsCheck,
  ): Promise<TargetAttainment[]> {
    const planned = timer.timeSync('planning', () =>
      this.rangesOf(jobs, series),
    );
    const { ratioRanges, sliceRanges, minuteRanges, sampleRanges } = planned;
    const { completeFrom, read } = await timer.time('database', async () => {
      const built = await this.store.ensureSliceDefinitions([
        ...new Map(
          sliceRanges.map(r => [
            `${r.seriesId}|${r.sliceKey}`,
            { seriesId: r.seriesId, key: r.sliceKey! },
          ]),
        ).values(),
      ]);
      return {
        completeFrom: built,
        read: await this.store.readPlans(
          {
            ratio: ratioRanges,
            slices: sliceRanges,
            minutes: [...minuteRanges].map(([seriesId, ranges]) => ({
              seriesId,
              ranges,
            })),
            samples: [...sampleRanges]
              .filter(([, ranges]) => ranges.length > 0)
              .map(([seriesId, ranges]) => ({ seriesId, ranges })),
            agreementsOf: check?.entityRef,
          },
          { keep: this.options?.keepSums },
        ),
      };
    });
    if (check) check.seen = read.agreements;
    return timer.time('compute', () =>
      this.compute(jobs, series, planned.reach, completeFrom, read),
    );
  }

  /** Every range of every plan of every target, by table. */
  private rangesOf(
    jobs: Job[],
    series: Map<string, { id: number; kind: string }>,
  ) {
    const seriesOf = (job: Job) => seriesOfJob(series, job);

    // Every range of every plan of every target, summed by the database in
    // one statement per table; only threshold edges come back as rows.
    const ratioRanges: SumRange[] = [];
    const sliceRanges: SumRange[] = [];
    const minuteRanges = new Map<number, Interval[]>();
    const sampleRanges = new Map<number, Interval[]>();
    // Per plan id, the earliest instant it reads raw detail and rollups
    // from, to compare with the series' kept-from stamps (retention).
    const reach = new Map<number, Reach>();
    const reachOf = (id: number) => {
      let r = reach.get(id);
      if (!r) {
        r = { raw: Infinity, rollups: Infinity };
        reach.set(id, r);
      }
      return r;
    };
    const reachRaw = (id: number, ranges: Interval[]) => {
      const r = reachOf(id);
      for (const range of ranges) r.raw = Math.min(r.raw, range.start);
    };
    // Whole minutes from the per-minute extremes, a partial minute at either
    // end from its samples (a sample before the range's start or at/after
    // its end never counts). Slices that are not whole minutes (PT90S) cut
    // minutes in two: their edges are read sample by sample.
    const readEdges = (
      seriesId: number,
      ranges: Interval[],
      byMinute: boolean,
    ) => {
      const whole = minuteRanges.get(seriesId) ?? [];
      const partial = sampleRanges.get(seriesId) ?? [];
      for (const r of ranges) {
        if (!byMinute) {
          partial.push(r);
          continue;
        }
        const split = splitAtMinutes(r);
        whole.push(...split.whole);
        partial.push(...split.partial);
      }
      minuteRanges.set(seriesId, whole);
      sampleRanges.set(seriesId, partial);
    };
    jobs.forEach((job, j) => {
      const s = seriesOf(job);
      if (
        !s ||
        job.target.sli.kind === 'duration' ||
        job.target.sli.kind === 'ticket'
      ) {
        return;
      }
      const key =
        job.target.sli.kind === 'threshold' ? sliceKeyOf(job) : undefined;
      PLAN_KEYS.forEach((planKey, p) => {
        const plan = job.plans.get(planKey)!;
        const id = j * PLAN_KEYS.length + p;
        for (const [sign, coverage] of [
          [1, plan.plus],
          [-1, plan.minus],
        ] as const) {
          for (const [level, resolution] of ROLLUP_LEVELS) {
            for (const r of coverage[level]) {
              reachOf(id).rollups = Math.min(reachOf(id).rollups, r.start);
              (key === undefined ? ratioRanges : sliceRanges).push({
                id,
                seriesId: s.id,
                sliceKey: key,
                resolution,
                start: r.start,
                end: r.end,
                sign,
              });
            }
          }
          reachRaw(id, coverage.raw);
          if (key === undefined) {
            for (const r of coverage.raw) {
              ratioRanges.push({
                id,
                seriesId: s.id,
                resolution: 0,
                start: r.start,
                end: r.end,
                sign,
              });
            }
          } else if (coverage.raw.length) {
            readEdges(s.id, coverage.raw, wholeMinutes(job.target));
          }
        }
        reachRaw(id, plan.back);
        if (key !== undefined && plan.back.length) {
          // The parts of straddling slices outside maintenance: read like
          // raw edges.
          readEdges(s.id, plan.back, wholeMinutes(job.target));
        }
      });
    });
    return { ratioRanges, sliceRanges, minuteRanges, sampleRanges, reach };
  }

  /** The figures of every job from what the database answered. */
  private async compute(
    jobs: Job[],
    series: Map<string, { id: number; kind: string }>,
    reach: Map<number, Reach>,
    completeFrom: Map<string, number | undefined>,
    read: Awaited<ReturnType<MeasurementStore['readPlans']>>,
  ): Promise<TargetAttainment[]> {
    const seriesOf = (job: Job) => seriesOfJob(series, job);
    const {
      ratio: ratioSums,
      slices: sliceSums,
      minutes,
      samples,
      kept,
    } = read;
    const results: TargetAttainment[] = [];
    for (const [j, job] of jobs.entries()) {
      const s = seriesOf(job);
      let tallies: { window: Tally; lookbacks: Record<Lookback, Tally> };
      let coverage: AttainmentCoverage | undefined;
      if (job.target.sli.kind === 'ticket') {
        tallies = await ticketTallies(this.options?.tickets, job);
      } else if (!s) {
        tallies = emptyTallies();
      } else if (job.target.sli.kind === 'duration') {
        const duration = await this.durationTallies(job, s.id);
        tallies = duration.tallies;
        coverage = coverageOf(duration.kept, p => {
          const start =
            p === 0
              ? job.window.start
              : job.lookbacks[LOOKBACK_KEYS[p - 1]].start;
          return { raw: Infinity, rollups: start };
        });
      } else {
        const key =
          job.target.sli.kind === 'threshold' ? sliceKeyOf(job) : undefined;
        const from = kept.get(s.id);
        const built = key ? completeFrom.get(`${s.id}|${key}`) : undefined;
        coverage = coverageOf(
          from && {
            raw: from.raw,
            rollups: Math.max(from.rollups ?? -Infinity, built ?? -Infinity),
          },
          p => reach.get(j * PLAN_KEYS.length + p),
        );
        if (!from && built !== undefined) {
          coverage = coverageOf({ rollups: built }, p =>
            reach.get(j * PLAN_KEYS.length + p),
          );
        }
        const edges =
          job.target.sli.kind === 'threshold'
            ? thresholdEdges(
                job.target,
                minutes.get(s.id) ?? [],
                samples.get(s.id) ?? [],
              )
            : undefined;
        const tallyOf = (planKey: string, p: number): Tally => {
          const id = j * PLAN_KEYS.length + p;
          const plan = job.plans.get(planKey)!;
          const plus = edges?.separately(plan.plus.raw) ?? ZERO;
          const minus = edges?.separately(plan.minus.raw) ?? ZERO;
          const back = edges?.together(plan.back) ?? ZERO;
          let good = plus.good - minus.good + back.good;
          let bad = plus.bad - minus.bad + back.bad;
          if (job.target.sli.kind === 'ratio') {
            const sum = ratioSums.get(id);
            if (sum) {
              good += sum.good;
              bad += sum.total - sum.good;
            }
          } else {
            const sum = sliceSums.get(id);
            if (sum) {
              good += sum.good;
              bad += sum.bad;
            }
          }
          return { good, bad };
        };
        tallies = {
          window: tallyOf('window', 0),
          lookbacks: Object.fromEntries(
            LOOKBACK_KEYS.map((k, i) => [k, tallyOf(k, i + 1)]),
          ) as Record<Lookback, Tally>,
        };
      }
      results.push(present(job, tallies, coverage));
    }
    return results;
  }

  private async durationTallies(job: Job, seriesId: number) {
    const { agreement, target, at, window, lookbacks } = job;
    const sli = target.sli as Extract<Target['sli'], { kind: 'duration' }>;
    const earliest = Math.min(window.start, at - LONGEST_LOOKBACK);
    const events = await this.store.events(seriesId, earliest, at);
    // Read after the events: a pruning that took some has moved the stamp.
    const kept = (await this.store.keptFrom([seriesId])).get(seriesId);
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
      tallies: {
        window: tally(window.start),
        lookbacks: Object.fromEntries(
          LOOKBACK_KEYS.map(k => [k, tally(lookbacks[k].start)]),
        ) as Record<Lookback, Tally>,
      },
      kept,
    };
  }
}

/**
 * Which plans (0: the window, then the look-backs in LOOKBACK_KEYS order)
 * read before where the series' kept detail starts; undefined when none.
 */
function coverageOf(
  kept: KeptFrom | undefined,
  reachOfPlan: (p: number) => Reach | undefined,
): AttainmentCoverage | undefined {
  if (!kept) return undefined;
  const rawFrom = kept.raw ?? -Infinity;
  const rollupsFrom = kept.rollups ?? -Infinity;
  const pruned = PLAN_KEYS.map((_, p) => {
    const r = reachOfPlan(p);
    return r !== undefined && (r.raw < rawFrom || r.rollups < rollupsFrom);
  });
  if (!pruned.some(Boolean)) return undefined;
  return {
    pruned: true,
    window: pruned[0],
    burnRates: LOOKBACK_KEYS.filter((_, i) => pruned[i + 1]),
    ...(kept.raw !== undefined
      ? { detailKeptFrom: new Date(kept.raw).toISOString() }
      : {}),
    ...(kept.rollups !== undefined && Number.isFinite(kept.rollups)
      ? { rollupsKeptFrom: new Date(kept.rollups).toISOString() }
      : {}),
  };
}

/** Whether a threshold target's slices are whole minutes (see readEdges). */
function wholeMinutes(target: Target): boolean {
  return durationMs(target.timeslice ?? DEFAULT_TIMESLICE) % MINUTE_MS === 0;
}

/**
 * A raw range as whole minutes (read from the per-minute extremes) and the
 * partial minutes at its ends (read sample by sample).
 */
function splitAtMinutes(r: Interval): {
  whole: Interval[];
  partial: Interval[];
} {
  const inner = ceilTo(r.start, MINUTE_MS);
  const outer = floorTo(r.end, MINUTE_MS);
  if (inner >= outer) return { whole: [], partial: [r] };
  const partial: Interval[] = [];
  if (r.start < inner) partial.push({ start: r.start, end: inner });
  if (outer < r.end) partial.push({ start: outer, end: r.end });
  return { whole: [{ start: inner, end: outer }], partial };
}

/**
 * Good and bad slices in raw ranges (the ragged edges of a plan), from the
 * per-minute extremes of a threshold series for the whole minutes of each
 * range and its samples for the partial minutes at the range's ends. (A
 * sample may also come back for a minute that is whole in this range, when
 * it lies at another range's end: its minute's extreme already covers it,
 * so it cannot change the slice's verdict.)
 *
 * `separately` judges each range on its own (the edges of a plan never share
 * a slice); `together` judges the slices of all ranges at once, so a slice
 * with data in two of them counts once, by its worst value in either (the
 * parts of a slice on both sides of a maintenance window).
 */
function thresholdEdges(
  target: Target,
  sortedMinutes: MinutePoint[],
  sortedSamples: MinutePoint[],
): {
  separately: (ranges: Interval[]) => Tally;
  together: (ranges: Interval[]) => Tally;
} {
  const sli = target.sli as Extract<Target['sli'], { kind: 'threshold' }>;
  const sliceMs = durationMs(target.timeslice ?? DEFAULT_TIMESLICE);
  const lowerBound = (points: MinutePoint[], t: number) => {
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[mid].t < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const within = (points: MinutePoint[], start: number, end: number) =>
    end > start
      ? points.slice(lowerBound(points, start), lowerBound(points, end))
      : [];
  const byMinute = wholeMinutes(target);
  const pointsIn = (r: Interval) => [
    ...(byMinute
      ? within(
          sortedMinutes,
          ceilTo(r.start, MINUTE_MS),
          floorTo(r.end, MINUTE_MS),
        )
      : []),
    ...within(sortedSamples, r.start, r.end),
  ];
  const judge = (points: MinutePoint[], start: number, end: number) =>
    evaluateThresholdBuckets(points, {
      operator: sli.operator,
      threshold: sli.threshold,
      sliceMs,
      excluded: [],
      start,
      end,
    });
  return {
    separately: ranges => {
      let good = 0;
      let bad = 0;
      for (const r of ranges) {
        const slices = judge(pointsIn(r), r.start, r.end);
        good += slices.good;
        bad += slices.bad;
      }
      return { good, bad };
    },
    together: ranges =>
      ranges.length
        ? judge(ranges.flatMap(pointsIn), -Infinity, Infinity)
        : { good: 0, bad: 0 },
  };
}

function present(
  job: Job,
  tallies: { window: Tally; lookbacks: Record<Lookback, Tally> },
  coverage?: AttainmentCoverage,
): TargetAttainment {
  const { target, agreement, window } = job;
  const figures = statusOfTallies(
    target.objective,
    tallies.window,
    tallies.lookbacks,
  );
  return {
    targetId: target.id,
    agreementId: agreement.id,
    name: target.name,
    window: {
      start: new Date(window.start).toISOString(),
      end: new Date(window.end).toISOString(),
    },
    attainment: figures.attainment,
    objective: target.objective,
    status: figures.status,
    errorBudget: figures.budget,
    burnRates: figures.burnRates,
    alerts: figures.alerts,
    counted: figures.counted,
    ...(coverage ? { coverage } : {}),
  };
}
