/**
 * The two answer scales: CSAT (1–5, "how satisfied were you?") and NPS
 * (0–10, "how likely are you to recommend us?").
 */
export type ScoreScale = 'csat' | 'nps';

/** A CSAT answer is satisfied at 4 or 5. */
export const isSatisfied = (score: number) => score >= 4;

/** NPS promoters answer 9 or 10, detractors 0 to 6 (7 and 8 are passives). */
export const isPromoter = (score: number) => score >= 9;
export const isDetractor = (score: number) => score <= 6;
