import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { StatusSource, TargetState, statusSource } from '../domain/portfolio';
import { KeptStatus, TargetStatusStore } from '../store/TargetStatusStore';
import { AttainmentService } from './AttainmentService';
import { StampedCache } from './StampedCache';
import type {
  PortfolioServiceRecord,
  ServiceStatuses,
  ServiceTarget,
  Statuses,
} from './portfolioServices';

/** How old a status kept by the breach evaluator may be (two rounds). */
export const DEFAULT_MAX_STATUS_AGE_MS = 10 * 60_000;
const CLOCK_MARGIN_MS = 60_000;
/** Agreements whose targets are evaluated per attainment read. */
const BATCH = 2_000;
/** Whole hours whose snapshots are kept in memory at once. */
const SNAPSHOT_HOURS_KEPT = 4;

type Evaluated = { since: number; byKey: Map<string, KeptStatus> };

/**
 * The statuses of the portfolio's targets at an instant: from what the
 * breach evaluator keeps (the current instant) and the whole-hour
 * snapshots (past instants), each kept in memory under its database stamp
 * (StampedCache), the rest evaluated for the request. Only the scheduled
 * task stores snapshots (`keep: true`): a GET never writes.
 * @internal
 */
export class PortfolioStatuses {
  private readonly evaluatedCache: StampedCache<Evaluated>;
  private readonly snapshotCaches = new Map<
    number,
    StampedCache<Map<string, KeptStatus>>
  >();

  constructor(
    private readonly options: {
      statuses: TargetStatusStore;
      attainment: AttainmentService;
      /** How old a status kept by the breach evaluator may be (ms). */
      maxStatusAgeMs?: number;
    },
  ) {
    this.evaluatedCache = new StampedCache(() =>
      options.statuses.evaluatedStamp(),
    );
  }

  private get maxStatusAgeMs() {
    return this.options.maxStatusAgeMs ?? DEFAULT_MAX_STATUS_AGE_MS;
  }

  /**
   * The breach evaluator's statuses: read in full once, then, when their
   * stamp moved, what was evaluated since the last read.
   */
  private async evaluated(): Promise<Map<string, KeptStatus>> {
    const kept = await this.evaluatedCache.read(async previous => {
      // evaluated_at only grows per target; a minute's margin for the
      // clocks of other replicas.
      const rows = await this.options.statuses.evaluatedSince(
        previous ? previous.since - CLOCK_MARGIN_MS : undefined,
      );
      if (!rows.length && previous) return previous;
      // a new map when anything was read: what was derived from the old
      // one (resolved) is keyed by it
      const byKey = new Map<string, KeptStatus>(previous?.byKey ?? []);
      let since = previous?.since ?? 0;
      for (const r of rows) {
        const k = TargetStatusStore.key(r.agreementId, r.targetId);
        const before = byKey.get(k);
        if (!before || before.at <= r.at) byKey.set(k, r);
        since = Math.max(since, r.at);
      }
      return { since, byKey };
    });
    return kept.byKey;
  }

  /** Snapshots of a few whole hours, read again when their stamp moves. */
  private async snapshots(at: number): Promise<Map<string, KeptStatus>> {
    let cache = this.snapshotCaches.get(at);
    if (!cache) {
      if (this.snapshotCaches.size >= SNAPSHOT_HOURS_KEPT) {
        this.snapshotCaches.clear();
      }
      cache = new StampedCache(() => this.options.statuses.snapshotsStamp(at));
      this.snapshotCaches.set(at, cache);
    }
    return cache.read(() => this.options.statuses.snapshots(at));
  }

  /**
   * Per service, the kept status of each of its targets (same order) when
   * it was kept for the target's current definition: looked up once per
   * kept map and service, not per request.
   */
  private resolved(kept: Map<string, KeptStatus>) {
    let byService = this.resolvedCache.get(kept);
    if (!byService) {
      byService = new WeakMap();
      this.resolvedCache.set(kept, byService);
    }
    const memo = byService;
    return (service: PortfolioServiceRecord) => {
      let list = memo.get(service);
      if (!list) {
        list = service.targets.map(t => {
          const k = kept.get(t.key);
          return k && k.fingerprint === t.fingerprint ? k : undefined;
        });
        memo.set(service, list);
      }
      return list;
    };
  }

  private resolvedCache = new WeakMap<
    Map<string, KeptStatus>,
    WeakMap<PortfolioServiceRecord, Array<KeptStatus | undefined>>
  >();

  /**
   * Where the statuses at `at` are read from and what is kept there (the
   * same map object while its database stamp holds): undefined for an
   * instant that is evaluated (`evaluate`).
   */
  async keptAt(
    at: number,
    now: number,
  ): Promise<
    { source: StatusSource; kept: Map<string, KeptStatus> } | undefined
  > {
    const source = statusSource(at, now, this.maxStatusAgeMs);
    if (source.kind === 'live') return { source, kept: await this.evaluated() };
    if (source.kind === 'snapshot') {
      return { source, kept: await this.snapshots(source.at) };
    }
    return undefined;
  }

