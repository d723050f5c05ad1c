import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  PublishedReport,
  PublishedReportSummary,
  ServiceReport,
  slaAgreementReadPermission,
  slaAgreementUpdatePermission,
} from '@opensla/backstage-plugin-sla-common';
import type { SeedPublishedReport } from '@opensla/backstage-plugin-sla-node';
import { DateTime } from 'luxon';
import { v4 as uuid } from 'uuid';
import {
  DEFAULT_REPORT_GRACE_DAYS,
  ReportPeriod,
  ReportPublication,
  lastFullMonth,
  buildServiceReport,
  timelyReportRule,
  periodTargets,
  resolveReportPeriod,
} from '../domain/reports';
import { agreementsInForceDuring } from './agreementsInForce';
import { AgreementStore } from '../store/AgreementStore';
import { ReportStore } from '../store/ReportStore';
import { Clock } from './AgreementService';
import { AttainmentService } from './AttainmentService';
import { BreachService } from './BreachService';
import { EntityAccessGuard } from './EntityAccessGuard';
import { ImprovementService } from './ImprovementService';
import { ReviewService } from './ReviewService';
import { StampedCache } from './StampedCache';
import { principalRef, SatisfactionService } from './SatisfactionService';

const iso = (t: number) => new Date(t).toISOString();

type PeriodQuery = { month?: string; from?: string; to?: string };

const summaryOf = ({ report, ...rest }: PublishedReport) =>
  ({ ...rest, summary: report.summary } as PublishedReportSummary);

/**
 * Service reports (issue 6): the figures of an entity over a period, from
 * the attainment, breach, satisfaction, review and improvement services,
 * live or published (frozen at publication, one per entity and period).
 * Anyone who may read the entity's agreements reads its reports; its owners
 * publish them.
 * @internal
 */
export class ReportService {
  constructor(
    private readonly options: {
      agreements: AgreementStore;
      attainment: AttainmentService;
      breaches: BreachService;
      satisfaction: SatisfactionService;
      reviews: ReviewService;
      improvements: ImprovementService;
      reports: ReportStore;
      guard: EntityAccessGuard;
      clock: Clock;
      /** Days after a period within which its report counts as timely. */
      graceDays?: number;
    },
  ) {}

  private now() {
    return this.options.clock().getTime();
  }

  /** The live report of an entity for a period (default: last full month before `at`). */
  async live(
    credentials: BackstageCredentials,
    query: PeriodQuery & { entityRef?: string; at?: string },
  ): Promise<ServiceReport> {
    const at = parseAt(query.at, this.now());
    const period = checkedPeriod(query, at);
    const entityRef = checkedRef(query.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
    const ref = await this.catalogRef(entityRef);
    return this.compute(credentials, ref, period, this.now());
  }

  /** Publishes (freezes) the report of an entity's period; owners only. */
  async publish(
    credentials: BackstageCredentials,
    body: unknown,
  ): Promise<PublishedReport> {
    const input = (body ?? {}) as PeriodQuery & { entityRef?: unknown };
    for (const field of ['entityRef', 'month', 'from', 'to'] as const) {
      if (input[field] !== undefined && typeof input[field] !== 'string') {
        throw new InputError(`${field} must be a string`);
      }
    }
    const now = this.now();
    const period = checkedPeriod(input, now);
    const entityRef = checkedRef(input.entityRef as string | undefined);
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    const ref = stringifyEntityRef(entity);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementUpdatePermission,
      ref,
      entity,
    );
    const existing = await this.options.reports.forPeriod(ref, {
      start: iso(period.start),
      end: iso(period.end),
    });
    if (existing) throw conflict(existing);
    const report = await this.compute(credentials, ref, period, now);
    const published: PublishedReport = {
      id: uuid(),
      entityRef: ref,
      period: report.period,
      publishedAt: iso(now),
      publishedBy: principalRef(credentials),
      summary: report.summary,
      report,
    };
    if (!(await this.options.reports.insert(published))) {
      const raced = await this.options.reports.forPeriod(ref, report.period);
      throw raced
        ? conflict(raced)
        : new ConflictError('The report was published meanwhile');
    }
    return published;
  }

