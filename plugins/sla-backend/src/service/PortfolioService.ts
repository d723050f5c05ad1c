import { MAX_PAGE_SIZE, PageRequest, pageOfSorted } from './pagination';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Agreement,
  AgreementKind,
  Portfolio,
  PortfolioStatus,
  ServiceSummary,
  Target,
  parsePositiveDuration,
} from '@opensla/backstage-plugin-sla-common';
import {
  CsatTally,
  Period,
  ServiceReading,
  TargetState,
  countBreaches,
  figuresStableUntil,
  inForceSpan,
  periodFigures,
  portfolioKpis,
  PortfolioAgreement,
  DueReview,
  reviewsDueBy,
  serviceFacts,
  statusSource,
  targetFingerprint,
  targetsMetPercent,
  worstStatus,
} from '../domain/portfolio';
import {
  ScoredAnswer,
  countedAnswers,
  isWatermelon,
  isSatisfied,
  summarizeScores,
} from '../domain/satisfaction';
import type { GraphEntity } from '../domain/viability';
import { AgreementStore } from '../store/AgreementStore';
import { PortfolioBreachRow, PortfolioStore } from '../store/PortfolioStore';
import { KeptStatus, TargetStatusStore } from '../store/TargetStatusStore';
import { Clock } from './AgreementService';
import { AttainmentService } from './AttainmentService';
import { EntityAccessGuard } from './EntityAccessGuard';

const DEFAULT_PERIOD = 'P30D';
/** How old a status kept by the breach evaluator may be (two rounds). */
export const DEFAULT_MAX_STATUS_AGE_MS = 10 * 60_000;
/** Snapshots computed longer ago than this are dropped. */
const SNAPSHOT_RETENTION_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CLOCK_MARGIN_MS = 60_000;
const MAX_PERIOD_MS = 400 * 86_400_000;
/** Agreements whose targets are evaluated per attainment read. */
const BATCH = 2_000;
const KINDS: AgreementKind[] = ['SLA', 'OLA', 'UC'];
const STATUSES: PortfolioStatus[] = ['met', 'at-risk', 'breached', 'no-data'];

/** localeCompare's order, without a collator per comparison. */
const collator = new Intl.Collator();
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const iso = (t: number) => new Date(t).toISOString();

/** The portfolio's query (GET /portfolio). */
export type PortfolioQuery = {
  at?: string;
  period?: string;
  owner?: string;
  kind?: string;
  status?: string;
};

/** An agreement in force with reviews due (PortfolioService.reviewsDue). */
export type AgreementReviewsDue = {
  entityRef: string;
  owners: string[];
  agreementId: string;
  title: string;
  kind: AgreementKind;
  status: string;
  /** Earliest first. */
  reviews: DueReview[];
};

/** A target of one of a service's agreements, with what is kept of it. */
type ServiceTarget = {
  agreement: PortfolioAgreementRecord;
  target: Target;
  /** TargetStatusStore.key */
  key: string;
  fingerprint: string;
  /** Its aspect (`unknown` when not given), for the watermelon verdict. */
  aspect: string;
  /** When its agreement is in force (inForceSpan), if agreed. */
  span?: { from: number; until: number };
};

type Service = {
  ref: string;
  entityRef: string;
  agreements: PortfolioAgreementRecord[];
  kinds: AgreementKind[];
  targets: ServiceTarget[];
};

type PortfolioAgreementRecord = Agreement & {
  reviews: NonNullable<PortfolioAgreement['reviews']>;
  span?: PortfolioAgreement['span'];
};

/**
 * The statuses of a service's targets in force at a period's end, however
 * they were obtained, with each target's aspect (same order).
 */
type ServiceStatuses = { statuses: TargetState[]; aspects: string[] };

/** The statuses at a period's end and the instant they are for. */
type Statuses = {
  /** By service, in the order of the services asked for. */
  byService: ServiceStatuses[];
  /** The oldest instant a status used is for (ms). */
  asOf: number;
  /** Targets answered from kept statuses, and evaluated for this request. */
  kept: number;
  evaluated: number;
};

const NONE: never[] = [];
const NO_ANSWERS = summarizeScores([]);

