import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
  countBreaches,
  hasAgreedInDateSla,
  TargetState,
  inForceAt,
  periodFigures,
  portfolioKpis,
  reviewOverdue,
  reviewScheduleAt,
  statusSource,
  targetFingerprint,
  targetsMetPercent,
  worstStatus,
} from '../domain/portfolio';
import {
  ScoredAnswer,
  countedAnswers,
  detectWatermelon,
  isSatisfied,
  summarizeScores,
} from '../domain/satisfaction';
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
const CLOCK_MARGIN_MS = 60_000;
const MAX_PERIOD_MS = 400 * 86_400_000;
/** Agreements whose targets are evaluated per attainment read. */
const BATCH = 2_000;
const KINDS: AgreementKind[] = ['SLA', 'OLA', 'UC'];
const STATUSES: PortfolioStatus[] = ['met', 'at-risk', 'breached', 'no-data'];
const STATUS_ORDER: Array<PortfolioStatus | null> = [
  'breached',
  'at-risk',
  'met',
  'no-data',
  null,
];

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

type Service = {
  ref: string;
  entityRef: string;
  agreements: PortfolioAgreementRecord[];
  owners: string[];
};

type PortfolioAgreementRecord = Agreement & {
  reviews: NonNullable<Parameters<typeof reviewScheduleAt>[0]['reviews']>;
};

/** A target's status at a period's end, however it was obtained. */
type TargetStatus = {
  agreementId: string;
  targetId: string;
  status: TargetState;
};

/** The statuses at a period's end and the instant they are for. */
type Statuses = {
  byRef: Map<string, TargetStatus[]>;
  /** The oldest instant a status used is for (ms). */
  asOf: number;
  /** Targets answered from kept statuses, and evaluated for this request. */
  kept: number;
  evaluated: number;
};

