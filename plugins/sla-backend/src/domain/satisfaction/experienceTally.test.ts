import { ScoredAnswer } from './countedAnswers';
import { experienceTally, isFeedbackTarget } from './experienceTally';

const answers: ScoredAnswer[] = [
  // CSAT: alice 5 (then 2 in the same campaign, replacing it), bob 4, carol 3
  { userRef: 'alice', campaignId: 'c1', scale: 'csat', score: 5, givenAt: 1 },
  { userRef: 'alice', campaignId: 'c1', scale: 'csat', score: 2, givenAt: 5 },
  { userRef: 'bob', campaignId: 'c1', scale: 'csat', score: 4, givenAt: 2 },
  { userRef: 'carol', scale: 'csat', score: 3, givenAt: 3 },
  // NPS: dave 10, erin 7
  { userRef: 'dave', scale: 'nps', score: 10, givenAt: 4 },
  { userRef: 'erin', scale: 'nps', score: 7, givenAt: 4 },
];

describe('experienceTally', () => {
  it('counts CSAT answers for csat: good 4–5, one voice per user per campaign', () => {
    // counted: alice 2 (latest), bob 4, carol 3 → good 1, bad 2 (33.3 %)
    expect(experienceTally('csat', answers, { start: 0, end: 10 })).toEqual({
      good: 1,
      bad: 2,
    });
  });

  it('evaluates at an earlier instant with what was there then', () => {
    // [0, 4): alice 5, bob 4, carol 3 → good 2, bad 1
    expect(experienceTally('csat', answers, { start: 0, end: 4 })).toEqual({
      good: 2,
      bad: 1,
    });
  });

  it('counts NPS answers for promoters: good 9–10', () => {
    expect(
      experienceTally('promoters', answers, { start: 0, end: 10 }),
    ).toEqual({ good: 1, bad: 1 });
  });

  it('knows which targets it measures', () => {
    expect(isFeedbackTarget({ aspect: 'experience', metric: 'csat' })).toBe(
      true,
    );
    expect(
      isFeedbackTarget({ aspect: 'experience', metric: 'promoters' }),
    ).toBe(true);
    expect(
      isFeedbackTarget({ aspect: 'experience', metric: 'page_load_apdex' }),
    ).toBe(false);
    expect(isFeedbackTarget({ aspect: 'availability', metric: 'csat' })).toBe(
      false,
    );
  });
});