/**
 * The portfolio: every service with agreements (withdrawn ones left out)
 * and the practice's KPIs over a period and the one before. Agreements and
 * held reviews are parsed once and read again when their stamp moves, as
 * are scored feedback and the breach evaluator's statuses; breaches are
 * read per request; the targets' statuses at both period ends come from
 * the statuses kept (by the breach evaluator for the current instant, as
 * whole-hour snapshots for past ones), the rest evaluated in batches. The
 * figures come from domain/portfolio.
 * @internal
 */
export class PortfolioService {
  constructor(
    private readonly options: {
      agreements: AgreementStore;
      store: PortfolioStore;
      attainment: AttainmentService;
      statuses: TargetStatusStore;
      guard: EntityAccessGuard;
      /**
       * The catalog's entities kept in memory (CatalogGraphIndex), for the
       * owners of every service without fetching them per request.
       */
      catalog: {
        entitiesByRef(
          expected?: Iterable<string>,
        ): Promise<ReadonlyMap<string, GraphEntity>>;
      };
      clock: Clock;
      /** How old a status kept by the breach evaluator may be (ms). */
      maxStatusAgeMs?: number;
      /** Whether services' reports are timely (ReportService), if known. */
      reports?: () =>
        | {
            timelyReports(
              entityRefs: string[],
              ats: number[],
            ): Promise<Array<Map<string, boolean>>>;
          }
        | undefined;
    },
  ) {}

  private get maxStatusAgeMs() {
    return this.options.maxStatusAgeMs ?? DEFAULT_MAX_STATUS_AGE_MS;
  }

  private parse(query: PortfolioQuery, now: number) {
    const end = query.at ? Date.parse(query.at) : now;
    if (!Number.isFinite(end)) {
      throw new InputError('at must be an ISO 8601 instant');
    }
    const duration = parsePositiveDuration(query.period ?? DEFAULT_PERIOD);
    const ms = duration?.toMillis() ?? 0;
    if (!duration || ms <= 0 || ms > MAX_PERIOD_MS) {
      throw new InputError(
        'period must be a positive ISO 8601 duration of at most 400 days, e.g. P30D',
      );
    }
    if (query.kind !== undefined && !KINDS.includes(query.kind as any)) {
      throw new InputError(`kind must be one of ${KINDS.join(', ')}`);
    }
    if (query.status !== undefined && !STATUSES.includes(query.status as any)) {
      throw new InputError(`status must be one of ${STATUSES.join(', ')}`);
    }
    let owner: string | undefined;
    if (query.owner !== undefined) {
      try {
        owner = lower(
          stringifyEntityRef(
            parseEntityRef(query.owner, {
              defaultKind: 'group',
              defaultNamespace: 'default',
            }),
          ),
        );
      } catch {
        throw new InputError(
          'owner must be an entity ref, e.g. group:default/team-a',
        );
      }
    }
    const current: Period = { start: end - ms, end };
    const previous: Period = { start: end - 2 * ms, end: end - ms };
    return { current, previous, owner };
  }

