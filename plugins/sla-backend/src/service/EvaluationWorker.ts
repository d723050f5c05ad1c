import { LoggerService } from '@backstage/backend-plugin-api';
import { hostname } from 'node:os';
import { v4 as uuid } from 'uuid';
import {
  ClaimedEntity,
  EvaluationQueueStore,
} from '../store/EvaluationQueueStore';

/** Defaults of the claims (docs/configuration.md, `sla.evaluation`). */
export const EVALUATION_DEFAULTS = {
  /** How long a claim holds before another replica may take the entity. */
  leaseMs: 5 * 60_000,
  /** Entities claimed per statement. */
  batchSize: 10,
  /** First retry after a failed evaluation; doubles per failure. */
  retryMs: 30_000,
  /** Failures after which a changed entity is left to the rounds. */
  maxAttempts: 5,
  /** How long the claims of past rounds are kept (observable). */
  roundRetentionMs: 60 * 60_000,
};

/** What a round of the time-driven evaluation did on this replica. */
export type RoundResult = {
  roundAt: number;
  candidates: number;
  claimed: number;
  evaluated: number;
  failed: number;
};

/**
 * Evaluates entities off the request path, on every replica:
 *
 * - changed entities: ingest and feedback enqueue them in their write
 *   transaction (`enqueueEvaluation`); `wake()` (after the answer, on the
 *   replica that received the data) and a short-interval local task on
 *   every replica claim and evaluate them, so a killed replica's data is
 *   evaluated by another one once its lease runs out;
 * - time-driven rounds: each replica runs the round task on its own; a
 *   round (its start rounded down to the round's length) claims each
 *   candidate entity once across replicas, so no entity is evaluated twice
 *   in one round.
 *
 * An evaluation that fails is retried with a back-off and logged; it never
 * reaches the request that stored the data.
 * @internal
 */
