import type { ScoredAnswer } from './countedAnswers';
import { isDetractor, isPromoter, isSatisfied } from './scales';

/** CSAT and NPS figures over a set of (already counted) answers. */
export type ScoreSummary = {
  /** All scored answers, both scales. */
  responses: number;
  /** % of CSAT answers that are 4 or 5; null without CSAT answers. */
  csat: number | null;
  /** Mean CSAT score (1–5); null without CSAT answers. */
  meanScore: number | null;
  csatResponses: number;
  /** % promoters − % detractors (−100 … 100); null without NPS answers. */
  nps: number | null;
  npsResponses: number;
  /** Answers per score: CSAT 1–5 and NPS 0–10. */
  distribution: { csat: number[]; nps: number[] };
};

const round = (x: number) => Math.round(x * 1e9) / 1e9;

export function summarizeScores(answers: ScoredAnswer[]): ScoreSummary {
  const csat = answers.filter(a => a.scale === 'csat');
  const nps = answers.filter(a => a.scale === 'nps');
  const distribution = {
    csat: [0, 0, 0, 0, 0],
    nps: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };
  csat.forEach(a => distribution.csat[a.score - 1]++);
  nps.forEach(a => distribution.nps[a.score]++);
  const satisfied = csat.filter(a => isSatisfied(a.score)).length;
  const promoters = nps.filter(a => isPromoter(a.score)).length;
  const detractors = nps.filter(a => isDetractor(a.score)).length;
  return {
    responses: answers.length,
    csat: csat.length ? round((satisfied * 100) / csat.length) : null,
    meanScore: csat.length
      ? round(csat.reduce((s, a) => s + a.score, 0) / csat.length)
      : null,
    csatResponses: csat.length,
    nps: nps.length
      ? round(((promoters - detractors) * 100) / nps.length)
      : null,
    npsResponses: nps.length,
    distribution,
  };
}