  async portfolio(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
    page: PageRequest = { limit: MAX_PAGE_SIZE },
  ): Promise<Portfolio> {
    const now = this.options.clock().getTime();
    const { current, previous, owner } = this.parse(query, now);
    const { guard } = this.options;

    let services = await this.services();
    if (query.kind) {
      services = services.filter(s =>
        s.agreements.some(a => a.kind === query.kind),
      );
    }
    // Anyone signed in reads, unless the policy says otherwise: one
    // decision (or one request for all services when it is conditional);
    // owners from the catalog's entities kept in memory (refreshed in the
    // background, see CatalogGraphIndex).
    const refs = services.map(s => s.entityRef);
    const [readable, entities] = await Promise.all([
      guard.readableRefs(credentials, refs),
      this.options.catalog.entitiesByRef(services.map(s => s.ref)),
    ]);
    const visible: Service[] = [];
    const ownersOf: string[][] = [];
    for (const s of services) {
      if (!readable.has(s.entityRef)) continue;
      const entity = entities.get(s.ref);
      const owners = entity ? this.ownersOf(entity) : [];
      if (owner && !owners.includes(owner)) continue;
      visible.push(s);
      ownersOf.push(owners);
    }

    const reports = this.options.reports?.();
    const serviceRefs = visible.map(s => s.entityRef);
    const [
      nowStatuses,
      beforeStatuses,
      breachesOf,
      answers,
      [timelyNow, timelyBefore] = [],
    ] = await Promise.all([
      this.statusesAt(visible, current.end, now),
      this.statusesAt(visible, previous.end, now),
      this.breaches(previous.start),
      this.scoredAnswers(previous.start),
      reports?.timelyReports(serviceRefs, [current.end, previous.end]),
    ]);

    const items: ServiceSummary[] = [];
    const readings: ServiceReading[] = [];
    const previousReadings: ServiceReading[] = [];
    const periodMs = current.end - current.start;
    for (let i = 0; i < visible.length; i++) {
      const s = visible[i];
      const { statuses, aspects } = nowStatuses.byService[i];
      const before = beforeStatuses.byService[i].statuses;
      const worst = worstStatus(statuses);
      if (query.status && worst !== query.status) continue;
      const own = breachesOf.get(s.ref) ?? NONE;
      const scored = answers.get(s.ref);
      const owners = ownersOf[i];
      const timely = timelyNow?.get(s.entityRef);
      const timelyPrevious = timelyBefore?.get(s.entityRef);
      // The summary of the previous request holds while nothing it read
      // changed and no period edge met one of its instants.
      const memo = this.summaries.get(s);
      if (
        memo &&
        memo.periodMs === periodMs &&
        current.end >= memo.from &&
        current.end < memo.until &&
        memo.own === own &&
        memo.scored === scored &&
        memo.owners === owners &&
        memo.timely === timely &&
        memo.timelyPrevious === timelyPrevious &&
        sameStatuses(memo.reading.targets, statuses) &&
        sameStatuses(memo.previousReading.targets, before)
      ) {
        items.push(memo.item);
        readings.push(memo.reading);
        previousReadings.push(memo.previousReading);
        continue;
      }
      const counted = scored ? countedAnswers(scored, current) : NONE;
      const csat = counted.length ? summarizeScores(counted) : NO_ANSWERS;
      // the verdict only; the evidence is GET /watermelon's
      const watermelon = isWatermelon(statuses, aspects, {
        csat: csat.csat,
        responses: csat.csatResponses,
      });
      const facts = serviceFacts(s.agreements, current.end);
      let withData = 0;
      let met = 0;
      for (const x of statuses) {
        if (x === 'no-data') continue;
        withData++;
        if (x !== 'breached') met++;
      }
      const summary = {
        item: {
          entityRef: s.entityRef,
          owners,
          kinds: s.kinds,
          agreements: s.agreements.length,
          agreementsInForce: facts.agreementsInForce,
          worstStatus: worst,
          targets: statuses.length,
          targetsWithData: withData,
          targetsMet: met,
          targetsMetPercent: targetsMetPercent(statuses),
          breaches: countBreaches(own, current),
          csat: csat.csat,
          csatResponses: csat.csatResponses,
          watermelon,
          slaAgreedInDate: facts.slaAgreedInDate,
          reviewOverdue: facts.reviewOverdue,
          nextReviewDue: facts.nextReviewDue,
          nextServiceReviewDue: facts.nextServiceReviewDue,
          nextAgreementReviewDue: facts.nextAgreementReviewDue,
          timelyReports: timely ?? null,
        },
        reading: {
          agreements: s.agreements,
          targets: statuses,
          breaches: own,
          csat: csatTally(counted),
          timelyReport: timely,
          facts,
        },
        previousReading: {
          agreements: s.agreements,
          targets: before,
          facts: serviceFacts(s.agreements, previous.end),
          breaches: own,
          csat: csatTally(scored ? countedAnswers(scored, previous) : NONE),
          timelyReport: timelyPrevious,
        },
      };
      items.push(summary.item);
      readings.push(summary.reading);
      previousReadings.push(summary.previousReading);
      this.summaries.set(s, {
        ...summary,
        periodMs,
        from: current.end,
        until: figuresStableUntil(
          {
            agreements: s.agreements,
            breaches: own,
            answeredAt: scored?.map(x => x.givenAt) ?? NONE,
          },
          current.end,
          periodMs,
        ),
        own,
        scored,
        owners,
        timely,
        timelyPrevious,
      });
    }
    // The services are in entity-ref order, the order pages follow (a
    // status changes between two pages; an entity ref never does). The
    // KPIs cover every matching service, not the page.
    const paged = pageOfSorted(
      'portfolio',
      items,
      i => [i.entityRef],
      (a, b) => collator.compare(String(a[0]), String(b[0])),
      page,
    );
    const kpis = portfolioKpis(
      periodFigures(readings, current),
      periodFigures(previousReadings, previous),
      { current, previous },
    );
    return {
      items: paged.items,
      kpis,
      statusesAt: {
        current: iso(nowStatuses.asOf),
        previous: iso(beforeStatuses.asOf),
      },
      ...(paged.nextCursor ? { nextCursor: paged.nextCursor } : {}),
    };
  }

