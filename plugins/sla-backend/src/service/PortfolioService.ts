import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Agreement,
  AgreementKind,
  Portfolio,
  PortfolioStatus,
  ServiceSummary,
  TargetAttainment,
  nextReviewDue,
  parsePositiveDuration,
} from '@opensla/backstage-plugin-sla-common';
import {
  CsatTally,
  Period,
  ServiceReading,
  countBreaches,
  hasAgreedInDateSla,
  inForceAt,
  periodFigures,
  portfolioKpis,
  reviewOverdue,
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
import { Clock } from './AgreementService';
import { AttainmentService } from './AttainmentService';
import { EntityAccessGuard } from './EntityAccessGuard';

const DEFAULT_PERIOD = 'P30D';
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
  agreements: Agreement[];
  owners: string[];
};

/**
 * The portfolio: every service with agreements (withdrawn ones left out)
 * and the practice's KPIs over a period and the one before. Reads all
 * agreements once, evaluates the targets in force at both period ends in
 * batches (one read per table per batch), reads breaches and feedback in
 * one query each; the figures come from domain/portfolio.
 * @internal
 */
export class PortfolioService {
  constructor(
    private readonly options: {
      agreements: AgreementStore;
      store: PortfolioStore;
      attainment: AttainmentService;
      guard: EntityAccessGuard;
      clock: Clock;
    },
  ) {}

  private parse(query: PortfolioQuery) {
    const end = query.at
      ? Date.parse(query.at)
      : this.options.clock().getTime();
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
    const { current, previous, owner } = this.parse(query);
    const { agreements, store, guard } = this.options;

    // nextReviewDue as the agreements API derives it (agreedAt plus the
    // review interval); review records will move it once they land.
    const all = (await agreements.list())
      .filter(a => a.status !== 'withdrawn')
      .map(a => ({ ...a, nextReviewDue: nextReviewDue(a) }));
    const byRef = new Map<string, Service>();
    for (const a of all) {
      const ref = lower(a.entityRef);
      const service = byRef.get(ref) ?? {
        ref,
        entityRef: a.entityRef,
        agreements: [],
        owners: [],
      };
      service.agreements.push(a);
      byRef.set(ref, service);
    }
    let services = [...byRef.values()];
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

    const [now, before, breaches, answers] = await Promise.all([
      this.statuses(services, current.end),
      this.statuses(services, previous.end),
      store.breaches(iso(previous.start), iso(current.end)),
      store.scoredAnswers(iso(previous.start), iso(current.end)),
    ]);
    const breachesOf = new Map<string, PortfolioBreachRow[]>();
    for (const b of breaches) {
      breachesOf.set(b.entityRef, [...(breachesOf.get(b.entityRef) ?? []), b]);
    }

    const items: ServiceSummary[] = [];
    const readings: ServiceReading[] = [];
    const previousReadings: ServiceReading[] = [];
    for (const s of services) {
      const targets = now.get(s.ref) ?? [];
      const statuses = targets.map(t => t.status);
      const worst = worstStatus(statuses);
      if (query.status && worst !== query.status) continue;
      const own = breachesOf.get(s.ref) ?? [];
      const scored = answers.get(s.ref) ?? [];
      const csat = summarizeScores(countedAnswers(scored, current));
      const inForce = s.agreements.filter(a => inForceAt(a, current.end));
      const aspects = new Map(
        inForce.flatMap(a =>
          a.targets.map(t => [`${a.id}/${t.id}`, t.aspect] as const),
        ),
      );
      const watermelon = detectWatermelon({
        targets: targets.map(t => ({
          agreementId: t.agreementId,
          targetId: t.targetId,
          name: t.name,
          aspect: aspects.get(`${t.agreementId}/${t.targetId}`) ?? 'unknown',
          status: t.status,
          attainment: t.attainment,
          objective: t.objective,
        })),
        csat: { csat: csat.csat, responses: csat.csatResponses },
      });
      const due = inForce
        .map(a => a.nextReviewDue)
        .filter((d): d is string => !!d)
        .sort();
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
        nextReviewDue: due[0] ?? null,
      });
      readings.push({
        agreements: s.agreements,
        targets: statuses,
        breaches: own,
        csat: csatTally(scored, current),
      });
      previousReadings.push({
        agreements: s.agreements,
        targets: (before.get(s.ref) ?? []).map(t => t.status),
        breaches: own,
        csat: csatTally(scored, previous),
      });
    }
    items.sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.worstStatus) -
          STATUS_ORDER.indexOf(b.worstStatus) ||
        a.entityRef.localeCompare(b.entityRef),
    );
    const kpis = portfolioKpis(
      periodFigures(readings, current),
      periodFigures(previousReadings, previous),
      { current, previous },
    );
    return { items, kpis };
  }

  /**
   * The attainment of every target in force at `at`, by service: the
   * agreements in batches, each batch one read per table.
   */
  private async statuses(
    services: Service[],
    at: number,
  ): Promise<Map<string, TargetAttainment[]>> {
    const refOf = new Map<string, string>();
    const inForce: Agreement[] = [];
    for (const s of services) {
      for (const a of s.agreements) {
        if (inForceAt(a, at)) {
          inForce.push(a);
          refOf.set(a.id, s.ref);
        }
      }
    }
    const out = new Map<string, TargetAttainment[]>();
    for (let i = 0; i < inForce.length; i += BATCH) {
      const results = await this.options.attainment.forAgreements(
        inForce.slice(i, i + BATCH),
        at,
      );
      for (const r of results) {
        const ref = refOf.get(r.agreementId)!;
        out.set(ref, [...(out.get(ref) ?? []), r]);
      }
    }
    return out;
  }
}

function csatTally(answers: ScoredAnswer[], period: Period): CsatTally {
  const csat = countedAnswers(answers, period).filter(a => a.scale === 'csat');
  return {
    responses: csat.length,
    satisfied: csat.filter(a => isSatisfied(a.score)).length,
  };
}
