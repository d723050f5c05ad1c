import type {
  Agreement,
  BurnRateWindow,
  Target,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { LOOKBACKS, errorBudget, resolveWindow, targetStatus } from '../domain';
import { experienceTally, isFeedbackTarget } from '../domain/satisfaction';
import { FeedbackStore } from '../store/FeedbackStore';

type Request = { agreement: Agreement; target: Target; at: number };

/**
 * Evaluates XLA targets (aspect `experience`, metric `csat` or `promoters`)
 * from the feedback table instead of measurements, into the same
 * TargetAttainment shape, so they are shown, breached and notified like any
 * other target. Feedback is sparse (a few answers a day), so burn rates are
 * null and never alert; the window, budget and status follow §3.
 * @internal
 */
export class ExperienceEvaluator {
  constructor(private readonly feedback: FeedbackStore) {}

  handles(target: Target): boolean {
    return isFeedbackTarget(target);
  }

  /**
   * Evaluates the requests it handles and hands the others to `rest`,
   * keeping the order of `requests`.
   */
  async evaluateAlongside(
    requests: Request[],
    rest: (others: Request[]) => Promise<TargetAttainment[]>,
  ): Promise<TargetAttainment[]> {
    const others = requests.filter(r => !this.handles(r.target));
    const measured = others.length ? await rest(others) : [];
    let next = 0;
    const results: TargetAttainment[] = [];
    for (const r of requests) {
      results.push(
        this.handles(r.target) ? await this.evaluate(r) : measured[next++],
      );
    }
    return results;
  }

  async evaluate({
    agreement,
    target,
    at,
  }: Request): Promise<TargetAttainment> {
    const window = resolveWindow(target.window, at);
    const answers = await this.feedback.scoredAnswers(
      agreement.entityRef,
      new Date(window.start).toISOString(),
      new Date(at).toISOString(),
    );
    const { good, bad } = experienceTally(target.metric, answers, {
      start: window.start,
      end: at,
    });
    const counted = good + bad;
    const attainment = counted > 0 ? (good * 100) / counted : null;
    const budget = errorBudget({
      objective: target.objective,
      allowedBase: counted,
      consumed: bad,
    });
    const burnRates = Object.fromEntries(
      Object.keys(LOOKBACKS).map(k => [k, null]),
    ) as Record<BurnRateWindow, number | null>;
    return {
      targetId: target.id,
      agreementId: agreement.id,
      name: target.name,
      window: {
        start: new Date(window.start).toISOString(),
        end: new Date(window.end).toISOString(),
      },
      attainment,
      objective: target.objective,
      status: targetStatus({
        counted,
        attainment,
        objective: target.objective,
        remaining: budget.remaining,
        alerts: [],
      }),
      errorBudget: budget,
      burnRates,
      alerts: [],
      counted,
    };
  }
}