  /**
   * The agreements in force whose next service or agreement review is due
   * within `withinDays` of `at` (overdue ones included), of the services
   * the caller may read, optionally of one owner's services; the earliest
   * due first. Reads the agreements and held reviews this service keeps.
   */
  async reviewsDue(
    credentials: BackstageCredentials,
    query: { at?: string; withinDays?: number; owner?: string },
  ): Promise<{ at: string; items: AgreementReviewsDue[] }> {
    const now = this.options.clock().getTime();
    const { current, owner } = this.parse(
      { at: query.at, owner: query.owner },
      now,
    );
    const at = current.end;
    const withinDays = query.withinDays ?? 14;
    if (!Number.isFinite(withinDays) || withinDays < 0 || withinDays > 400) {
      throw new InputError('withinDays must be a number from 0 to 400');
    }
    const until = at + withinDays * DAY_MS;
    const services = await this.services();
    const [readable, entities] = await Promise.all([
      this.options.guard.readableRefs(
        credentials,
        services.map(s => s.entityRef),
      ),
      this.options.catalog.entitiesByRef(),
    ]);
    const items: AgreementReviewsDue[] = [];
    for (const s of services) {
      if (!readable.has(s.entityRef)) continue;
      const entity = entities.get(s.ref);
      const owners = entity ? this.ownersOf(entity) : [];
      if (owner && !owners.includes(owner)) continue;
      for (const agreement of s.agreements) {
        const reviews = reviewsDueBy(agreement, at, until);
        if (!reviews.length) continue;
        items.push({
          entityRef: s.entityRef,
          owners,
          agreementId: agreement.id,
          title: agreement.title,
          kind: agreement.kind,
          status: agreement.status,
          reviews,
        });
      }
    }
    items.sort(
      (a, b) =>
        Date.parse(a.reviews[0].due) - Date.parse(b.reviews[0].due) ||
        collator.compare(a.entityRef, b.entityRef),
    );
    return { at: iso(at), items };
  }

  /**
   * Each service's summary as the last request computed it, with what it
   * was computed from and the ends of the period it holds for
   * (figuresStableUntil). Services are parsed anew when agreements or
   * reviews change, which leaves their summaries behind.
   */
  private readonly summaries = new WeakMap<
    Service,
    {
      item: ServiceSummary;
      reading: ServiceReading;
      previousReading: ServiceReading;
      periodMs: number;
      from: number;
      until: number;
      own: PortfolioBreachRow[];
      scored: ScoredAnswer[] | undefined;
      owners: string[];
      timely: boolean | undefined;
      timelyPrevious: boolean | undefined;
    }
  >();

  /** Owners per catalog entity object (kept until the catalog is read again). */
  private ownersOf(entity: GraphEntity): string[] {
    let owners = this.owners.get(entity);
    if (!owners) {
      owners = this.options.guard.ownersOf(entity as Entity);
      this.owners.set(entity, owners);
    }
    return owners;
  }

  private readonly owners = new WeakMap<GraphEntity, string[]>();

