import { MAX_PAGE_SIZE, PageRequest, encodeCursor } from './pagination';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  AgreementKind,
  Portfolio,
  PortfolioStatus,
  ServiceSummary,
  isAwaitingSignature,
  parsePositiveDuration,
} from '@opensla/backstage-plugin-sla-common';
import {
  CsatTally,
  Period,
  ServiceReading,
  TargetState,
  countBreaches,
  figuresOfTally,
  figuresStableUntil,
  periodFigures,
  portfolioKpis,
  DueReview,
  reviewsDueBy,
  serviceFacts,
  targetsMetPercent,
  worstStatus,
  PORTFOLIO_ORDERS,
  PORTFOLIO_SORTS,
  PortfolioKey,
  PortfolioOrder,
  PortfolioSort,
  matchesPortfolioSearch,
  portfolioPage,
  sortKeyIsNumber,
  sortPortfolio,
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
import { TargetStatusStore } from '../store/TargetStatusStore';
import { Clock } from './AgreementService';
import { AttainmentService } from './AttainmentService';
import { EntityAccessGuard } from './EntityAccessGuard';
import { PortfolioReadModel } from './PortfolioReadModel';
import { PortfolioStatuses } from './PortfolioStatuses';
import { PortfolioView, ViewCompute, ViewEntryValue } from './PortfolioView';
import type { PortfolioServiceRecord } from './portfolioServices';

import { DEFAULT_MAX_STATUS_AGE_MS } from './PortfolioStatuses';

export { DEFAULT_MAX_STATUS_AGE_MS };

const DEFAULT_PERIOD = 'P30D';
/** Snapshots computed longer ago than this are dropped. */
const SNAPSHOT_RETENTION_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_PERIOD_MS = 400 * 86_400_000;
const MAX_SEARCH_LENGTH = 200;
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
  /** Part of a service's entity ref, an owner or a kind (case-insensitive). */
  search?: string;
  /**
   * The column the services are sorted by (default `service`: entity-ref
   * order; the page asks for `status`, worst first).
   */
  sort?: string;
  order?: string;
  /**
   * `true`: only services with an agreement awaiting a signature;
   * `false`: only services without one.
   */
  awaitingSignature?: string;
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

type Service = PortfolioServiceRecord;

/** Every service matching a query, with the KPIs over them. */
type Matching = {
  kpis: Portfolio['kpis'];
  statusesAt: NonNullable<Portfolio['statusesAt']>;
  /** Owners of every service the caller may read (the owner filter's choices). */
  owners: string[];
  sort: PortfolioSort;
  order: PortfolioOrder;
  /** How many services match. */
  total: number;
  /** The page after `after` in the query's order. */
  page(
    after: PortfolioKey | undefined,
    limit: number,
  ): { items: ServiceSummary[]; last?: PortfolioKey; more: boolean };
  /** Every matching service in the query's order. */
  all(): ServiceSummary[];
};

/** Owners per service (by position in the services read), and per owner. */
type ServiceIndex = {
  entities: ReadonlyMap<string, GraphEntity>;
  ownersOf: string[][];
  byOwner: Map<string, number[]>;
  /** Every owner, in the collator's order. */
  owners: string[];
  /** The owners of the services with agreements of a kind. */
  byKind: Map<string, string[]>;
};

/** Views kept at once (one per combination of filters asked for). */
const MAX_VIEWS = 16;

const NONE: never[] = [];
const NO_ANSWERS = summarizeScores([]);

/** The cursor list of a sort, so a cursor of another order is refused. */
export function portfolioCursorList(sort: string, order: string) {
  return `portfolio?sort=${sort}&order=${order}`;
}

/** The key shape of a portfolio cursor for a sort. */
export function portfolioCursorShape(
  sort: string | undefined,
): Array<'string' | 'number'> {
  const known = PORTFOLIO_SORTS.includes(sort as PortfolioSort);
  return [
    sortKeyIsNumber(known ? (sort as PortfolioSort) : 'service')
      ? 'number'
      : 'string',
    'string',
  ];
}

/**
 * The portfolio as a query: every service with agreements (withdrawn ones
 * left out) filtered, searched and sorted on the server, one page of them,
 * and the practice's KPIs over every matching service for a period and the
 * one before. What it reads is kept under database stamps
 * (PortfolioReadModel, PortfolioStatuses); the figures come from
 * domain/portfolio.
 * @internal
 */
export class PortfolioService {
  private readonly readModel: PortfolioReadModel;
  private readonly statuses: PortfolioStatuses;

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
      /**
       * false: every request visits every service (the computation the
       * kept views are tested against, and the bench's baseline).
       */
      fastPath?: boolean;
      /**
       * The mean time to agree of entities' agreements in a period
       * (NegotiationService.timeToAgree), if known.
       */
      negotiation?: () =>
        | {
            facts(
              entityRefs: string[],
              period?: { from?: string; to?: string },
            ): Promise<{ averageTimeToAgreeMs: number | null }>;
            timeToAgree(
              entityRefs: ReadonlySet<string>,
              period: { from: string; to: string },
            ): Promise<{ averageTimeToAgreeMs: number | null }>;
          }
        | undefined;
      /** Whether services' reports are timely (ReportService), if known. */
      reports?: () =>
        | {
            timelyReports(
              entityRefs: string[],
              ats: number[],
            ): Promise<Array<Map<string, boolean>>>;
            timelySets(ats: number[]): Promise<Array<ReadonlySet<string>>>;
          }
        | undefined;
    },
  ) {
    this.readModel = new PortfolioReadModel(options);
    this.statuses = new PortfolioStatuses(options);
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
    // entity-ref order unless asked otherwise, as before sorting existed
    const sort = (query.sort ?? 'service') as PortfolioSort;
    if (!PORTFOLIO_SORTS.includes(sort)) {
      throw new InputError(`sort must be one of ${PORTFOLIO_SORTS.join(', ')}`);
    }
    const order = (query.order ?? 'asc') as PortfolioOrder;
    if (!PORTFOLIO_ORDERS.includes(order)) {
      throw new InputError(
        `order must be one of ${PORTFOLIO_ORDERS.join(', ')}`,
      );
    }
    let awaitingSignature: boolean | undefined;
    if (query.awaitingSignature !== undefined) {
      if (!['true', 'false'].includes(query.awaitingSignature)) {
        throw new InputError('awaitingSignature must be true or false');
      }
      awaitingSignature = query.awaitingSignature === 'true';
    }
    const search = query.search?.trim() || undefined;
    if (search && search.length > MAX_SEARCH_LENGTH) {
      throw new InputError(
        `search must be at most ${MAX_SEARCH_LENGTH} characters`,
      );
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
    return { current, previous, owner, sort, order, search, awaitingSignature };
  }

  /**
   * One page of the services matching the query in its order, with the
   * KPIs over every matching service (not the page), their number and the
   * owner filter's choices. The cursor is the last item's sort key and
   * entity ref, so pages stay in place while figures change elsewhere.
   */
  async portfolio(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
    page: PageRequest = { limit: MAX_PAGE_SIZE },
  ): Promise<Portfolio> {
    const matching = await this.matching(credentials, query);
    const { sort, order } = matching;
    const paged = matching.page(
      page.after as PortfolioKey | undefined,
      page.limit,
    );
    return {
      items: paged.items,
      kpis: matching.kpis,
      statusesAt: matching.statusesAt,
      total: matching.total,
      owners: matching.owners,
      ...(paged.more && paged.last
        ? {
            nextCursor: encodeCursor(
              portfolioCursorList(sort, order),
              paged.last,
            ),
          }
        : {}),
    };
  }

  /**
   * Every service matching the query in its order (the CSV export): the
   * same filters, search and sort as `portfolio`, without paging. The
   * summaries are the ones kept for the pages (not copied), so the export
   * can be streamed line by line.
   */
  async portfolioRows(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
  ): Promise<{ items: Iterable<ServiceSummary>; kpis: Portfolio['kpis'] }> {
    const matching = await this.matching(credentials, query);
    return { items: matching.all(), kpis: matching.kpis };
  }

  /**
   * The matching services: from the kept view of the query (PortfolioView:
   * only what changed since the last request is computed again) when the
   * caller reads every service outright and every status is kept; else by
   * visiting every service (the computation the view is tested against).
   */
  private async matching(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
  ): Promise<Matching> {
    if (this.options.fastPath !== false) {
      const fast = await this.matchingFromView(credentials, query);
      if (fast) return fast;
    }
    this.stats.visited++;
    return this.matchingByVisiting(credentials, query);
  }

  /** The services' refs (for the catalog's look-up), per services read. */
  private refsOf(services: Service[]): string[] {
    let refs = this.refs.get(services);
    if (!refs) {
      refs = services.map(s => s.ref);
      this.refs.set(services, refs);
    }
    return refs;
  }

  private readonly refs = new WeakMap<Service[], string[]>();

  /**
   * Each service's owners, the services of each owner and every owner, per
   * services read and catalog entities read (kept while both hold).
   */
  private indexOf(
    services: Service[],
    entities: ReadonlyMap<string, GraphEntity>,
  ): ServiceIndex {
    const kept = this.indexes.get(services);
    if (kept && kept.entities === entities) return kept;
    const ownersOf: string[][] = [];
    const byOwner = new Map<string, number[]>();
    for (let i = 0; i < services.length; i++) {
      const entity = entities.get(services[i].ref);
      const owners = entity ? this.ownersOf(entity) : NONE;
      ownersOf.push(owners);
      for (const o of owners) {
        const list = byOwner.get(o);
        if (list) list.push(i);
        else byOwner.set(o, [i]);
      }
    }
    const index: ServiceIndex = {
      entities,
      ownersOf,
      byOwner,
      owners: [...byOwner.keys()].sort((a, b) => collator.compare(a, b)),
      byKind: new Map(),
    };
    this.indexes.set(services, index);
    return index;
  }

  private readonly indexes = new WeakMap<Service[], ServiceIndex>();

  /** The owners of the services with agreements of a kind (kept per index). */
  private ownersOfKind(
    services: Service[],
    index: ServiceIndex,
    kind: AgreementKind,
  ): string[] {
    let owners = index.byKind.get(kind);
    if (!owners) {
      const set = new Set<string>();
      for (let i = 0; i < services.length; i++) {
        if (!services[i].kinds.includes(kind)) continue;
        for (const o of index.ownersOf[i]) set.add(o);
      }
      owners = [...set].sort((a, b) => collator.compare(a, b));
      index.byKind.set(kind, owners);
    }
    return owners;
  }

  /**
   * How requests were answered: from a view built for them, from a kept
   * view (with the services whose instant came computed again), by
   * visiting every service. For tests and the bench.
   */
  readonly stats = { built: 0, kept: 0, visited: 0 };

  /** The kept views of the last queries (the page's filters change rarely). */
  private readonly views = new Map<string, PortfolioView>();

  private async matchingFromView(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
  ): Promise<Matching | undefined> {
    const now = this.options.clock().getTime();
    const parsed = this.parse(query, now);
    const { current, previous, owner, sort, order, search, awaitingSignature } =
      parsed;
    const periodMs = current.end - current.start;
    const { guard } = this.options;
    // Only a caller who reads every service outright (one decision) shares
    // a view; a conditional policy is answered service by service.
    if ((await guard.readDecision(credentials)) !== 'all') return undefined;
    const reports = this.options.reports?.();
    const [services, keptNow, keptBefore, breachesOf, answers, timely] =
      await Promise.all([
        this.readModel.services(),
        this.statuses.keptAt(current.end, now),
        this.statuses.keptAt(previous.end, now),
        this.readModel.breaches(previous.start),
        this.readModel.scoredAnswers(previous.start),
        reports?.timelySets([current.end, previous.end]),
      ]);
    if (!keptNow || !keptBefore) return undefined;
    const entities = await this.options.catalog.entitiesByRef(
      this.refsOf(services),
    );
    const index = this.indexOf(services, entities);
    const [timelyNow, timelyBefore] = timely ?? [];
    const inputs = [
      services,
      index,
      keptNow.kept,
      keptNow.source.kind,
      keptNow.source.at,
      keptBefore.kept,
      keptBefore.source.kind,
      keptBefore.source.at,
      breachesOf,
      answers,
      timelyNow,
      timelyBefore,
    ];
    // a live source's instant moves with the request: what it reads is
    // the kept map, whose statuses are checked for age below
    if (keptNow.source.kind === 'live') inputs[4] = 0;
    if (keptBefore.source.kind === 'live') inputs[7] = 0;
    const key = JSON.stringify([
      owner,
      query.kind,
      query.status,
      search,
      awaitingSignature,
      periodMs,
    ]);
    const compute: ViewCompute = (i, end) =>
      this.viewEntry(services[i], index.ownersOf[i], end, periodMs, {
        inputs,
        keptNow,
        keptBefore,
        breachesOf,
        answers,
        timelyNow,
        timelyBefore,
        status: query.status,
        awaitingSignature,
      });
    let view = this.views.get(key);
    if (
      !view ||
      !view.holds(
        inputs,
        current.end,
        this.maxStatusAgeMs,
        keptNow.source,
        keptBefore.source,
      ) ||
      !view.advance(current.end, compute)
    ) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      this.views.delete(key);
      // the candidates: one owner's services from the index, else all
      let candidates: number[];
      if (owner) candidates = index.byOwner.get(owner) ?? [];
      else candidates = services.map((_, i) => i);
      if (query.kind || search) {
        candidates = candidates.filter(i => {
          const s = services[i];
          if (query.kind && !s.kinds.includes(query.kind as AgreementKind)) {
            return false;
          }
          return matchesPortfolioSearch(
            {
              entityRef: s.entityRef,
              owners: index.ownersOf[i],
              kinds: s.kinds,
            },
            search,
          );
        });
      }
      view = PortfolioView.build(inputs, candidates, current.end, compute);
      if (!view) return undefined;
      this.views.set(key, view);
      this.stats.built++;
    } else {
      this.stats.kept++;
    }
    const kept = view;
    const negotiation = this.options.negotiation?.();
    const [timeToAgree, timeToAgreeBefore] = negotiation
      ? await Promise.all(
          [current, previous].map(p =>
            negotiation.timeToAgree(kept.matchingRefs, {
              from: iso(p.start),
              to: iso(p.end),
            }),
          ),
        )
      : [];
    const kpis = portfolioKpis(
      figuresOfTally(kept.current),
      figuresOfTally(kept.previous),
      { current, previous },
      {
        awaitingSignature: kept.awaiting,
        averageTimeToAgreeMs: {
          current: timeToAgree?.averageTimeToAgreeMs ?? null,
          previous: timeToAgreeBefore?.averageTimeToAgreeMs ?? null,
        },
      },
    );
    return {
      kpis,
      statusesAt: {
        current: iso(Math.min(keptNow.source.at, kept.oldest('now'))),
        previous: iso(Math.min(keptBefore.source.at, kept.oldest('before'))),
      },
      owners: query.kind
        ? this.ownersOfKind(services, index, query.kind as AgreementKind)
        : index.owners,
      sort,
      order,
      total: kept.total,
      page: (after, limit) => kept.page(sort, order, after, limit),
      all: () => kept.all(sort, order),
    };
  }

  private get maxStatusAgeMs() {
    return this.options.maxStatusAgeMs ?? DEFAULT_MAX_STATUS_AGE_MS;
  }

  /**
   * One service's entry of a view at the period's end `end`, from the
   * kept statuses; undefined when a status would have to be evaluated.
   */
  private viewEntry(
    s: Service,
    owners: string[],
    end: number,
    periodMs: number,
    from: {
      /** What the entry is computed from (the view's inputs). */
      inputs: unknown[];
      keptNow: NonNullable<Awaited<ReturnType<PortfolioStatuses['keptAt']>>>;
      keptBefore: NonNullable<Awaited<ReturnType<PortfolioStatuses['keptAt']>>>;
      breachesOf: Map<string, PortfolioBreachRow[]>;
      answers: Map<string, ScoredAnswer[]>;
      timelyNow?: ReadonlySet<string>;
      timelyBefore?: ReadonlySet<string>;
      status?: string;
      awaitingSignature?: boolean;
    },
  ): ViewEntryValue | undefined {
    // The entry another view computed from the same inputs while it holds
    // (its figures do not depend on the view's filters).
    const memo = this.entryMemo.get(s);
    let value: Omit<ViewEntryValue, 'matches'> | undefined;
    if (
      memo &&
      memo.periodMs === periodMs &&
      end >= memo.value.current.end &&
      end < memo.value.until &&
      sameInputs(memo.inputs, from.inputs) &&
      // live statuses still young enough at this end
      (from.keptNow.source.kind !== 'live' ||
        memo.value.oldestNow >= from.keptNow.source.oldest) &&
      (from.keptBefore.source.kind !== 'live' ||
        memo.value.oldestBefore >= from.keptBefore.source.oldest)
    ) {
      value = memo.value;
    } else {
      value = this.computeEntry(s, owners, end, periodMs, from);
      if (!value) return undefined;
      this.entryMemo.set(s, { inputs: from.inputs, periodMs, value });
    }
    const matches =
      (!from.status || value.item.worstStatus === from.status) &&
      (from.awaitingSignature === undefined ||
        from.awaitingSignature === value.awaiting > 0);
    return { ...value, matches };
  }

  private readonly entryMemo = new WeakMap<
    Service,
    {
      inputs: unknown[];
      periodMs: number;
      value: Omit<ViewEntryValue, 'matches'>;
    }
  >();

  private computeEntry(
    s: Service,
    owners: string[],
    end: number,
    periodMs: number,
    from: Parameters<PortfolioService['viewEntry']>[4],
  ): Omit<ViewEntryValue, 'matches'> | undefined {
    const current: Period = { start: end - periodMs, end };
    const previous: Period = { start: end - 2 * periodMs, end: end - periodMs };
    const now = this.statuses.fromKept(s, current.end, from.keptNow);
    const before = this.statuses.fromKept(s, previous.end, from.keptBefore);
    if (!now || !before) return undefined;
    const summary = summarizeService({
      s,
      owners,
      statuses: now.statuses,
      aspects: now.aspects,
      before: before.statuses,
      own: from.breachesOf.get(s.ref) ?? NONE,
      scored: from.answers.get(s.ref),
      timely: from.timelyNow?.has(s.ref),
      timelyPrevious: from.timelyBefore?.has(s.ref),
      current,
      previous,
    });
    let awaiting = 0;
    for (const a of s.agreements) if (isAwaitingSignature(a)) awaiting++;
    return {
      ref: s.ref,
      ...summary,
      current,
      previous,
      awaiting,
      oldestNow: now.oldest,
      oldestBefore: before.oldest,
    };
  }

  private async matchingByVisiting(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
  ): Promise<Matching> {
    const now = this.options.clock().getTime();
    const { current, previous, owner, sort, order, search, awaitingSignature } =
      this.parse(query, now);
    const { guard } = this.options;

    let services = await this.readModel.services();
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
    const ownerChoices = new Set<string>();
    for (const s of services) {
      if (!readable.has(s.entityRef)) continue;
      const entity = entities.get(s.ref);
      const owners = entity ? this.ownersOf(entity) : NONE;
      for (const o of owners) ownerChoices.add(o);
      if (owner && !owners.includes(owner)) continue;
      if (
        search &&
        !matchesPortfolioSearch(
          { entityRef: s.entityRef, owners, kinds: s.kinds },
          search,
        )
      ) {
        continue;
      }
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
      this.statuses.statusesAt(visible, current.end, now),
      this.statuses.statusesAt(visible, previous.end, now),
      this.readModel.breaches(previous.start),
      this.readModel.scoredAnswers(previous.start),
      reports?.timelyReports(serviceRefs, [current.end, previous.end]),
    ]);

    const items: ServiceSummary[] = [];
    const readings: ServiceReading[] = [];
    const previousReadings: ServiceReading[] = [];
    const periodMs = current.end - current.start;
    let awaiting = 0;
    const matchingRefs: string[] = [];
    for (let i = 0; i < visible.length; i++) {
      const s = visible[i];
      const { statuses, aspects } = nowStatuses.byService[i];
      const before = beforeStatuses.byService[i].statuses;
      const worst = worstStatus(statuses);
      if (query.status && worst !== query.status) continue;
      // Agreements awaiting a signature now (the read model holds them as
      // they are, whatever `at`).
      let awaitingHere = 0;
      for (const a of s.agreements) {
        if (isAwaitingSignature(a)) awaitingHere++;
      }
      if (
        awaitingSignature !== undefined &&
        awaitingSignature !== awaitingHere > 0
      ) {
        continue;
      }
      awaiting += awaitingHere;
      matchingRefs.push(s.entityRef);
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
      const summary = summarizeService({
        s,
        owners,
        statuses,
        aspects,
        before,
        own,
        scored,
        timely,
        timelyPrevious,
        current,
        previous,
      });
      items.push(summary.item);
      readings.push(summary.reading);
      previousReadings.push(summary.previousReading);
      this.summaries.set(s, {
        ...summary,
        periodMs,
        from: current.end,
        own,
        scored,
        owners,
        timely,
        timelyPrevious,
      });
    }
    // The KPIs cover every matching service, not the page. Further KPIs
    // are added in portfolioKpis from the readings (or, like the
    // negotiation figures, handed to it).
    const negotiation = this.options.negotiation?.();
    const [timeToAgree, timeToAgreeBefore] = negotiation
      ? await Promise.all(
          [current, previous].map(p =>
            negotiation.facts(matchingRefs, {
              from: iso(p.start),
              to: iso(p.end),
            }),
          ),
        )
      : [];
    const kpis = portfolioKpis(
      periodFigures(readings, current),
      periodFigures(previousReadings, previous),
      { current, previous },
      {
        awaitingSignature: awaiting,
        averageTimeToAgreeMs: {
          current: timeToAgree?.averageTimeToAgreeMs ?? null,
          previous: timeToAgreeBefore?.averageTimeToAgreeMs ?? null,
        },
      },
    );
    return {
      kpis,
      statusesAt: {
        current: iso(nowStatuses.asOf),
        previous: iso(beforeStatuses.asOf),
      },
      owners: [...ownerChoices].sort((x, y) => collator.compare(x, y)),
      sort,
      order,
      total: items.length,
      page: (after, limit) =>
        portfolioPage(items, { sort, order, after, limit }),
      all: () => sortPortfolio(items, sort, order),
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
    const services = await this.readModel.services();
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
   * Keeps the statuses the default period's previous end will need this
   * hour and the next (called by a scheduled task, so that requests find
   * them kept), drops snapshots older than a day and prunes the change
   * log behind the stamps.
   */
  async keepSnapshots(
    now: number,
    signal?: AbortSignal,
  ): Promise<{ kept: number; dropped: number }> {
    const services = await this.readModel.services();
    const ms = parsePositiveDuration(DEFAULT_PERIOD)!.toMillis();
    const hour = Math.floor((now - ms) / HOUR_MS) * HOUR_MS;
    let kept = 0;
    for (const at of [hour, hour + HOUR_MS]) {
      // Stopped (the scheduler's timeout): what was evaluated is kept, the
      // rest is evaluated by the next run or the request that needs it.
      if (signal?.aborted) break;
      kept += (
        await this.statuses.statusesAt(services, at, now, {
          keep: true,
          signal,
        })
      ).evaluated;
    }
    const dropped = await this.statuses.prune(now - SNAPSHOT_RETENTION_MS);
    // the change log behind the stamps, which only grows on PostgreSQL
    await this.options.store.pruneChanges(signal);
    return { kept, dropped };
  }

  /**
   * Late data (measurements of these entities from `from` on) changes their
   * statuses at later instants: the snapshots after `from` are dropped.
   */
  async dropSnapshotsAfter(entityRefs: string[], from: number) {
    await this.statuses.dropAfter(entityRefs, from);
  }

  /** dropSnapshotsAfter for several entities, each from its own instant. */
  async dropSnapshotsAfterEach(
    list: Array<{ entityRef: string; from: number }>,
  ) {
    await this.statuses.dropAfterEach(list);
  }
}

/**
 * One service's summary (its row) and what the KPIs read of it at both
 * period ends, with the first period end its figures may change at.
 */
function summarizeService(input: {
  s: Service;
  owners: string[];
  statuses: TargetState[];
  aspects: string[];
  before: TargetState[];
  own: PortfolioBreachRow[];
  scored: ScoredAnswer[] | undefined;
  timely: boolean | undefined;
  timelyPrevious: boolean | undefined;
  current: Period;
  previous: Period;
}): {
  item: ServiceSummary;
  reading: ServiceReading;
  previousReading: ServiceReading;
  until: number;
} {
  const { s, owners, statuses, aspects, before, own, scored } = input;
  const { timely, timelyPrevious, current, previous } = input;
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
  return {
    item: {
      entityRef: s.entityRef,
      owners,
      kinds: s.kinds,
      agreements: s.agreements.length,
      agreementsInForce: facts.agreementsInForce,
      worstStatus: worstStatus(statuses),
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
    until: figuresStableUntil(
      {
        agreements: s.agreements,
        breaches: own,
        answeredAt: scored?.map(x => x.givenAt) ?? NONE,
      },
      current.end,
      current.end - current.start,
    ),
  };
}

function sameInputs(a: unknown[], b: unknown[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
