import type {
  Agreement,
  Breach,
  ServiceReport,
  ServiceReportAgreement,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import type { ReportPeriod } from './reportPeriod';

const iso = (t: number) => new Date(t).toISOString();

/** Statuses whose targets were in force (or were until they expired). */
const REPORTED_STATUSES = new Set(['agreed', 'under-review', 'expired']);

/**
 * Whether an agreement belongs in the report of a period: it is (or was,
 * until it expired) agreed, and its validity overlaps the period. Drafts,
 * requirements and agreements under negotiation never were in force;
 * withdrawn agreements are left out because nothing records whether they
 * were in force during the period.
 */
export function reportedDuring(agreement: Agreement, period: ReportPeriod) {
  if (!REPORTED_STATUSES.has(agreement.status)) return false;
  const from = agreement.validFrom
    ? Date.parse(agreement.validFrom)
    : -Infinity;
  const until = agreement.validUntil
    ? Date.parse(agreement.validUntil)
    : Infinity;
  return from < period.end && until > period.start;
}

/**
 * A copy of the agreements whose targets' windows are exactly the period
 * when evaluated at its end (a rolling window as long as the period), so the
 * attainment service computes the period's figures with its usual rules
 * (maintenance windows, slices, events).
 */
export function periodTargets(
  agreements: Agreement[],
  period: ReportPeriod,
): Agreement[] {
  const seconds = (period.end - period.start) / 1000;
  return agreements.map(a => ({
    ...a,
    targets: a.targets.map(t => ({
      ...t,
      window: { type: 'rolling' as const, duration: `PT${seconds}S` },
    })),
  }));
}

type SatisfactionFigures = {
  csat: number | null;
  csatResponses: number;
  nps: number | null;
  npsResponses: number;
  responses: number;
  complaints: {
    total: number;
    open: number;
    acknowledged: number;
    resolved: number;
  };
  compliments: number;
};

type ReviewLike = {
  id: string;
  agreementId: string;
  kind: string;
  status: string;
  heldAt?: string;
  participants: string[];
  decision?: { type: string };
};

type ImprovementLike = {
  id: string;
  title: string;
  source: string;
  owner: string;
  status: string;
  progress?: number;
  due?: string;
  completedAt?: string;
  createdAt: string;
  updatedAt: string;
};

const key = (agreementId: string, targetId: string) =>
  `${agreementId}\u0000${targetId}`;

/**
 * Assembles a service report from figures computed elsewhere: attainment
 * over the period and at its end (per target), the breaches, satisfaction,
 * reviews and improvements of the entity. Pure: no clock, no I/O.
 */
export function buildServiceReport(input: {
  entityRef: string;
  period: ReportPeriod;
  generatedAt: number;
  agreements: Agreement[];
  overPeriod: TargetAttainment[];
  atPeriodEnd: TargetAttainment[];
  breaches: Breach[];
  satisfaction: SatisfactionFigures;
  reviews: ReviewLike[];
  improvements: ImprovementLike[];
}): ServiceReport {
  const { period } = input;
  const over = new Map(
    input.overPeriod.map(a => [key(a.agreementId, a.targetId), a]),
  );
  const atEnd = new Map(
    input.atPeriodEnd.map(a => [key(a.agreementId, a.targetId), a]),
  );
  const breachesOf = new Map<string, Breach[]>();
  for (const b of input.breaches) {
    const opened = Date.parse(b.openedAt);
    const closed = b.closedAt ? Date.parse(b.closedAt) : undefined;
    // Breaches that overlap the period: opened before its end, not closed before its start.
    if (
      opened >= period.end ||
      (closed !== undefined && closed <= period.start)
    ) {
      continue;
    }
    const k = key(b.agreementId, b.targetId);
    breachesOf.set(k, [...(breachesOf.get(k) ?? []), b]);
  }

  const summary = { targets: 0, met: 0, notMet: 0, noData: 0, breaches: 0 };
  const agreements: ServiceReportAgreement[] = input.agreements.map(a => ({
    id: a.id,
    kind: a.kind,
    title: a.title,
    status: a.status,
    version: a.version,
    ...(a.validFrom ? { validFrom: a.validFrom } : {}),
    ...(a.validUntil ? { validUntil: a.validUntil } : {}),
    ...(a.agreedAt ? { agreedAt: a.agreedAt } : {}),
    ...(a.signatures?.length ? { signatures: a.signatures } : {}),
    targets: a.targets.map(t => {
      const k = key(a.id, t.id);
      const figures = over.get(k);
      const end = atEnd.get(k);
      const attainment = figures?.attainment ?? null;
      const met = attainment === null ? null : attainment >= t.objective;
      const breaches = (breachesOf.get(k) ?? [])
        .sort((x, y) => Date.parse(x.openedAt) - Date.parse(y.openedAt))
        .map(b => {
          const opened = Date.parse(b.openedAt);
          const closed =
            b.closedAt && Date.parse(b.closedAt) <= period.end
              ? Date.parse(b.closedAt)
              : undefined;
          return {
            id: b.id,
            openedAt: b.openedAt,
            closedAt: closed === undefined ? null : iso(closed),
            severity: b.severity,
            cause: b.cause,
            durationMs: (closed ?? period.end) - opened,
          };
        });
      summary.targets++;
      if (met === null) summary.noData++;
      else if (met) summary.met++;
      else summary.notMet++;
      summary.breaches += breaches.length;
      return {
        targetId: t.id,
        name: t.name,
        aspect: t.aspect,
        objective: t.objective,
        attainment,
        met,
        counted: figures?.counted ?? 0,
        errorBudget: figures
          ? { ...figures.errorBudget }
          : { allowed: 0, consumed: 0, remaining: 1 },
        breaches,
        ...(figures?.coverage?.window ? { coverage: figures.coverage } : {}),
        atPeriodEnd: {
          status: end?.status ?? 'no-data',
          attainment: end?.attainment ?? null,
          window: end?.window ?? {
            start: iso(period.end),
            end: iso(period.end),
          },
          ...(end?.coverage ? { coverage: end.coverage } : {}),
        },
      };
    }),
  }));

  const s = input.satisfaction;
  const inPeriod = (t?: string) =>
    t !== undefined &&
    Date.parse(t) >= period.start &&
    Date.parse(t) < period.end;
  return {
    entityRef: input.entityRef,
    period: {
      start: iso(period.start),
      end: iso(period.end),
      ...(period.month ? { month: period.month } : {}),
    },
    generatedAt: iso(input.generatedAt),
    summary,
    agreements,
    satisfaction: {
      csat: s.csat,
      csatResponses: s.csatResponses,
      nps: s.nps,
      npsResponses: s.npsResponses,
      responses: s.responses,
      complaints: { ...s.complaints },
      compliments: s.compliments,
    },
    reviews: input.reviews
      .filter(r => r.status === 'held' && inPeriod(r.heldAt))
      .sort((x, y) => Date.parse(x.heldAt!) - Date.parse(y.heldAt!))
      .map(r => ({
        id: r.id,
        agreementId: r.agreementId,
        kind: r.kind,
        heldAt: r.heldAt!,
        participants: r.participants.length,
        ...(r.decision ? { decision: r.decision.type } : {}),
      })),
    improvements: input.improvements
      .filter(i => improvementActiveDuring(i, period))
      .map(i => ({
        id: i.id,
        title: i.title,
        source: i.source,
        owner: i.owner,
        status: i.status,
        ...(i.progress !== undefined ? { progress: i.progress } : {}),
        ...(i.due ? { due: i.due } : {}),
        ...(i.completedAt ? { completedAt: i.completedAt } : {}),
      })),
  };
}

/**
 * An initiative belongs to a period when it existed before the period ended
 * and was not finished before it started (done: completedAt; cancelled: its
 * last change).
 */
export function improvementActiveDuring(
  i: ImprovementLike,
  period: ReportPeriod,
): boolean {
  if (Date.parse(i.createdAt) >= period.end) return false;
  let finished: string | undefined;
  if (i.status === 'done') finished = i.completedAt ?? i.updatedAt;
  else if (i.status === 'cancelled') finished = i.updatedAt;
  return finished === undefined || Date.parse(finished) >= period.start;
}