  /**
   * Every entity with an agreement that is not withdrawn, with each
   * agreement's held reviews (for the review schedules), in entity-ref
   * order. Read again when agreements or reviews change; not to be mutated.
   */
  private async services(): Promise<Service[]> {
    const stamp = await this.options.store.agreementsAndReviewsStamp();
    if (this.cached?.stamp !== stamp) {
      this.cached = { stamp, services: await this.readServices() };
    }
    return this.cached.services;
  }

  private cached?: { stamp: string; services: Service[] };

  private async readServices(): Promise<Service[]> {
    const [all, held] = await Promise.all([
      this.options.agreements.list(),
      this.options.store.heldReviews(),
    ]);
    const byRef = new Map<string, Service>();
    for (const a of all) {
      if (a.status === 'withdrawn') continue;
      const ref = lower(a.entityRef);
      let service = byRef.get(ref);
      if (!service) {
        service = {
          ref,
          entityRef: a.entityRef,
          agreements: [],
          kinds: [],
          targets: [],
        };
        byRef.set(ref, service);
      }
      const agreement: PortfolioAgreementRecord = {
        ...a,
        reviews: held.get(a.id) ?? [],
      };
      const span = inForceSpan(agreement);
      agreement.span = span ?? null;
      service.agreements.push(agreement);
      for (const target of agreement.targets) {
        service.targets.push({
          agreement,
          target,
          key: TargetStatusStore.key(agreement.id, target.id),
          fingerprint: targetFingerprint(agreement, target),
          aspect: target.aspect ?? 'unknown',
          ...(span ? { span } : {}),
        });
      }
    }
    const services = [...byRef.values()];
    for (const s of services) {
      s.kinds = KINDS.filter(k => s.agreements.some(a => a.kind === k));
    }
    return services.sort((a, b) => collator.compare(a.entityRef, b.entityRef));
  }

  /**
   * Keeps the statuses the default period's previous end will need this
   * hour and the next (called by a scheduled task, so that requests find
   * them kept), and drops snapshots older than a day.
   */
  async keepSnapshots(
    now: number,
    signal?: AbortSignal,
  ): Promise<{ kept: number; dropped: number }> {
    const services = await this.services();
    const ms = parsePositiveDuration(DEFAULT_PERIOD)!.toMillis();
    const hour = Math.floor((now - ms) / HOUR_MS) * HOUR_MS;
    let kept = 0;
    for (const at of [hour, hour + HOUR_MS]) {
      // Stopped (the scheduler's timeout): what was evaluated is kept, the
      // rest is evaluated by the next run or the request that needs it.
      if (signal?.aborted) break;
      kept += (await this.statusesAt(services, at, now, { keep: true, signal }))
        .evaluated;
    }
    const dropped = await this.options.statuses.prune(
      now - SNAPSHOT_RETENTION_MS,
    );
    return { kept, dropped };
  }

  /**
   * Late data (measurements of these entities from `from` on) changes their
   * statuses at later instants: the snapshots after `from` are dropped.
   */
  async dropSnapshotsAfter(entityRefs: string[], from: number) {
    await this.options.statuses.dropAfter(entityRefs, from);
  }

  /**
   * Breaches open at some instant from `from` on (breaches outside a period
   * are left out where they are counted), read again when a breach is
   * recorded or changes, or when an earlier `from` is asked for.
   */
  private async breaches(
    from: number,
  ): Promise<Map<string, PortfolioBreachRow[]>> {
    const store = this.options.store;
    const stamp = await store.breachesStamp();
    const cached = this.breachesCache;
    if (cached && cached.stamp === stamp && cached.from <= from) {
      return cached.byRef;
    }
    const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
    const byRef = new Map<string, PortfolioBreachRow[]>();
    for (const b of await store.breaches(iso(dayStart))) {
      const list = byRef.get(b.entityRef);
      if (list) list.push(b);
      else byRef.set(b.entityRef, [b]);
    }
    this.breachesCache = { stamp, from: dayStart, byRef };
    return byRef;
  }

  private breachesCache?: {
    stamp: string;
    from: number;
    byRef: Map<string, PortfolioBreachRow[]>;
  };

