import { LoggerService } from '@backstage/backend-plugin-api';
import { daysUntil, dueExpiryNotice, isExpiredAt } from '../domain/expiry';
import { ExpiryStore } from '../store/ExpiryStore';
import type { AgreementService } from './AgreementService';
import type { SlaNotifier } from './SlaNotifier';
import type { BreachService } from './BreachService';

/** What one run did. */
export type ExpiryRun = { expired: string[]; notices: number };

const iso = (t: number) => new Date(t).toISOString();

/**
 * Expiry (issue 6): moves agreements whose validUntil has passed to
 * expired and gives their owners advance notice. Run by a scheduled task
 * (once across replicas); safe to run concurrently all the same: the
 * expiry is a versioned write and each notice is claimed in the database
 * before it is sent.
 * @internal
 */
export class ExpiryService {
  constructor(
    private readonly options: {
      store: ExpiryStore;
      agreements: Pick<AgreementService, 'expire'>;
      notifier: Pick<SlaNotifier, 'notifyExpiry'>;
      /** Closes the open breaches of an agreement that expired. */
      breaches?: Pick<BreachService, 'closeOpenBreaches'>;
      logger: LoggerService;
      /** Days before validUntil to notify, e.g. [30, 7, 1]. */
      noticeDays: number[];
    },
  ) {}

  async run(at: number, signal?: AbortSignal): Promise<ExpiryRun> {
    const { store, agreements, notifier, breaches, logger, noticeDays } =
      this.options;
    const candidates = await store.expiring();
    const recorded = noticeDays.length
      ? await store.recorded(candidates.map(a => a.id))
      : new Map<string, number[]>();
    const result: ExpiryRun = { expired: [], notices: 0 };
    for (const candidate of candidates) {
      // Stopped (the scheduler's timeout): the next run goes on.
      if (signal?.aborted) break;
      try {
        if (isExpiredAt(candidate, at)) {
          const expired = await agreements.expire(candidate.id, at);
          if (expired) {
            result.expired.push(expired.id);
            await breaches?.closeOpenBreaches(
              expired.id,
              Date.parse(expired.validUntil!),
            );
            await notifier.notifyExpiry(expired, { type: 'expired' });
          }
          continue;
        }
        const end = Date.parse(candidate.validUntil!);
        const period = iso(end);
        const due = dueExpiryNotice({
          validUntil: end,
          thresholds: noticeDays,
          recorded: recorded.get(`${candidate.id} ${period}`) ?? [],
          at,
        });
        if (!due) continue;
        if (await store.claim(candidate.id, period, due.days, iso(at))) {
          await store.skip(candidate.id, period, due.skipped, iso(at));
          await notifier.notifyExpiry(candidate, {
            type: 'notice',
            days: due.days,
            daysLeft: daysUntil(end, at),
          });
          result.notices++;
        }
      } catch (error) {
        logger.warn(`Expiry of agreement ${candidate.id} failed: ${error}`);
      }
    }
    if (result.expired.length || result.notices) {
      logger.info(
        `Expiry: ${result.expired.length} agreements expired, ${result.notices} advance notices sent`,
      );
    }
    return result;
  }
}
