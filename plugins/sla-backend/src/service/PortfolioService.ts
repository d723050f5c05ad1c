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
import type { PortfolioServiceRecord } from './portfolioServices';

export { DEFAULT_MAX_STATUS_AGE_MS } from './PortfolioStatuses';

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
  items: ServiceSummary[];
  kpis: Portfolio['kpis'];
  statusesAt: NonNullable<Portfolio['statusesAt']>;
  /** Owners of every service the caller may read (the owner filter's choices). */
  owners: string[];
  sort: PortfolioSort;
  order: PortfolioOrder;
};

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
       * The mean time to agree of entities' agreements in a period
       * (NegotiationService.facts), if known.
       */
      negotiation?: () =>
        | {
            facts(
              entityRefs: string[],
              period?: { from?: string; to?: string },
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
      throw new InputError(`order must be one of ${PORTFOLIO_ORDERS.join(', ')}`);
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
    const paged = portfolioPage(matching.items, {
      sort,
      order,
      after: page.after as PortfolioKey | undefined,
      limit: page.limit,
    });
    return {
      items: paged.items,
      kpis: matching.kpis,
      statusesAt: matching.statusesAt,
      total: matching.items.length,
      owners: matching.owners,
      ...(paged.more && paged.last
        ? { nextCursor: encodeCursor(portfolioCursorList(sort, order), paged.last) }
        : {}),
    };
  }

  /**
   * Every service matching the query in its order (the CSV export): the
   * same filters, search and sort as `portfolio`, without paging.
   */
  async portfolioRows(
    credentials: BackstageCredentials,
    query: PortfolioQuery,
  ): Promise<{ items: ServiceSummary[]; kpis: Portfolio['kpis'] }> {
    const matching = await this.matching(credentials, query);
    return {
      items: sortPortfolio(matching.items, matching.sort, matching.order),
      kpis: matching.kpis,
    };
  }

  private async matching(
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
      items,
      kpis,
      statusesAt: {
        current: iso(nowStatuses.asOf),
        previous: iso(beforeStatuses.asOf),
      },
      owners: [...ownerChoices].sort((a, b) => collator.compare(a, b)),
      sort,
      order,
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
   * them kept), and drops snapshots older than a day.
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
        await this.statuses.statusesAt(services, at, now, { keep: true, signal })
      ).evaluated;
    }
    const dropped = await this.statuses.prune(now - SNAPSHOT_RETENTION_MS);
    return { kept, dropped };
  }

  /**
   * Late data (measurements of these entities from `from` on) changes their
   * statuses at later instants: the snapshots after `from` are dropped.
   */
  async dropSnapshotsAfter(entityRefs: string[], from: number) {
    await this.statuses.dropAfter(entityRefs, from);
  }
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
