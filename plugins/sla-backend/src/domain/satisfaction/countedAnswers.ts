import type { ScoreScale } from './scales';

/** A scored piece of feedback, as the math needs it. Instants in epoch ms. */
export type ScoredAnswer = {
  /** Who answered; kept for anonymous answers too, so they count once. */
  userRef: string;
  /** The survey campaign answered, if any. */
  campaignId?: string;
  scale: ScoreScale;
  score: number;
  givenAt: number;
};

/**
 * The answers that count in [start, end): one voice per user per campaign,
 * and one per user for feedback outside campaigns (impromptu feedback,
 * complaints and compliments with a score), in both cases the latest.
 * Without this, one unhappy (or delighted) user posting ten times would
 * move CSAT as much as ten users.
 */
export function countedAnswers<T extends ScoredAnswer>(
  answers: T[],
  window: { start: number; end: number },
): T[] {
  const latest = new Map<string, T>();
  for (const a of answers) {
    if (a.givenAt < window.start || a.givenAt >= window.end) continue;
    // toLowerCase: the same as toLocaleLowerCase('en-US'), without ICU
    const key = `${a.campaignId ?? ''}\u0000${a.userRef.toLowerCase()}`;
    const kept = latest.get(key);
    if (!kept || a.givenAt >= kept.givenAt) latest.set(key, a);
  }
  return [...latest.values()].sort((a, b) => a.givenAt - b.givenAt);
}
