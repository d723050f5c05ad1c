import { countedAnswers, ScoredAnswer } from './countedAnswers';
import { isPromoter, isSatisfied, ScoreScale } from './scales';

/**
 * Metrics an `experience` target (XLA) can be measured by from feedback:
 * `csat` counts CSAT answers (good: 4–5), `promoters` counts NPS answers
 * (good: 9–10). Objective "CSAT ≥ 80 % per month" is then a ratio target
 * like any other: attainment = good / counted × 100.
 */
export const FEEDBACK_METRICS: Record<
  string,
  { scale: ScoreScale; good: (score: number) => boolean }
> = {
  csat: { scale: 'csat', good: isSatisfied },
  promoters: { scale: 'nps', good: isPromoter },
};

/** Whether a target is an XLA measured from feedback. */
export function isFeedbackTarget(target: {
  aspect: string;
  metric: string;
}): boolean {
  return (
    target.aspect === 'experience' &&
    Object.prototype.hasOwnProperty.call(FEEDBACK_METRICS, target.metric)
  );
}

/** Good and bad answers for an XLA metric in [start, end). */
export function experienceTally(
  metric: string,
  answers: ScoredAnswer[],
  window: { start: number; end: number },
): { good: number; bad: number } {
  const def = FEEDBACK_METRICS[metric];
  if (!def) return { good: 0, bad: 0 };
  const counted = countedAnswers(
    answers.filter(a => a.scale === def.scale),
    window,
  );
  const good = counted.filter(a => def.good(a.score)).length;
  return { good, bad: counted.length - good };
}
