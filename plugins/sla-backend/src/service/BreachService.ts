import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Agreement,
  Breach,
  BreachCause,
  BreachSeverity,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { v4 as uuid } from 'uuid';
import { AgreementStore } from '../store/AgreementStore';
import {
  BreachStore,
  LockedTarget,
  OpenBreach,
  TargetKey,
} from '../store/BreachStore';
import { TargetState, TargetStateStore } from '../store/TargetStateStore';
import { AttainmentService } from './AttainmentService';
import type { CatalogGraphIndex } from './CatalogGraphIndex';
import { SlaNotifier, TargetChange } from './SlaNotifier';
import { budgetWarningLevel } from '../domain';
import { isExpiredAt } from '../domain/expiry';
import { targetFingerprint } from '../domain/portfolio';

const SEVERITY_ORDER: BreachSeverity[] = ['minor', 'major', 'critical'];
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/**
 * The longest breach (from an hour before its opening to its end) that
 * late data may void: its statuses are checked minute by minute.
 */
const VOID_SPAN_MS = 48 * HOUR_MS;
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

type Cause = {
  cause: BreachCause;
  causedBy: NonNullable<Breach['causedBy']>;
};

/**
 * An open breach's cause after reading its dependencies' breaches again:
 * the dependencies found before and now, third-party when any is under a
 * UC, internal when any is under an OLA, otherwise own.
 */
export function correctedCause(kept: Cause, found: Cause | undefined): Cause {
  if (!found) return kept;
  const causedBy = [...kept.causedBy];
  for (const c of found.causedBy) {
    if (!causedBy.some(k => k.agreementId === c.agreementId)) causedBy.push(c);
  }
  if (causedBy.some(c => c.kind === 'UC')) {
    return { cause: 'third-party', causedBy };
  }
  if (causedBy.length) return { cause: 'internal', causedBy };
  return { cause: 'own', causedBy: [] };
}

/** A breach that opened, for what follows an opening (an event review). */
export type OpenedBreach = {
  breachId: string;
  /** The breached entity (lower-cased). */
  entityRef: string;
  agreementId: string;
  targetId: string;
  severity: BreachSeverity;
  at: number;
};

/** A breached run of the history that ended before the evaluation. */
type HistoryRun = {
  openedAt: string;
  closedAt: string;
  severity: BreachSeverity;
  worstRemaining: number | null;
  cause: Cause;
};

type History = { closed: HistoryRun[]; trailing?: BreachRun };

/** What an evaluation read before taking the target's lock. */
type Findings = {
  /** Read when the target's history was not recorded yet and it has data. */
  history?: History;
  /** The breached run reaching the evaluation, when a breach may open. */
  run?: BreachRun;
  /** The cause, when a breach opens or its cause is still `own`. */
  cause?: Cause;
  /**
   * The open breach that the data stored by now shows never happened (the
   * target recovers): voided instead of closed.
   */
  voids?: string;
};

/**
 * What to tell the owners when a target's status or budget warning level
 * changes: turning breached or at risk, recovering, or 50, 75 or 100 % of
 * the error budget consumed. Once per change (only the evaluation that
 * stored the change tells).
 */
export function stateChanges(
  previous: Pick<TargetState, 'status' | 'warningLevel'> | undefined,
  status: TargetAttainment['status'],
  level: number,
): TargetChange[] {
  const changes: TargetChange[] = [];
  const before = previous?.status;
  if (before !== status) {
    const recovered =
      status === 'met' && (before === 'breached' || before === 'at-risk');
    if (status === 'breached' || status === 'at-risk' || recovered) {
      changes.push({ type: 'status', from: before, to: status });
    }
  }
  if (level > (previous?.warningLevel ?? 0)) {
    changes.push({ type: 'budget', level: level as 50 | 75 | 100 });
  }
  return changes;
}