  /**
   * Scored answers given from `from` on (answers outside a period are left
   * out where they are counted), read again when feedback is given or
   * replaced, or when an earlier `from` is asked for.
   */
  private async scoredAnswers(
    from: number,
  ): Promise<Map<string, ScoredAnswer[]>> {
    const store = this.options.store;
    const stamp = await store.scoredAnswersStamp();
    const cached = this.answersCache;
    if (cached && cached.stamp === stamp && cached.from <= from) {
      return cached.byRef;
    }
    // from the start of its UTC day, so that later requests reuse it
    const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
    const byRef = await store.scoredAnswers(iso(dayStart));
    this.answersCache = { stamp, from: dayStart, byRef };
    return byRef;
  }

  private answersCache?: {
    stamp: string;
    from: number;
    byRef: Map<string, ScoredAnswer[]>;
  };

  /**
   * The breach evaluator's statuses: read in full once, then, when their
   * stamp moved, what was evaluated since the last read.
   */
  private evaluatedCache?: {
    stamp: string;
    since: number;
    byKey: Map<string, KeptStatus>;
  };

  private async evaluated(): Promise<Map<string, KeptStatus>> {
    const stamp = await this.options.statuses.evaluatedStamp();
    const cache = this.evaluatedCache;
    if (cache?.stamp === stamp) return cache.byKey;
    // evaluated_at only grows per target; a minute's margin for the clocks
    // of other replicas.
    const rows = await this.options.statuses.evaluatedSince(
      cache ? cache.since - CLOCK_MARGIN_MS : undefined,
    );
    if (!rows.length && cache) {
      this.evaluatedCache = { ...cache, stamp };
      return cache.byKey;
    }
    // a new map when anything was read: what was derived from the old one
    // (resolved) is keyed by it
    const byKey = new Map<string, KeptStatus>(cache?.byKey ?? []);
    let since = cache?.since ?? 0;
    for (const r of rows) {
      const k = TargetStatusStore.key(r.agreementId, r.targetId);
      const before = byKey.get(k);
      if (!before || before.at <= r.at) byKey.set(k, r);
      since = Math.max(since, r.at);
    }
    this.evaluatedCache = { stamp, since, byKey };
    return byKey;
  }

  /** Snapshots of a few whole hours, read again when their stamp moves. */
  private snapshotCache = new Map<
    number,
    { stamp: string; byKey: Map<string, KeptStatus> }
  >();

  private async snapshots(at: number): Promise<Map<string, KeptStatus>> {
    const stamp = await this.options.statuses.snapshotsStamp(at);
    const cached = this.snapshotCache.get(at);
    if (cached?.stamp === stamp) return cached.byKey;
    const byKey = await this.options.statuses.snapshots(at);
    if (this.snapshotCache.size >= 4) this.snapshotCache.clear();
    this.snapshotCache.set(at, { stamp, byKey });
    return byKey;
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
    return (service: Service) => {
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
    WeakMap<Service, Array<KeptStatus | undefined>>
  >();

  /**
   * The status of every target in force at `at`, by service: from the
   * statuses kept (statusSource), the rest evaluated in batches of
   * agreements (one read per table per batch). Only the scheduled task
   * (`keep: true`) stores what it evaluated as snapshots: a GET never
   * writes (issue 13), it uses what is stored and computes the rest.
   */
  private async statusesAt(
    services: Service[],
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
        if (
          k &&
          (source.kind !== 'live' || (k.at >= source.oldest && k.at <= at))
        ) {
          statuses.push(k.status);
          if (k.at < asOf) asOf = k.at;
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
}

/** The number of statuses of all services. */
function countTargets(byService: ServiceStatuses[]) {
  let n = 0;
  for (const s of byService) n += s.statuses.length;
  return n;
}

function sameStatuses(a: TargetState[], b: TargetState[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** CSAT answers among already counted answers, and the satisfied. */
function csatTally(counted: ScoredAnswer[]): CsatTally {
  let responses = 0;
  let satisfied = 0;
  for (const a of counted) {
    if (a.scale !== 'csat') continue;
    responses++;
    if (isSatisfied(a.score)) satisfied++;
  }
  return { responses, satisfied };
}
