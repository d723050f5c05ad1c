import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Agreement,
  Breach,
  BreachCause,
  BreachSeverity,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { AgreementStore } from '../store/AgreementStore';
import { AttainmentService } from './AttainmentService';
import type { CatalogGraphIndex } from './CatalogGraphIndex';
import { SlaNotifier } from './SlaNotifier';
import { budgetWarningLevel } from '../domain';
import { isExpiredAt } from '../domain/expiry';
import { targetFingerprint } from '../domain/portfolio';

const SEVERITY_ORDER: BreachSeverity[] = ['minor', 'major', 'critical'];
const HOUR_MS = 3_600_000;
/** How far back a breach is dated, and history recorded on first evaluation. */
export const BREACH_LOOKBACK_MS = 35 * 24 * HOUR_MS;
/** Instants evaluated per read when dating a breach. */
const BATCH = 48;

const worseSeverity = (a: BreachSeverity, b: BreachSeverity) =>
  SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b;

const minRemaining = (a: number | null, b: number | null) =>
  a === null || b === null ? null : Math.min(a, b);

/**
 * How far the error budget is overrun: up to twice the allowed bad events
 * is minor, up to five times major, beyond (or with no budget at all)
 * critical.
 */
export function breachSeverity(
  budget: TargetAttainment['errorBudget'],
): BreachSeverity {
  if (budget.remaining === null) return 'critical';
  const spent = 1 - budget.remaining;
  if (spent <= 2) return 'minor';
  if (spent <= 5) return 'major';
  return 'critical';
}

/** Consecutive breached hours: when it began, how bad it got. */
type BreachRun = {
  start: number;
  severity: BreachSeverity;
  worstRemaining: number | null;
};

/** A run extended by one more breached instant (runs may grow either way). */
function extendRun(
  run: BreachRun | undefined,
  t: number,
  result: TargetAttainment,
): BreachRun {
  const severity = breachSeverity(result.errorBudget);
  const remaining = result.errorBudget.remaining;
  if (!run) return { start: t, severity, worstRemaining: remaining };
  return {
    start: Math.min(run.start, t),
    severity: worseSeverity(run.severity, severity),
    worstRemaining: minRemaining(run.worstRemaining, remaining),
  };
}

type BreachRow = {
  id: string;
  entity_ref: string;
  agreement_id: string;
  target_id: string;
  opened_at: string;
  closed_at: string | null;
  severity: BreachSeverity;
  cause: BreachCause;
  details: string;
};

function toBreach(row: BreachRow): Breach {
  const details = JSON.parse(row.details);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    agreementId: row.agreement_id,
    targetId: row.target_id,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    severity: row.severity,
    cause: row.cause,
    causedBy: details.causedBy ?? [],
    worstRemaining: details.worstRemaining ?? null,
  };
}

/**
 * Breach records: one opens when a target becomes breached and closes when
 * it recovers. The cause comes from the entity's direct dependencies in the
 * catalog's dependency graph (dependsOn, API providers, System parts): a
 * dependency covered by an agreed UC that breached in the same period makes
 * it `third-party`, one covered by an OLA `internal`, otherwise `own`.
 */
export class BreachService {
  constructor(
    private readonly options: {
      db: Knex;
      agreements: AgreementStore;
      attainment: AttainmentService;
      /** The catalog's dependency graph (product reference §2). */
      graph: Pick<CatalogGraphIndex, 'get'>;
      logger: LoggerService;
      notifier?: SlaNotifier;
      /** Called when a breach opens (not for past ones recorded on a first evaluation). */
      onOpened?: (breach: {
        breachId: string;
        agreementId: string;
        targetId: string;
        severity: BreachSeverity;
        at: number;
      }) => Promise<void>;
    },
  ) {}