  /**
   * Stores seeded publications (slaPracticeSeedExtensionPoint) once per
   * entity and month, frozen like POST /reports/published. A month without
   * any measured target yet waits for a later run (the metric sources have
   * not backfilled it). `credentials` are the plugin's own.
   */
  async seedPublications(
    source: string,
    seeds: SeedPublishedReport[],
    credentials: BackstageCredentials,
    warn: (message: string) => void,
  ): Promise<{ stored: number; waiting: number }> {
    let stored = 0;
    let waiting = 0;
    const now = this.now();
    for (const seed of seeds) {
      const resolved = resolveReportPeriod({ month: seed.month }, now);
      const entity =
        'errors' in resolved
          ? undefined
          : await this.options.guard.getEntity(seed.entityRef);
      if ('errors' in resolved || !entity) {
        warn(
          `Skipping seed report of ${seed.entityRef} for ${
            seed.month
          } from ${source}: ${
            'errors' in resolved
              ? resolved.errors.join('; ')
              : 'not an entity in the catalog'
          }`,
        );
        continue;
      }
      const period = resolved.period;
      const ref = stringifyEntityRef(entity);
      if (
        await this.options.reports.forPeriod(ref, {
          start: iso(period.start),
          end: iso(period.end),
        })
      ) {
        continue;
      }
      const report = await this.compute(credentials, ref, period, now);
      if (report.summary.noData >= report.summary.targets) {
        waiting++;
        continue;
      }
      const publishedAt = seed.publishedAt
        ? Math.min(Date.parse(seed.publishedAt), now)
        : now;
      const published: PublishedReport = {
        id: uuid(),
        entityRef: ref,
        period: report.period,
        publishedAt: iso(publishedAt),
        publishedBy: seed.publishedBy ?? `seed:${source}`,
        summary: report.summary,
        report,
      };
      if (await this.options.reports.insert(published)) stored++;
    }
    return { stored, waiting };
  }