  /**
   * One service's statuses at `at` as statusesAt answers them, from what
   * `keptAt(at)` answered, when every target in force has a usable kept
   * status (with the earliest instant one is for); undefined when one
   * would have to be evaluated. No database read.
   */
  fromKept(
    service: PortfolioServiceRecord,
    at: number,
    kept: { source: StatusSource; kept: Map<string, KeptStatus> },
  ): (ServiceStatuses & { oldest: number }) | undefined {
    const { source } = kept;
    const keptOf = this.resolved(kept.kept)(service);
    const statuses: TargetState[] = [];
    const aspects: string[] = [];
    let oldest = Infinity;
    for (let j = 0; j < service.targets.length; j++) {
      const t = service.targets[j];
      if (!(t.span !== undefined && t.span.from <= at && t.span.until > at)) {
        continue;
      }
      const k = keptOf[j];
      if (
        !k ||
        (source.kind === 'live' && !(k.at >= source.oldest && k.at <= at))
      ) {
        return undefined;
      }
      aspects.push(t.aspect);
      statuses.push(k.status);
      if (k.at < oldest) oldest = k.at;
    }
    return { statuses, aspects, oldest };
  }

  /**
   * The status of every target in force at `at`, by service: from the
   * statuses kept (statusSource), the rest evaluated in batches of
   * agreements (one read per table per batch). Only the scheduled task
   * (`keep: true`) stores what it evaluated as snapshots: a GET never
   * writes (issue 13), it uses what is stored and computes the rest.
   */
  async statusesAt(
    services: PortfolioServiceRecord[],
    at: number,
    now: number,
    options: { keep?: boolean; signal?: AbortSignal } = {},
  ): Promise<Statuses> {
    const source = statusSource(at, now, this.maxStatusAgeMs);
    const inForce = (t: ServiceTarget) =>
      t.span !== undefined && t.span.from <= at && t.span.until > at;
    let kept: Map<string, KeptStatus> | undefined;
    if (services.some(s => s.targets.some(inForce))) {
      if (source.kind === 'live') kept = await this.evaluated();
      else if (source.kind === 'snapshot') {
        kept = await this.snapshots(source.at);
      }
    }
    let asOf = source.at;
    const missing = new Map<
      string,
      { agreement: Agreement; targets: Target[] }
    >();
    const missingOf = new Map<
      string,
      { target: ServiceTarget; statuses: TargetState[]; index: number }
    >();
    const resolved = kept ? this.resolved(kept) : undefined;
    const byService: ServiceStatuses[] = [];
    for (const s of services) {
      const statuses: TargetState[] = [];
      const aspects: string[] = [];
      const keptOf = resolved?.(s);
      for (let j = 0; j < s.targets.length; j++) {
        const t = s.targets[j];
        if (!inForce(t)) continue;
        aspects.push(t.aspect);
        const k = keptOf?.[j];
        // Live: evaluated recently, or known to hold until after `at`
        // (the time-driven rounds visit only targets whose status may have
        // changed; new data is evaluated off the queue).
        const live = source.kind === 'live' ? source : undefined;
        const recent = !!k && !!live && k.at >= live.oldest && k.at <= at;
        const held =
          !!k && !!live && k.at <= at && at < (k.holdsUntil ?? -Infinity);
        if (k && (!live || recent || held)) {
          statuses.push(k.status);
          // A status known to hold is current, however old its evaluation.
          if (k.at < asOf && (recent || !live)) asOf = k.at;
          continue;
        }
        // evaluated below, in place
        missingOf.set(t.key, { target: t, statuses, index: statuses.length });
        statuses.push('no-data');
        let entry = missing.get(t.agreement.id);
        if (!entry) {
          entry = { agreement: t.agreement, targets: [] };
          missing.set(t.agreement.id, entry);
        }
        entry.targets.push(t.target);
      }
      byService.push({ statuses, aspects });
    }
    const toEvaluate = [...missing.values()].map(m => ({
      ...m.agreement,
      targets: m.targets,
    }));
    const evaluated: Array<Omit<KeptStatus, 'at'> & { entityRef: string }> = [];
    for (let i = 0; i < toEvaluate.length; i += BATCH) {
      if (options.signal?.aborted) break;
      const results = await this.options.attainment.forAgreements(
        toEvaluate.slice(i, i + BATCH),
        source.at,
      );
      for (const r of results) {
        const slot = missingOf.get(
          TargetStatusStore.key(r.agreementId, r.targetId),
        )!;
        slot.statuses[slot.index] = r.status;
        evaluated.push({
          agreementId: r.agreementId,
          targetId: r.targetId,
          status: r.status,
          entityRef: slot.target.agreement.entityRef,
          fingerprint: slot.target.fingerprint,
        });
      }
    }
    if (options.keep && source.kind === 'snapshot' && evaluated.length) {
      await this.options.statuses.keepSnapshots(source.at, evaluated, now);
    }
    return {
      byService,
      asOf,
      kept: countTargets(byService) - evaluated.length,
      evaluated: evaluated.length,
    };
  }

  /** Drops snapshots older than `before`. */
  prune(before: number) {
    return this.options.statuses.prune(before);
  }

  /** Drops the entities' snapshots after `from` (late data). */
  dropAfter(entityRefs: string[], from: number) {
    return this.options.statuses.dropAfter(entityRefs, from);
  }

  dropAfterEach(list: Array<{ entityRef: string; from: number }>) {
    return this.options.statuses.dropAfterEach(list);
  }
}

/** The number of statuses of all services. */
function countTargets(byService: ServiceStatuses[]) {
  let n = 0;
  for (const s of byService) n += s.statuses.length;
  return n;
}