  /**
   * Remembers each target's status and budget warning level, and tells the
   * owners when the status turns breached or at risk, recovers, or when 50,
   * 75 or 100 % of the error budget has been consumed, once per change.
   * Also records when the target was evaluated and for which definition
   * (every time), so the portfolio can answer from the kept status.
   */
  private async trackState(
    agreement: Agreement,
    attainment: TargetAttainment,
    when: string,
    previous: { status: string; warning_level: number } | undefined,
  ) {
    const db = this.options.db;
    const key = { agreement_id: agreement.id, target_id: attainment.targetId };
    const level =
      attainment.counted > 0
        ? budgetWarningLevel(attainment.errorBudget.remaining)
        : 0;
    const status = attainment.status;
    const changed =
      !previous ||
      previous.status !== status ||
      Number(previous.warning_level) !== level;
    const target = agreement.targets.find(t => t.id === attainment.targetId);
    const evaluated = {
      evaluated_at: Date.parse(when),
      fingerprint: target ? targetFingerprint(agreement, target) : null,
    };
    if (!changed) {
      await db('sla_target_states').where(key).update(evaluated);
      return;
    }
    const state = { status, warning_level: level, changed_at: when };
    await db('sla_target_states')
      .insert({ ...key, ...state, ...evaluated })
      .onConflict(['agreement_id', 'target_id'])
      .merge({ ...state, ...evaluated });
    const notifier = this.options.notifier;
    if (!notifier) return;
    const before = previous?.status as TargetAttainment['status'] | undefined;
    if (before !== status) {
      const recovered =
        status === 'met' && (before === 'breached' || before === 'at-risk');
      if (status === 'breached' || status === 'at-risk' || recovered) {
        await notifier.notify(agreement, attainment, {
          type: 'status',
          from: before,
          to: status,
        });
      }
    }
    const beforeLevel = previous ? Number(previous.warning_level) : 0;
    if (level > beforeLevel) {
      await notifier.notify(agreement, attainment, {
        type: 'budget',
        level: level as 50 | 75 | 100,
      });
    }
  }