  async listPublished(
    credentials: BackstageCredentials,
    query: { entityRef?: string },
  ): Promise<{ items: PublishedReportSummary[] }> {
    const entityRef = checkedRef(query.entityRef);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      entityRef,
      undefined,
    );
    const items = await this.options.reports.list(entityRef);
    return { items: items.map(summaryOf) };
  }

  async getPublished(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<PublishedReport> {
    const published = await this.options.reports.get(id);
    if (!published)
      throw new NotFoundError(`No published report with id ${id}`);
    await this.options.guard.assertAllowed(
      credentials,
      slaAgreementReadPermission,
      published.entityRef,
      undefined,
    );
    return published;
  }

  /**
   * Whether each entity has timely reports at each of `ats`
   * (hasTimelyReport with the configured grace), read for all entities and
   * instants in one query. Keys are the entity refs as given. No
   * credentials: a KPI over the portfolio.
   */
  async timelyReports(
    entityRefs: string[],
    ats: number[],
  ): Promise<Array<Map<string, boolean>>> {
    if (!ats.length) return [];
    // The rule looks at most two months back (the last month and the one
    // before) from the earliest instant: one read for all of them.
    const since = DateTime.fromMillis(Math.min(...ats), { zone: 'utc' })
      .startOf('month')
      .minus({ months: 2 })
      .toMillis();
    const publications = await this.options.reports.publicationsSince(
      entityRefs,
      since,
    );
    const grace = this.options.graceDays ?? DEFAULT_REPORT_GRACE_DAYS;
    const lists = entityRefs.map(
      ref => publications.get(ref.toLowerCase()) ?? [],
    );
    return ats.map(at => {
      const timely = timelyReportRule(at, grace);
      return new Map(entityRefs.map((ref, i) => [ref, timely(lists[i])]));
    });
  }

  /**
   * The entities (lower-case refs) whose reports are timely at each of
   * `ats`, every other entity's are not: what timelyReports answers for
   * every entity at once. The publications are kept under their database
   * stamp (StampedCache) and each answer while what the rule compares its
   * instant with holds (the month, the grace, the publications made by
   * then): the same Set object then, so the portfolio can keep what it
   * derived from it.
   */
  async timelySets(ats: number[]): Promise<Array<ReadonlySet<string>>> {
    if (!ats.length) return [];
    const since = DateTime.fromMillis(Math.min(...ats), { zone: 'utc' })
      .startOf('month')
      .minus({ months: 2 })
      .toMillis();
    const kept = await this.publications.read(
      async () => {
        const byRef = await this.options.reports.publicationsFrom(since);
        const published: number[] = [];
        for (const list of byRef.values()) {
          for (const p of list) published.push(p.publishedAt);
        }
        published.sort((a, b) => a - b);
        return { since, byRef, published, sets: new Map() };
      },
      k => k.since <= since,
    );
    const grace = this.options.graceDays ?? DEFAULT_REPORT_GRACE_DAYS;
    return ats.map(at => {
      const month = lastFullMonth(at);
      // publications made by `at`: binary search over the sorted instants
      let lo = 0;
      let hi = kept.published.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (kept.published[mid] <= at) lo = mid + 1;
        else hi = mid;
      }
      const key = `${month.start}/${at < month.end + grace * 86_400_000}/${lo}`;
      let set = kept.sets.get(key);
      if (!set) {
        const timely = timelyReportRule(at, grace);
        const timelyRefs = new Set<string>();
        for (const [ref, list] of kept.byRef) {
          if (timely(list)) timelyRefs.add(ref);
        }
        set = timelyRefs;
        kept.sets.set(key, set);
      }
      return set;
    });
  }

  private readonly publications = new StampedCache<{
    since: number;
    byRef: Map<string, ReportPublication[]>;
    published: number[];
    sets: Map<string, ReadonlySet<string>>;
  }>(() => this.options.reports.publicationsStamp());

  private async catalogRef(entityRef: string) {
    const entity = await this.options.guard.getEntity(entityRef);
    if (!entity) {
      throw new InputError(
        `entityRef ${entityRef} is not an entity in the catalog`,
      );
    }
    return stringifyEntityRef(entity);
  }

  private async compute(
    credentials: BackstageCredentials,
    entityRef: string,
    period: ReportPeriod,
    generatedAt: number,
  ): Promise<ServiceReport> {
    const o = this.options;
    // The agreements in force during the period, as they were then (their
    // version history), not as they are now.
    const agreements = await agreementsInForceDuring(
      o.agreements,
      entityRef,
      period,
    );
    const seconds = Math.max(1, Math.round((period.end - period.start) / 1000));
    const [attainment, breaches, satisfaction, reviews, improvements] =
      await Promise.all([
        // The period's figures and each target's own window at the period
        // end, in one read: the first half are the period-window copies.
        o.attainment.forAgreements(
          [...periodTargets(agreements, period), ...agreements],
          period.end,
        ),
        o.breaches.list(entityRef, iso(period.start), iso(period.end)),
        o.satisfaction.satisfaction(credentials, {
          entityRef,
          at: iso(period.end),
          window: `PT${seconds}S`,
        }),
        o.reviews.list(credentials, { entityRef }),
        o.improvements.list(credentials, { entityRef }),
      ]);
    const half = attainment.length / 2;
    return buildServiceReport({
      entityRef,
      period,
      generatedAt,
      agreements,
      overPeriod: attainment.slice(0, half),
      atPeriodEnd: attainment.slice(half),
      breaches,
      satisfaction,
      reviews: reviews.items,
      improvements: improvements.items,
    });
  }
}

function conflict(existing: PublishedReport) {
  return new ConflictError(
    `The report of ${existing.entityRef} for ${
      existing.period.month ??
      `${existing.period.start} to ${existing.period.end}`
    } was published by ${existing.publishedBy} at ${existing.publishedAt} (id ${
      existing.id
    }); a published report never changes`,
  );
}

function parseAt(at: string | undefined, now: number): number {
  if (at === undefined) return now;
  const t = Date.parse(at);
  if (!Number.isFinite(t)) {
    throw new InputError('at must be an ISO 8601 instant');
  }
  return t;
}

function checkedPeriod(query: PeriodQuery, at: number): ReportPeriod {
  const result = resolveReportPeriod(
    { month: query.month, from: query.from, to: query.to },
    at,
  );
  if ('errors' in result) throw new InputError(result.errors.join('; '));
  return result.period;
}

function checkedRef(entityRef: string | undefined): string {
  if (!entityRef) throw new InputError('entityRef is required');
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch {
    throw new InputError(
      `entityRef must be an entity ref like component:default/name, got ${entityRef}`,
    );
  }
}
