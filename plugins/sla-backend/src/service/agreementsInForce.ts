import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import { AgreementStore } from '../store/AgreementStore';
import {
  VersionRecord,
  isValidAt,
  lastVersionInForceDuring,
  versionInForceAt,
} from '../domain/inForce';

/** The history of an agreement as version records (snapshots parsed lazily). */
function records(
  current: Agreement,
  stored:
    | Array<{
        version: number;
        status: Agreement['status'];
        changedAt: string;
        snapshot: string;
      }>
    | undefined,
): Array<VersionRecord<Agreement>> {
  // An agreement written without a history row (e.g. by a bulk load) has
  // only its current version.
  const rows = stored?.length
    ? stored
    : [
        {
          version: current.version,
          status: current.status,
          changedAt: current.updatedAt,
          snapshot: '',
        },
      ];
  return rows.map(r => {
    let parsed: Agreement | undefined =
      r.version === current.version ? current : undefined;
    return {
      version: r.version,
      status: r.status,
      changedAt: Date.parse(r.changedAt),
      snapshot: () => (parsed ??= JSON.parse(r.snapshot) as Agreement),
    };
  });
}

/**
 * The entity's agreements as they were in force at `at`, each in the version
 * then in force (domain/inForce: agreed at `at` and valid), newest first.
 *
 * At or after `now` this is the current agreed versions that are valid at
 * `at`: one query, as before. For a past `at`, one query finds the agreements
 * agreed now or changed since `at`; only when some changed since `at` is
 * their history read (one more query), so figures for a recent `at` cost
 * what live ones do.
 */
export async function agreementsInForceAt(
  store: AgreementStore,
  entityRef: string,
  at: number,
  now: number,
): Promise<Agreement[]> {
  if (at >= now) {
    const agreed = await store.list({ entityRef, status: 'agreed' });
    return agreed.filter(a => isValidAt(a, at));
  }
  return inForceAmong(
    await store.listAgreedOrChangedAfter(entityRef, at),
    at,
    ids => store.versionsOf(ids),
  );
}

/** Histories of agreements by id, as AgreementStore.versionsOf reads them. */
export type HistoriesOf = (
  ids: string[],
) => ReturnType<AgreementStore['versionsOf']>;

/**
 * agreementsInForceAt from agreements read earlier: `all` is every agreement
 * of the entity (current versions, any status, newest first) and
 * `historiesOf` reads (or finds kept) the histories of those changed since
 * `at`. No statement when `at` is now or later, or nothing changed since.
 */
export async function agreementsInForceAmong(
  all: Agreement[],
  at: number,
  now: number,
  historiesOf: HistoriesOf,
): Promise<Agreement[]> {
  if (at >= now) {
    return all.filter(a => a.status === 'agreed' && isValidAt(a, at));
  }
  // What listAgreedOrChangedAfter selects.
  return inForceAmong(
    all.filter(a => a.status === 'agreed' || Date.parse(a.updatedAt) > at),
    at,
    historiesOf,
  );
}

/**
 * Of `candidates` (agreed now, or changed since `at`), the versions in
 * force at `at`: histories are read only for those changed since.
 */
async function inForceAmong(
  candidates: Agreement[],
  at: number,
  historiesOf: HistoriesOf,
): Promise<Agreement[]> {
  const changed = candidates.filter(a => Date.parse(a.updatedAt) > at);
  const histories = await historiesOf(changed.map(a => a.id));
  const result: Agreement[] = [];
  for (const agreement of candidates) {
    if (Date.parse(agreement.updatedAt) <= at) {
      // Unchanged since `at`: the current version is the one of `at`, and
      // it is agreed (see listAgreedOrChangedAfter).
      if (isValidAt(agreement, at)) result.push(agreement);
      continue;
    }
    const version = versionInForceAt(
      records(agreement, histories.get(agreement.id)),
      at,
    );
    if (version) result.push(version.snapshot());
  }
  return result;
}

/**
 * The entity's agreements that were in force at some instant of
 * [start, end), each in the last version in force during it (what a report
 * of the period shows), newest first. As service reports have always
 * counted them, an agreement under review is still in force (in its last
 * agreed version). Reads every agreement of the entity and their
 * histories: two queries.
 */
export async function agreementsInForceDuring(
  store: AgreementStore,
  entityRef: string,
  period: { start: number; end: number },
): Promise<Agreement[]> {
  const all = await store.list({ entityRef });
  const histories = await store.versionsOf(all.map(a => a.id));
  const result: Agreement[] = [];
  for (const agreement of all) {
    const version = lastVersionInForceDuring(
      records(agreement, histories.get(agreement.id)),
      period.start,
      period.end,
      { duringReview: true },
    );
    if (version) result.push(version.snapshot());
  }
  return result;
}

/**
 * The version of one agreement a review of [start, end) assesses: the last
 * version in force during the period (as for service reports), or, when it
 * was never in force then (a review before it was first agreed), the
 * current one. One query.
 */
export async function agreementForPeriod(
  store: AgreementStore,
  agreement: Agreement,
  period: { start: number; end: number },
): Promise<Agreement> {
  const histories = await store.versionsOf([agreement.id]);
  const version = lastVersionInForceDuring(
    records(agreement, histories.get(agreement.id)),
    period.start,
    period.end,
    { duringReview: true },
  );
  return version ? version.snapshot() : agreement;
}