  /**
   * An entity's breaches, newest opening first (then by id). With `page`,
   * at most `limit` of them after the position `after` ([openedAt, id]):
   * keyset paging, stable while breaches open.
   */
  async list(
    entityRef: string,
    from?: string,
    to?: string,
    page?: { after?: [string, string]; limit: number },
  ): Promise<Breach[]> {
    const query = this.options
      .db<BreachRow>('sla_breaches')
      .where('entity_ref', entityRef.toLocaleLowerCase('en-US'));
    if (to) query.where('opened_at', '<', to);
    if (from)
      query.where(qb =>
        qb.whereNull('closed_at').orWhere('closed_at', '>', from),
      );
    if (page?.after) {
      const [openedAt, id] = page.after;
      query.where(q =>
        q
          .where('opened_at', '<', openedAt)
          .orWhere(q2 =>
            q2.where('opened_at', '=', openedAt).andWhere('id', '>', id),
          ),
      );
    }
    if (page) query.limit(page.limit);
    const rows = await query.orderBy([
      { column: 'opened_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(toBreach);
  }

  /** Re-evaluates every target in force of the entity at `at`. */
  async evaluateEntity(entityRef: string, at: number): Promise<void> {
    // Not past validUntil: an agreement the expiry task has yet to reach
    // is no longer in force either.
    const agreements = (
      await this.options.agreements.list({ entityRef, status: 'agreed' })
    ).filter(a => !isExpiredAt(a, at));
    // One read for all the entity's targets, then a record per target.
    const attainments = await this.options.attainment.forAgreements(
      agreements,
      at,
    );
    const byId = new Map(agreements.map(a => [a.id, a]));
    for (const attainment of attainments) {
      await this.record(byId.get(attainment.agreementId)!, attainment, at);
    }
  }

  /**
   * Closes the agreement's open breaches when it stops being in force
   * (expiry) at `end`, or when they were opened, if later: a breach of
   * targets no longer in force does not go on counting in later periods.
   */
  async closeOpenBreaches(agreementId: string, end: number): Promise<void> {
    const when = new Date(end).toISOString();
    const db = this.options.db;
    await db('sla_breaches')
      .where({ agreement_id: agreementId })
      .whereNull('closed_at')
      .where('opened_at', '<=', when)
      .update({ closed_at: when });
    await db('sla_breaches')
      .where({ agreement_id: agreementId })
      .whereNull('closed_at')
      .update({ closed_at: db.ref('opened_at') });
  }

  /** Re-evaluates every entity that has an agreement in force. */
  async evaluateAll(at: number): Promise<number> {
    const agreements = await this.options.agreements.list({ status: 'agreed' });
    const refs = [...new Set(agreements.map(a => a.entityRef))];
    for (const ref of refs) {
      try {
        await this.evaluateEntity(ref, at);
      } catch (error) {
        this.options.logger.error(
          `Breach evaluation of ${ref} failed`,
          error as Error,
        );
      }
    }
    return refs.length;
  }

  private async record(
    agreement: Agreement,
    attainment: TargetAttainment,
    at: number,
  ) {
    const db = this.options.db;
    const when = new Date(at).toISOString();
    const previous = await db('sla_target_states')
      .where({ agreement_id: agreement.id, target_id: attainment.targetId })
      .first();
    // Agreed before: breaches can be older than the first evaluation.
    const since = Math.max(
      at - BREACH_LOOKBACK_MS,
      agreement.agreedAt ? Date.parse(agreement.agreedAt) : at,
    );
    const history = previous
      ? undefined
      : await this.recordHistory(agreement, attainment.targetId, since, at);
    await this.trackState(agreement, attainment, when, previous);
    const open = await db<BreachRow>('sla_breaches')
      .where({ agreement_id: agreement.id, target_id: attainment.targetId })
      .whereNull('closed_at')
      .first();
    if (attainment.status !== 'breached') {
      if (open && when > open.opened_at) {
        await db('sla_breaches')
          .where('id', open.id)
          .update({ closed_at: when });
      }
      return;
    }
    const severity = breachSeverity(attainment.errorBudget);
    const windowStart = attainment.window.start;
    if (!open) {
      // Dated back to the first hour of the unbroken breached run: late
      // data and evaluation gaps do not make a breach look younger.
      const run =
        history?.trailing ??
        (await this.breachedRun(
          agreement,
          attainment.targetId,
          Math.max(since, Date.parse(previous?.changed_at ?? when)),
          at,
        ));
      const openedAt = new Date(run?.start ?? at).toISOString();
      const cause = await this.cause(agreement.entityRef, windowStart, when);
      const id = uuid();
      await db('sla_breaches').insert({
        id,
        entity_ref: agreement.entityRef.toLocaleLowerCase('en-US'),
        agreement_id: agreement.id,
        target_id: attainment.targetId,
        opened_at: openedAt,
        closed_at: null,
        severity: run ? worseSeverity(run.severity, severity) : severity,
        cause: cause.cause,
        details: JSON.stringify({
          causedBy: cause.causedBy,
          worstRemaining: minRemaining(
            run ? run.worstRemaining : attainment.errorBudget.remaining,
            attainment.errorBudget.remaining,
          ),
        }),
      });
      await this.options.onOpened?.({
        breachId: id,
        agreementId: agreement.id,
        targetId: attainment.targetId,
        severity,
        at,
      });
      return;
    }
    const details = JSON.parse(open.details);
    const worse =
      SEVERITY_ORDER.indexOf(severity) > SEVERITY_ORDER.indexOf(open.severity)
        ? severity
        : open.severity;
    const remaining = attainment.errorBudget.remaining;
    const worstRemaining =
      details.worstRemaining === null || remaining === null
        ? null
        : Math.min(details.worstRemaining, remaining);
    // A dependency's breach may be recorded after ours: look again while own.
    const cause =
      open.cause === 'own'
        ? await this.cause(agreement.entityRef, windowStart, when)
        : { cause: open.cause, causedBy: details.causedBy };
    await db('sla_breaches')
      .where('id', open.id)
      .update({
        severity: worse,
        cause: cause.cause,
        details: JSON.stringify({ causedBy: cause.causedBy, worstRemaining }),
      });
  }

  /** The whole hours in [from, at), newest first. */
  private static hoursBefore(from: number, at: number): number[] {
    const out: number[] = [];
    for (
      let t = Math.floor((at - 1) / HOUR_MS) * HOUR_MS;
      t >= from;
      t -= HOUR_MS
    ) {
      out.push(t);
    }
    return out;
  }

  /** A target's attainment at each instant, in order, read a batch at a time. */
  private async *hourly(
    agreement: Agreement,
    targetId: string,
    instants: number[],
  ): AsyncGenerator<[number, TargetAttainment]> {
    const target = agreement.targets.find(t => t.id === targetId)!;
    for (let i = 0; i < instants.length; i += BATCH) {
      const batch = instants.slice(i, i + BATCH);
      const results = await this.options.attainment.atInstants(
        agreement,
        target,
        batch,
      );
      for (const [k, result] of results.entries()) yield [batch[k], result];
    }
  }

  /**
   * The breached run that reaches `at`: walking back hour by hour (a batch
   * per read) from `at` while the target was breached, not before `from`.
   * Undefined when the hour before `at` was not breached.
   */
  private async breachedRun(
    agreement: Agreement,
    targetId: string,
    from: number,
    at: number,
  ): Promise<BreachRun | undefined> {
    let run: BreachRun | undefined;
    for await (const [t, result] of this.hourly(
      agreement,
      targetId,
      BreachService.hoursBefore(from, at),
    )) {
      if (result.status !== 'breached') return run;
      run = extendRun(run, t, result);
    }
    return run;
  }

  /**
   * A target's first evaluation: its status at every whole hour since
   * `from`, each breached run that ended before `at` recorded as a closed
   * breach. Returns the run still going at `at`, to date the open breach.
   */
  private async recordHistory(
    agreement: Agreement,
    targetId: string,
    from: number,
    at: number,
  ): Promise<{ trailing?: BreachRun }> {
    const target = agreement.targets.find(t => t.id === targetId)!;
    if (!(await this.options.attainment.hasMeasurements(agreement, target))) {
      return {};
    }
    const runs: Array<BreachRun & { end?: number }> = [];
    let current: BreachRun | undefined;
    for await (const [t, result] of this.hourly(
      agreement,
      targetId,
      BreachService.hoursBefore(from, at).reverse(),
    )) {
      if (result.status === 'breached') {
        current = extendRun(current, t, result);
      } else if (current) {
        runs.push({ ...current, end: t });
        current = undefined;
      }
    }
    for (const run of runs) {
      const openedAt = new Date(run.start).toISOString();
      const closedAt = new Date(run.end!).toISOString();
      const cause = await this.cause(agreement.entityRef, openedAt, closedAt);
      await this.options.db('sla_breaches').insert({
        id: uuid(),
        entity_ref: agreement.entityRef.toLocaleLowerCase('en-US'),
        agreement_id: agreement.id,
        target_id: targetId,
        opened_at: openedAt,
        closed_at: closedAt,
        severity: run.severity,
        cause: cause.cause,
        details: JSON.stringify({
          causedBy: cause.causedBy,
          worstRemaining: run.worstRemaining,
        }),
      });
    }
    return { trailing: current };
  }

  private async cause(
    entityRef: string,
    periodStart: string,
    periodEnd: string,
  ): Promise<{ cause: BreachCause; causedBy: Breach['causedBy'] }> {
    const graph = await this.options.graph.get();
    const dependencies = graph
      .directDependencies(entityRef.toLocaleLowerCase('en-US'))
      .map(d => d.entityRef);
    if (!dependencies.length) return { cause: 'own', causedBy: [] };
    const rows = await this.options
      .db<BreachRow>('sla_breaches')
      .whereIn('entity_ref', dependencies)
      .where('opened_at', '<', periodEnd)
      .where(qb =>
        qb.whereNull('closed_at').orWhere('closed_at', '>', periodStart),
      )
      .select('entity_ref', 'agreement_id');
    const causedBy: NonNullable<Breach['causedBy']> = [];
    const agreements = await this.options.agreements.getMany([
      ...new Set(rows.map(r => r.agreement_id)),
    ]);
    for (const row of rows) {
      const agreement = agreements.get(row.agreement_id);
      if (!agreement || agreement.status !== 'agreed') continue;
      if (agreement.kind !== 'UC' && agreement.kind !== 'OLA') continue;
      if (!causedBy.some(c => c.agreementId === agreement.id)) {
        causedBy.push({
          entityRef: row.entity_ref,
          agreementId: agreement.id,
          kind: agreement.kind,
        });
      }
    }
    if (causedBy.some(c => c.kind === 'UC'))
      return { cause: 'third-party', causedBy };
    if (causedBy.length) return { cause: 'internal', causedBy };
    return { cause: 'own', causedBy: [] };
  }
}
