import { countedAnswers, ScoredAnswer } from './countedAnswers';
import { summarizeScores } from './summarizeScores';

const DAY = 86_400_000;

/**
 * The trend's period for a window: days up to 14 days, weeks up to 92 days,
 * 30-day periods beyond. Periods are counted back from the window's end,
 * so the newest period always ends at `at`.
 */
export function trendPeriodMs(windowMs: number): number {
  if (windowMs <= 14 * DAY) return DAY;
  if (windowMs <= 92 * DAY) return 7 * DAY;
  return 30 * DAY;
}

export type TrendPoint = {
  start: number;
  end: number;
  responses: number;
  csat: number | null;
  meanScore: number | null;
  nps: number | null;
};

/**
 * CSAT, mean and NPS per period of [start, end), oldest first. Each period
 * counts its own answers (one voice per user per campaign in that period);
 * the first period is cut at the window's start.
 */
export function satisfactionTrend(
  answers: ScoredAnswer[],
  window: { start: number; end: number },
): TrendPoint[] {
  const period = trendPeriodMs(window.end - window.start);
  const points: TrendPoint[] = [];
  for (let end = window.end; end > window.start; end -= period) {
    const start = Math.max(window.start, end - period);
    const s = summarizeScores(countedAnswers(answers, { start, end }));
    points.push({
      start,
      end,
      responses: s.responses,
      csat: s.csat,
      meanScore: s.meanScore,
      nps: s.nps,
    });
  }
  return points.reverse();
}