/**
 * The portfolio: every service with agreements (withdrawn ones left out)
 * and the practice's KPIs over a period and the one before. Reads all
 * agreements and held reviews once, breaches and feedback in one query
 * each; the targets' statuses at both period ends come from the statuses
 * kept (by the breach evaluator for the current instant, as whole-hour
 * snapshots for past ones), the rest evaluated in batches. The figures come
 * from domain/portfolio.
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
      clock: Clock;
      /** How old a status kept by the breach evaluator may be (ms). */
      maxStatusAgeMs?: number;
      /** Whether services' reports are timely (ReportService), if known. */
      reports?: () =>
        | {
            timelyReports(
              entityRefs: string[],
              at: number,
            ): Promise<Map<string, boolean>>;
          }
        | undefined;
    },
  ) {}

  /**
   * Each target's fingerprint and key, once per target object (the parsed
   * agreements are kept until they change).
   */
  private readonly targetInfo = new WeakMap<
    Target,
    { fingerprint: string; key: string }
  >();

  private infoOf(agreement: Agreement, target: Target) {
    let info = this.targetInfo.get(target);
    if (!info) {
      info = {
        fingerprint: targetFingerprint(agreement, target),
        key: TargetStatusStore.key(agreement.id, target.id),
      };
      this.targetInfo.set(target, info);
    }
    return info;
  }

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
  ): Promise<Portfolio> {
    const now = this.options.clock().getTime();
    const { current, previous, owner } = this.parse(query, now);
    const { store, guard } = this.options;

    let services = await this.services();
    if (query.kind) {
      services = services.filter(s =>
        s.agreements.some(a => a.kind === query.kind),
      );
    }
    // Anyone signed in reads, unless the policy says otherwise: one
    // decision request for all services, and the catalog read at once.
    const refs = services.map(s => s.entityRef);
    const [readable, entities] = await Promise.all([
      guard.readableRefs(credentials, refs),
      guard.getEntities(refs),
    ]);
    services = services.filter(s => readable.has(s.entityRef));
    for (const s of services) {
      const entity = entities.get(s.ref);
      s.owners = entity ? guard.ownersOf(entity) : [];
    }
    if (owner) services = services.filter(s => s.owners.includes(owner));

    const reports = this.options.reports?.();
    const serviceRefs = services.map(s => s.entityRef);
    const [
      nowStatuses,
      beforeStatuses,
      breaches,
      answers,
      timelyNow,
      timelyBefore,
    ] = await Promise.all([
      this.statusesAt(services, current.end, now),
      this.statusesAt(services, previous.end, now),
      store.breaches(iso(previous.start), iso(current.end)),
      store.scoredAnswers(iso(previous.start), iso(current.end)),
      reports?.timelyReports(serviceRefs, current.end),
      reports?.timelyReports(serviceRefs, previous.end),
    ]);
    const nowByRef = nowStatuses.byRef;
    const before = beforeStatuses.byRef;
    const breachesOf = new Map<string, PortfolioBreachRow[]>();
    for (const b of breaches) {
      breachesOf.set(b.entityRef, [...(breachesOf.get(b.entityRef) ?? []), b]);
    }

    const items: ServiceSummary[] = [];
    const readings: ServiceReading[] = [];
    const previousReadings: ServiceReading[] = [];
    for (const s of services) {
      const targets = nowByRef.get(s.ref) ?? [];
      const statuses = targets.map(t => t.status);
      const worst = worstStatus(statuses);
      if (query.status && worst !== query.status) continue;
      const own = breachesOf.get(s.ref) ?? [];
      const scored = answers.get(s.ref) ?? [];
      const csat = summarizeScores(countedAnswers(scored, current));
      const inForce = s.agreements.filter(a => inForceAt(a, current.end));
      const definitions = new Map(
        inForce.flatMap(a =>
          a.targets.map(t => [`${a.id}/${t.id}`, t] as const),
        ),
      );
      const watermelon = detectWatermelon({
        targets: targets.map(t => {
          const target = definitions.get(`${t.agreementId}/${t.targetId}`);
          return {
            agreementId: t.agreementId,
            targetId: t.targetId,
            name: target?.name ?? t.targetId,
            aspect: target?.aspect ?? 'unknown',
            status: t.status,
            // the verdict reads statuses; the evidence is GET /watermelon's
            attainment: null,
            objective: target?.objective ?? 100,
          };
        }),
        csat: { csat: csat.csat, responses: csat.csatResponses },
      });
      const schedules = inForce.map(a => reviewScheduleAt(a, current.end));

      const withData = statuses.filter(x => x !== 'no-data');
      items.push({
        entityRef: s.entityRef,
        owners: s.owners,
        kinds: KINDS.filter(k => s.agreements.some(a => a.kind === k)),
        agreements: s.agreements.length,
        agreementsInForce: inForce.length,
        worstStatus: worst,
        targets: statuses.length,
        targetsWithData: withData.length,
        targetsMet: withData.filter(x => x !== 'breached').length,
        targetsMetPercent: targetsMetPercent(statuses),
        breaches: countBreaches(own, current),
        csat: csat.csat,
        csatResponses: csat.csatResponses,
        watermelon: watermelon.watermelon,
        slaAgreedInDate: hasAgreedInDateSla(s.agreements, current.end),
        reviewOverdue: inForce.some(a => reviewOverdue(a, current.end)),
        nextReviewDue: earliest(
          schedules.flatMap(x => [
            x.nextServiceReviewDue,
            x.nextAgreementReviewDue,
          ]),
        ),
        nextServiceReviewDue: earliest(
          schedules.map(x => x.nextServiceReviewDue),
        ),
        nextAgreementReviewDue: earliest(
          schedules.map(x => x.nextAgreementReviewDue),
        ),
        timelyReports: timelyNow?.get(s.entityRef) ?? null,
      });
      readings.push({
        agreements: s.agreements,
        targets: statuses,
        breaches: own,
        csat: csatTally(scored, current),
        timelyReport: timelyNow?.get(s.entityRef),
      });
      previousReadings.push({
        agreements: s.agreements,
        targets: (before.get(s.ref) ?? []).map(t => t.status),
        breaches: own,
        csat: csatTally(scored, previous),
        timelyReport: timelyBefore?.get(s.entityRef),
      });
    }
    items.sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.worstStatus) -
          STATUS_ORDER.indexOf(b.worstStatus) ||
        collator.compare(a.entityRef, b.entityRef),
    );
    const kpis = portfolioKpis(
      periodFigures(readings, current),
      periodFigures(previousReadings, previous),
      { current, previous },
    );
    return {
      items,
      kpis,
      statusesAt: {
        current: iso(nowStatuses.asOf),
        previous: iso(beforeStatuses.asOf),
      },
    };
  }

  /**
   * Every entity with an agreement that is not withdrawn, with each
   * agreement's held reviews (for the review schedules).
   */
  private async services(): Promise<Service[]> {
    // Agreements and reviews change rarely; parsed once, read again when
    // the stamp (counts and version sums) moves.
    const stamp = await this.options.store.agreementsAndReviewsStamp();
    if (this.cached?.stamp !== stamp) {
      this.cached = { stamp, services: await this.readServices() };
    }
    // Owners are set per request: fresh objects, shared agreements.
    return this.cached.services.map(s => ({ ...s, owners: [] }));
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
      const service = byRef.get(ref) ?? {
        ref,
        entityRef: a.entityRef,
        agreements: [],
        owners: [],
      };
      service.agreements.push({ ...a, reviews: held.get(a.id) ?? [] });
      byRef.set(ref, service);
    }
    return [...byRef.values()];
  }

  /**
   * Keeps the statuses the default period's previous end will need this
   * hour and the next (called by a scheduled task, so that requests find
   * them kept), and drops snapshots older than a day.
   */
  async keepSnapshots(now: number): Promise<{ kept: number; dropped: number }> {
    const services = await this.services();
    const ms = parsePositiveDuration(DEFAULT_PERIOD)!.toMillis();
    const hour = Math.floor((now - ms) / HOUR_MS) * HOUR_MS;
    let kept = 0;
    for (const at of [hour, hour + HOUR_MS]) {
      kept += (await this.statusesAt(services, at, now)).evaluated;
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

  /** The breach evaluator's statuses, read in full once, then what changed. */
  private evaluatedCache?: { since: number; byKey: Map<string, KeptStatus> };

  private async evaluated(): Promise<Map<string, KeptStatus>> {
    const cache = this.evaluatedCache;
    // evaluated_at only grows per target; a minute's margin for the clocks
    // of other replicas.
    const rows = await this.options.statuses.evaluatedSince(
      cache ? cache.since - CLOCK_MARGIN_MS : undefined,
    );
    const byKey = cache?.byKey ?? new Map<string, KeptStatus>();
    let since = cache?.since ?? 0;
    for (const r of rows) {
      const k = TargetStatusStore.key(r.agreementId, r.targetId);
      const before = byKey.get(k);
      if (!before || before.at <= r.at) byKey.set(k, r);
      since = Math.max(since, r.at);
    }
    this.evaluatedCache = { since, byKey };
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
   * The status of every target in force at `at`, by service: from the
   * statuses kept (statusSource), the rest evaluated in batches of
   * agreements (one read per table per batch); statuses evaluated for a
   * past whole hour are kept for the next request.
   */
  private async statusesAt(
    services: Service[],
    at: number,
    now: number,
  ): Promise<Statuses> {
    const source = statusSource(at, now, this.maxStatusAgeMs);
    const wanted: Array<{
      ref: string;
      agreement: Agreement;
      target: Target;
      fingerprint: string;
      key: string;
    }> = [];
    for (const s of services) {
      for (const agreement of s.agreements) {
        if (!inForceAt(agreement, at)) continue;
        for (const target of agreement.targets) {
          const info = this.infoOf(agreement, target);
          wanted.push({
            ref: s.ref,
            agreement,
            target,
            fingerprint: info.fingerprint,
            key: info.key,
          });
        }
      }
    }
    const store = this.options.statuses;
    let kept = new Map<string, KeptStatus>();
    if (wanted.length && source.kind === 'live') {
      kept = await this.evaluated();
    } else if (wanted.length && source.kind === 'snapshot') {
      kept = await this.snapshots(source.at);
    }
    const byRef = new Map<string, TargetStatus[]>();
    const add = (ref: string, status: TargetStatus) => {
      const list = byRef.get(ref);
      if (list) list.push(status);
      else byRef.set(ref, [status]);
    };
    let asOf = source.at;
    const missing = new Map<
      string,
      { agreement: Agreement; targets: Target[] }
    >();
    const missingOf = new Map<string, (typeof wanted)[number]>();
    for (const w of wanted) {
      const k = kept.get(w.key);
      const usable =
        k &&
        k.fingerprint === w.fingerprint &&
        (source.kind !== 'live' || (k.at >= source.oldest && k.at <= at));
      if (k && usable) {
        add(w.ref, {
          agreementId: k.agreementId,
          targetId: k.targetId,
          status: k.status,
        });
        asOf = Math.min(asOf, k.at);
        continue;
      }
      const entry = missing.get(w.agreement.id) ?? {
        agreement: w.agreement,
        targets: [],
      };
      entry.targets.push(w.target);
      missing.set(w.agreement.id, entry);
      missingOf.set(w.key, w);
    }
    const toEvaluate = [...missing.values()].map(m => ({
      ...m.agreement,
      targets: m.targets,
    }));
    const evaluated: Array<
      TargetStatus & { entityRef: string; fingerprint: string }
    > = [];
    for (let i = 0; i < toEvaluate.length; i += BATCH) {
      const results = await this.options.attainment.forAgreements(
        toEvaluate.slice(i, i + BATCH),
        source.at,
      );
      for (const r of results) {
        const w = missingOf.get(
          TargetStatusStore.key(r.agreementId, r.targetId),
        )!;
        const status = {
          agreementId: r.agreementId,
          targetId: r.targetId,
          status: r.status,
        };
        add(w.ref, status);
        evaluated.push({
          ...status,
          entityRef: w.agreement.entityRef,
          fingerprint: w.fingerprint,
        });
      }
    }
    if (process.env.PORTFOLIO_DEBUG) {
      console.log(source, wanted.length, kept.size, evaluated.length);
    }
    if (source.kind === 'snapshot' && evaluated.length) {
      await store.keepSnapshots(source.at, evaluated, now);
    }
    return {
      byRef,
      asOf,
      kept: wanted.length - evaluated.length,
      evaluated: evaluated.length,
    };
  }
}

/** The earliest of ISO instants in UTC (`…Z`, as the schedules give them). */
function earliest(dues: Array<string | undefined>): string | null {
  let min: string | null = null;
  for (const d of dues) if (d && (min === null || d < min)) min = d;
  return min;
}

function csatTally(answers: ScoredAnswer[], period: Period): CsatTally {
  const csat = countedAnswers(answers, period).filter(a => a.scale === 'csat');
  return {
    responses: csat.length,
    satisfied: csat.filter(a => isSatisfied(a.score)).length,
  };
}