export class EvaluationWorker {
  /** This replica's name in claims. */
  readonly owner = `${hostname()}:${process.pid}:${uuid().slice(0, 8)}`;
  private draining: Promise<number> | undefined;
  private again = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly options: {
      queue: EvaluationQueueStore;
      /** Evaluates every target in force of the entity at `at`. */
      evaluate: (entityRef: string, at: number) => Promise<void>;
      /**
       * Evaluates the entities of a claim together (one read for all of
       * them, BreachService.evaluateEntities), stopping between entities
       * once `stopped()`; without it each is evaluated on its own.
       */
      evaluateMany?: (
        entityRefs: string[],
        at: number,
        stopped: () => boolean,
      ) => Promise<{ evaluated: string[]; failed: Map<string, unknown> }>;
      /** Before evaluating changed data that holds instants from `from` on. */
      beforeEvaluate?: (entityRef: string, from: number) => Promise<void>;
      /**
       * beforeEvaluate for a claim's entities at once; should it fail,
       * beforeEvaluate runs entity by entity.
       */
      beforeEvaluateMany?: (
        entities: Array<{ entityRef: string; from: number }>,
      ) => Promise<void>;
      /**
       * The entities a time-driven round at `at` visits: those whose kept
       * status may have changed by then (due), or with `full` every entity
       * with an agreement in force (the baseline that due-only rounds are
       * proven equal to).
       */
      roundEntities: (at: number, full: boolean) => Promise<string[]>;
      clock: () => Date;
      logger: LoggerService;
      leaseMs?: number;
      batchSize?: number;
    },
  ) {}

  private get leaseMs() {
    return this.options.leaseMs ?? EVALUATION_DEFAULTS.leaseMs;
  }

  private get batchSize() {
    return this.options.batchSize ?? EVALUATION_DEFAULTS.batchSize;
  }

  private now() {
    return this.options.clock().getTime();
  }

  /**
   * Starts evaluating changed entities in the background (after an ingest
   * answered); a call while that runs makes it look again once done.
   */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          total += await this.evaluateChanged(this.stopping.signal);
        } while (this.again && !this.stopping.signal.aborted);
      } catch (error) {
        this.options.logger.error(
          'Evaluating changed entities failed',
          error as Error,
        );
      } finally {
        this.draining = undefined;
      }
      return total;
    })();
  }

  /**
   * Claims and evaluates changed entities until none is left unclaimed or
   * `signal` aborts; returns how many were evaluated.
   */
  async evaluateChanged(signal?: AbortSignal): Promise<number> {
    const { queue, logger } = this.options;
    let evaluated = 0;
    while (!signal?.aborted && !this.stopping.signal.aborted) {
      await nextTurn();
      const now = this.now();
      const claimed = await queue.claim(
        this.owner,
        now,
        now + this.leaseMs,
        this.batchSize,
      );
      if (!claimed.length) break;
      if (this.options.evaluateMany) {
        const stopped = () => !!signal?.aborted || this.stopping.signal.aborted;
        evaluated += await this.evaluateBatch(claimed, stopped);
        if (stopped()) return evaluated;
        continue;
      }
      for (const [index, entity] of claimed.entries()) {
        if (signal?.aborted || this.stopping.signal.aborted) {
          // Left for the next claim, here or on another replica.
          await queue.release(this.owner, claimed.slice(index));
          return evaluated;
        }
        if (await this.evaluateClaimed(entity)) evaluated++;
      }
    }
    if (signal?.aborted) {
      logger.info(`Evaluation of changed entities stopped (aborted)`);
    }
    return evaluated;
  }

  private async evaluateClaimed(entity: ClaimedEntity): Promise<boolean> {
    const { queue } = this.options;
    try {
      await this.options.beforeEvaluate?.(entity.entityRef, entity.from);
      await this.options.evaluate(entity.entityRef, this.now());
      await queue.finish(this.owner, entity, this.now());
      return true;
    } catch (error) {
      await this.failClaim(entity, error);
      return false;
    }
  }

  /**
   * Evaluates a claim's entities together (options.evaluateMany): finishes
   * the evaluated ones in one go, counts the failures, gives back what was
   * not reached before `stopped()`. Returns how many were evaluated.
   */
  private async evaluateBatch(
    claimed: ClaimedEntity[],
    stopped: () => boolean,
  ): Promise<number> {
    const { queue } = this.options;
    const ready: ClaimedEntity[] = [];
    const handled = new Set<string>();
    let prepared = false;
    if (this.options.beforeEvaluateMany && !stopped()) {
      try {
        await this.options.beforeEvaluateMany(claimed);
        ready.push(...claimed);
        prepared = true;
      } catch {
        // Entity by entity below, each failing on its own.
      }
    }
    for (const entity of prepared ? [] : claimed) {
      if (stopped()) break;
      try {
        await this.options.beforeEvaluate?.(entity.entityRef, entity.from);
        ready.push(entity);
      } catch (error) {
        handled.add(entity.entityRef);
        await this.failClaim(entity, error);
      }
    }
    const { evaluated, failed } = ready.length
      ? await this.options.evaluateMany!(
          ready.map(e => e.entityRef),
          this.now(),
          stopped,
        )
      : { evaluated: [], failed: new Map<string, unknown>() };
    const done = new Set(evaluated);
    await queue.finishMany(
      this.owner,
      ready.filter(e => done.has(e.entityRef)),
      this.now(),
    );
    for (const entity of ready) {
      if (done.has(entity.entityRef)) handled.add(entity.entityRef);
      else if (failed.has(entity.entityRef)) {
        handled.add(entity.entityRef);
        await this.failClaim(entity, failed.get(entity.entityRef));
      }
    }
    // Left for the next claim, here or on another replica.
    await queue.release(
      this.owner,
      claimed.filter(e => !handled.has(e.entityRef)),
    );
    return done.size;
  }

  /** Counts a failed evaluation: retried with a back-off, or dropped. */
  private async failClaim(entity: ClaimedEntity, error: unknown) {
    const attempts = entity.attempts + 1;
    const drop = attempts >= EVALUATION_DEFAULTS.maxAttempts;
    this.options.logger.error(
      `Evaluation of ${entity.entityRef} failed (attempt ${attempts}${
        drop ? ', left to the time-driven evaluation' : ''
      })`,
      error as Error,
    );
    const retryAt =
      this.now() + EVALUATION_DEFAULTS.retryMs * 2 ** (attempts - 1);
    await this.options.queue.fail(this.owner, entity, retryAt, drop);
  }

  /**
   * One round of the time-driven evaluation on this replica: the round
   * starts at `at` rounded down to `roundMs`; each candidate entity is
   * claimed for the round (by this replica or another one) and evaluated
   * by whoever claimed it. Stops between entities once `signal` aborts,
   * giving back the claims it did not evaluate. Visits only the entities
   * with a target due at the round's instant (see
   * TargetStateStore.dueEntityRefs); with `full`, every entity in force.
   */
  async runRound(
    roundMs: number,
    signal?: AbortSignal,
    options?: { full?: boolean },
  ): Promise<RoundResult> {
    const { queue, logger } = this.options;
    const at = this.now();
    const roundAt = Math.floor(at / roundMs) * roundMs;
    const candidates = shuffle(
      await this.options.roundEntities(at, options?.full ?? false),
    );
    const result: RoundResult = {
      roundAt,
      candidates: candidates.length,
      claimed: 0,
      evaluated: 0,
      failed: 0,
    };
    for (let i = 0; i < candidates.length; i += this.batchSize) {
      await nextTurn();
      if (signal?.aborted || this.stopping.signal.aborted) break;
      const claimed = await queue.claimRound(
        roundAt,
        this.owner,
        candidates.slice(i, i + this.batchSize),
      );
      result.claimed += claimed.length;
      for (const [index, ref] of claimed.entries()) {
        if (signal?.aborted || this.stopping.signal.aborted) {
          await queue.releaseRound(roundAt, this.owner, claimed.slice(index));
          break;
        }
        try {
          await this.options.evaluate(ref, this.now());
          result.evaluated++;
        } catch (error) {
          result.failed++;
          logger.error(`Breach evaluation of ${ref} failed`, error as Error);
        }
      }
    }
    if (signal?.aborted) {
      logger.warn(
        `Breach evaluation round stopped (aborted) after ${result.evaluated} of ${result.claimed} claimed entities`,
      );
    }
    await queue.pruneRounds(roundAt - EVALUATION_DEFAULTS.roundRetentionMs);
    return result;
  }

  /** Stops at shutdown: no new claims; a running evaluation finishes. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.draining;
  }
}

/**
 * Lets the event loop serve what waits (requests, timers) between claims.
 * On SQLite every statement runs synchronously, so a drain of many claims
 * would otherwise run as one unbroken chain of promise callbacks: seconds
 * in which no request is read and keep-alive timers fire late, resetting
 * connections that clients were reusing.
 */
function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