/** What an evaluation of one target records, read from its attainment. */
function evaluationOf(agreement: Agreement, attainment: TargetAttainment) {
  const key: TargetKey = {
    agreementId: agreement.id,
    targetId: attainment.targetId,
  };
  const status = attainment.status;
  const warningLevel =
    attainment.counted > 0
      ? budgetWarningLevel(attainment.errorBudget.remaining)
      : 0;
  const target = agreement.targets.find(t => t.id === attainment.targetId);
  const fingerprint = target ? targetFingerprint(agreement, target) : null;
  return {
    key,
    status,
    warningLevel,
    target,
    fingerprint,
    breached: status === 'breached',
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
      breachStore: BreachStore;
      states: TargetStateStore;
      agreements: AgreementStore;
      attainment: AttainmentService;
      /** The catalog's dependency graph (product reference §2). */
      graph: Pick<CatalogGraphIndex, 'get'>;
      logger: LoggerService;
      notifier?: SlaNotifier;
      /**
       * Called once per opening, by the evaluation that stored it (not for
       * past breaches recorded from the history).
       */
      onOpened?: (breach: OpenedBreach) => Promise<void>;
    },
  ) {}

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
    return this.options.breachStore.list(entityRef, from, to, page);
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
   * Re-evaluates every target in force of several entities at `at` (the
   * evaluation queue's claims): one read of their agreements and one of
   * their attainment for all of them, then a record per target as
   * `evaluateEntity` does. An entity whose evaluation fails does not hold
   * up the others (its error is returned); should the shared read fail,
   * each entity is read on its own. Stops between entities once `stopped`
   * says so: the entities neither evaluated nor failed were not touched.
   */
  async evaluateEntities(
    entityRefs: string[],
    at: number,
    stopped: () => boolean = () => false,
  ): Promise<{ evaluated: string[]; failed: Map<string, unknown> }> {
    const lower = (r: string) => r.toLocaleLowerCase('en-US');
    const evaluated: string[] = [];
    const failed = new Map<string, unknown>();
    if (!entityRefs.length) return { evaluated, failed };
    let shared:
      | { agreements: Agreement[]; attainments: TargetAttainment[] }
      | undefined;
    try {
      const agreements = (
        await this.options.agreements.list({
          entityRefs,
          status: 'agreed',
        })
      ).filter(a => !isExpiredAt(a, at));
      shared = {
        agreements,
        attainments: await this.options.attainment.forAgreements(
          agreements,
          at,
        ),
      };
    } catch {
      shared = undefined;
    }
    const byId = new Map(shared?.agreements.map(a => [a.id, a]));
    const ofEntity = new Map<string, TargetAttainment[]>();
    for (const attainment of shared?.attainments ?? []) {
      const ref = lower(byId.get(attainment.agreementId)!.entityRef);
      ofEntity.set(ref, [...(ofEntity.get(ref) ?? []), attainment]);
    }
    // Until when each unbreached target holds, read for all at once.
    const holds = new Map<TargetAttainment, number>();
    const unbreached = (shared?.attainments ?? []).flatMap(result => {
      const agreement = byId.get(result.agreementId)!;
      const target = agreement.targets.find(t => t.id === result.targetId);
      return result.status !== 'breached' && target
        ? [{ agreement, target, result }]
        : [];
    });
    try {
      const until = await this.options.attainment.holdsUntilMany(
        unbreached,
        at,
      );
      unbreached.forEach((u, i) => holds.set(u.result, until[i]));
    } catch {
      // Read again target by target (record).
    }
    // Most evaluations change nothing: one guarded statement for all of
    // those targets (the others take the full path, target by target).
    const touched = new Set<TargetAttainment>();
    if (shared && !stopped()) {
      const unchanged = shared.attainments.flatMap(result => {
        const e = evaluationOf(byId.get(result.agreementId)!, result);
        const holdsUntil = e.target ? holds.get(result) : at;
        return e.breached || holdsUntil === undefined
          ? []
          : [
              {
                result,
                key: e.key,
                state: {
                  status: e.status,
                  warningLevel: e.warningLevel,
                  evaluatedAt: at,
                  fingerprint: e.fingerprint,
                  holdsUntil,
                  agreementVersion:
                    byId.get(result.agreementId)!.version ?? null,
                },
              },
            ];
      });
      try {
        const written = await this.options.states.touchUnchangedMany(unchanged);
        unchanged.forEach((u, i) => written[i] && touched.add(u.result));
      } catch {
        // Target by target (record).
      }
    }
    for (const entityRef of entityRefs) {
      const own = ofEntity.get(lower(entityRef)) ?? [];
      if (shared && own.every(a => touched.has(a))) {
        evaluated.push(entityRef);
        continue;
      }
      if (stopped()) break;
      try {
        if (!shared) {
          await this.evaluateEntity(entityRef, at);
        } else {
          for (const attainment of own) {
            if (touched.has(attainment)) continue;
            await this.record(
              byId.get(attainment.agreementId)!,
              attainment,
              at,
              holds.get(attainment),
            );
          }
        }
        evaluated.push(entityRef);
      } catch (error) {
        failed.set(entityRef, error);
      }
    }
    return { evaluated, failed };
  }

  /**
   * Closes the agreement's open breaches when it stops being in force
   * (expiry) at `end`, or when they were opened, if later: a breach of
   * targets no longer in force does not go on counting in later periods.
   */
  async closeOpenBreaches(agreementId: string, end: number): Promise<void> {
    await this.options.breachStore.closeOpenOfAgreement(
      agreementId,
      new Date(end).toISOString(),
    );
  }

  /**
   * Records one target's evaluation at `at`. Everything that needs reading
   * (the history, the breached run, the cause) is read first; then one
   * transaction holding the target's state row decides from what is stored
   * by then: another replica may have evaluated the same target meanwhile,
   * and only the transaction that changes the state or stores the opening
   * tells the owners and opens the review, after it committed. An
   * evaluation older than the kept one writes nothing.
   */
  private async record(
    agreement: Agreement,
    attainment: TargetAttainment,
    at: number,
    /** holdsUntil when already read (evaluateEntities reads them together). */
    knownHoldsUntil?: number,
  ) {
    const { states, breachStore } = this.options;
    const { key, status, warningLevel, target, fingerprint, breached } =
      evaluationOf(agreement, attainment);
    const when = new Date(at).toISOString();
    // Until when this holds without new data: the time-driven round visits
    // the target again then (a breached one every round).
    const holdsUntil =
      breached || !target
        ? at
        : knownHoldsUntil ??
          (await this.options.attainment.holdsUntil(
            agreement,
            target,
            attainment,
            at,
          ));
    const agreementVersion = agreement.version ?? null;

    // Most evaluations change nothing: one guarded statement.
    if (
      !breached &&
      (await states.touchUnchanged(key, {
        status,
        warningLevel,
        evaluatedAt: at,
        fingerprint,
        holdsUntil,
        agreementVersion,
      }))
    ) {
      return;
    }

    const snapshot = await states.get(key);
    if (snapshot?.evaluatedAt && snapshot.evaluatedAt > at) return;
    // Agreed before: breaches can be older than the first evaluation.
    const since = Math.max(
      at - BREACH_LOOKBACK_MS,
      agreement.agreedAt ? Date.parse(agreement.agreedAt) : at,
    );
    const findings: Findings = {};
    if (!snapshot?.backfilledAt) {
      findings.history = await this.readHistory(
        agreement,
        attainment.targetId,
        since,
        at,
      );
    }
    if (!breached) {
      const open = await breachStore.open(key);
      if (open && (await this.neverBreached(agreement, open, at))) {
        findings.voids = open.id;
      }
    } else {
      const open = await breachStore.open(key);
      if (!open) {
        // Dated back to the first hour of the unbroken breached run: late
        // data and evaluation gaps do not make a breach look younger. It
        // never reaches back into the target's previous breach.
        const lastClosed = await breachStore.lastClosedAt(key);
        findings.run = findings.history
          ? findings.history.trailing
          : await this.breachedRun(
              agreement,
              attainment.targetId,
              Math.max(since, lastClosed ? Date.parse(lastClosed) : since),
              at,
            );
      }
      // A dependency's breach may be recorded after ours (its opening
      // enqueues this entity again): the cause is read again while open.
      findings.cause = await this.cause(
        agreement.entityRef,
        attainment.window.start,
        when,
      );
    }

    const followUps = await breachStore.withTargetLocked(
      key,
      { status, warningLevel, changedAt: when, evaluatedAt: at, fingerprint },
      async locked => {
        const previous = locked.previous;
        if (previous?.evaluatedAt && previous.evaluatedAt > at) {
          return undefined;
        }
        const changed =
          !previous ||
          previous.status !== status ||
          previous.warningLevel !== warningLevel;
        let backfilledAt: number | undefined;
        if (
          !previous?.backfilledAt &&
          (findings.history || attainment.counted > 0)
        ) {
          if (findings.history) {
            await this.storeHistory(
              locked,
              agreement,
              key,
              findings.history.closed,
              since,
              when,
            );
          }
          backfilledAt = at;
        }
        // Compare and set: a change is stored (and told) once.
        const stored = await locked.states.update(key, {
          expected: previous,
          evaluatedAt: at,
          fingerprint,
          holdsUntil,
          agreementVersion,
          changed: changed
            ? { status, warningLevel, changedAt: when }
            : undefined,
          backfilledAt,
        });
        if (!stored) return undefined;
        const opened = await this.storeBreach(
          locked,
          agreement,
          attainment,
          findings,
          when,
          at,
        );
        return {
          changes: stateChanges(previous, status, warningLevel),
          opened,
        };
      },
    );
    if (!followUps) return;
    const notifier = this.options.notifier;
    for (const change of followUps.changes) {
      await notifier?.notify(agreement, attainment, change);
    }
    if (followUps.opened) await this.options.onOpened?.(followUps.opened);
  }

  /** Opens, updates or closes the target's breach; the opening if stored. */
  private async storeBreach(
    { breaches }: LockedTarget,
    agreement: Agreement,
    attainment: TargetAttainment,
    findings: Findings,
    when: string,
    at: number,
  ): Promise<OpenedBreach | undefined> {
    const key = { agreementId: agreement.id, targetId: attainment.targetId };
    const open = await breaches.open(key);
    if (attainment.status !== 'breached') {
      if (open && open.id === findings.voids) {
        await breaches.void(open.id, when);
      } else if (open && when > open.openedAt) {
        await breaches.close(open.id, when);
      }
      return undefined;
    }
    const severity = breachSeverity(attainment.errorBudget);
    const remaining = attainment.errorBudget.remaining;
    if (open) {
      // Corrected when a dependency's breach opened later: `own` becomes
      // internal or third-party, internal becomes third-party when a UC
      // joins; a cause once found is not forgotten.
      const cause = correctedCause(
        { cause: open.cause, causedBy: open.causedBy ?? [] },
        findings.cause,
      );
      await breaches.update(open.id, {
        severity: worseSeverity(severity, open.severity),
        ...cause,
        worstRemaining: minRemaining(open.worstRemaining ?? null, remaining),
        detectedAt: open.detectedAt,
      });
      return undefined;
    }
    const run = findings.run;
    let openedAt = new Date(run?.start ?? at).toISOString();
    // Another evaluation may have closed a breach since the run was read.
    const lastClosed = await breaches.lastClosedAt(key);
    if (lastClosed && lastClosed > openedAt) {
      openedAt = lastClosed < when ? lastClosed : when;
    }
    const id = uuid();
    const stored = await breaches.insertOpen({
      id,
      entityRef: agreement.entityRef,
      ...key,
      openedAt,
      closedAt: null,
      severity: run ? worseSeverity(run.severity, severity) : severity,
      ...(findings.cause ?? { cause: 'own', causedBy: [] }),
      worstRemaining: minRemaining(
        run ? run.worstRemaining : remaining,
        remaining,
      ),
      detectedAt: when,
    });
    return stored
      ? {
          breachId: id,
          entityRef: agreement.entityRef.toLocaleLowerCase('en-US'),
          ...key,
          severity,
          at,
        }
      : undefined;
  }

  /**
   * Stores the breached runs of the history that ended before now, except
   * where the target already has a breach (a history read twice, or
   * recorded by an earlier version) .
   */
  private async storeHistory(
    { breaches }: LockedTarget,
    agreement: Agreement,
    key: TargetKey,
    runs: HistoryRun[],
    since: number,
    when: string,
  ) {
    if (!runs.length) return;
    const existing = await breaches.ofTarget(
      key,
      new Date(since).toISOString(),
      when,
    );
    const fresh = runs.filter(
      run =>
        !existing.some(
          b =>
            b.openedAt < run.closedAt &&
            (!b.closedAt || b.closedAt > run.openedAt),
        ),
    );
    await breaches.insertClosed(
      fresh.map(run => ({
        id: uuid(),
        entityRef: agreement.entityRef,
        ...key,
        openedAt: run.openedAt,
        closedAt: run.closedAt,
        severity: run.severity,
        cause: run.cause.cause,
        causedBy: run.cause.causedBy,
        worstRemaining: run.worstRemaining,
      })),
    );
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
  private async *attainmentsAt(
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
    for await (const [t, result] of this.attainmentsAt(
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
   * Whether the data stored by now shows that an open breach never
   * happened (ticket changes or measurements that arrived late, in any
   * order): the target, evaluated again, was not breached at the
   * evaluation that opened the breach nor at any minute from an hour
   * before its opening up to `at`. Checking only the opening evaluation
   * would void real breaches: samples arriving a minute late (a metric
   * source's lag) may show a recovery before the evaluation instant after
   * a breached minute or two. Not decided (false) for breaches opened
   * before their opening evaluation was kept (`detectedAt`) or spanning
   * more than VOID_SPAN_MS: those close as usual.
   */
  private async neverBreached(
    agreement: Agreement,
    open: OpenBreach,
    at: number,
  ): Promise<boolean> {
    if (!open.detectedAt) return false;
    const from = Date.parse(open.openedAt) - HOUR_MS;
    if (at - from > VOID_SPAN_MS) return false;
    const minutes: number[] = [];
    for (let t = from; t < at; t += MINUTE_MS) minutes.push(t);
    // The opening evaluation first: a breach that really happened is
    // usually confirmed by that one computation.
    for (const batch of [[Date.parse(open.detectedAt)], minutes]) {
      for await (const [, result] of this.attainmentsAt(
        agreement,
        open.targetId,
        batch,
      )) {
        if (result.status === 'breached') return false;
      }
    }
    return true;
  }

  /**
   * A target's history, read once it has measurements (undefined before):
   * its status at every whole hour since `from`, each breached run that
   * ended before `at` (to be recorded as a closed breach) and the run
   * still going at `at` (to date the open breach).
   */
  private async readHistory(
    agreement: Agreement,
    targetId: string,
    from: number,
    at: number,
  ): Promise<History | undefined> {
    const target = agreement.targets.find(t => t.id === targetId)!;
    const measuredFrom = await this.options.attainment.measuredFrom(
      agreement,
      target,
    );
    if (measuredFrom === undefined) return undefined;
    const runs: Array<BreachRun & { end: number }> = [];
    let current: BreachRun | undefined;
    for await (const [t, result] of this.attainmentsAt(
      agreement,
      targetId,
      // Before the first measurement no window holds data, so no instant
      // there is breached: a first evaluation over a month-old agreement
      // with a day of data reads a day, not a month.
      BreachService.hoursBefore(Math.max(from, measuredFrom), at).reverse(),
    )) {
      if (result.status === 'breached') {
        current = extendRun(current, t, result);
      } else if (current) {
        runs.push({ ...current, end: t });
        current = undefined;
      }
    }
    const closed: HistoryRun[] = [];
    for (const run of runs) {
      const openedAt = new Date(run.start).toISOString();
      const closedAt = new Date(run.end).toISOString();
      closed.push({
        openedAt,
        closedAt,
        severity: run.severity,
        worstRemaining: run.worstRemaining,
        cause: await this.cause(agreement.entityRef, openedAt, closedAt),
      });
    }
    return { closed, trailing: current };
  }

  private async cause(
    entityRef: string,
    periodStart: string,
    periodEnd: string,
  ): Promise<Cause> {
    const graph = await this.options.graph.get();
    const dependencies = graph
      .directDependencies(entityRef.toLocaleLowerCase('en-US'))
      .map(d => d.entityRef);
    if (!dependencies.length) return { cause: 'own', causedBy: [] };
    const rows = await this.options.breachStore.overlapping(
      dependencies,
      periodStart,
      periodEnd,
    );
    const causedBy: Cause['causedBy'] = [];
    const agreements = await this.options.agreements.getMany([
      ...new Set(rows.map(r => r.agreementId)),
    ]);
    for (const row of rows) {
      const agreement = agreements.get(row.agreementId);
      if (!agreement || agreement.status !== 'agreed') continue;
      if (agreement.kind !== 'UC' && agreement.kind !== 'OLA') continue;
      if (!causedBy.some(c => c.agreementId === agreement.id)) {
        causedBy.push({
          entityRef: row.entityRef,
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
