import { ScoredAnswer } from './countedAnswers';
import { summarizeScores } from './summarizeScores';

let n = 0;
const csat = (score: number): ScoredAnswer => ({
  userRef: `u${n++}`,
  scale: 'csat',
  score,
  givenAt: n,
});
const nps = (score: number): ScoredAnswer => ({
  userRef: `u${n++}`,
  scale: 'nps',
  score,
  givenAt: n,
});

describe('summarizeScores', () => {
  it('computes CSAT as the share of 4–5 answers and the mean score', () => {
    // scores 5, 4, 4, 3, 1: satisfied 3 of 5 → 60 %; mean 17 / 5 = 3.4
    const s = summarizeScores([5, 4, 4, 3, 1].map(csat));
    expect(s.csat).toBe(60);
    expect(s.meanScore).toBe(3.4);
    expect(s.csatResponses).toBe(5);
    expect(s.distribution.csat).toEqual([1, 0, 1, 2, 1]);
    expect(s.nps).toBeNull();
  });

  it('computes NPS as % promoters − % detractors', () => {
    // 10, 9, 9 promoters (3); 8, 7 passives; 6, 0 detractors (2); 7 answers:
    // 3/7 − 2/7 = 1/7 = 14.285714285…
    const s = summarizeScores([10, 9, 9, 8, 7, 6, 0].map(nps));
    expect(s.nps).toBeCloseTo(100 / 7, 9);
    expect(s.npsResponses).toBe(7);
    expect(s.distribution.nps).toEqual([1, 0, 0, 0, 0, 0, 1, 1, 1, 2, 1]);
    expect(s.csat).toBeNull();
    expect(s.meanScore).toBeNull();
  });

  it('ranges NPS from −100 (all detractors) to 100 (all promoters)', () => {
    expect(summarizeScores([0, 6].map(nps)).nps).toBe(-100);
    expect(summarizeScores([9, 10].map(nps)).nps).toBe(100);
  });

  it('keeps the two scales apart and counts both in responses', () => {
    // CSAT 4 and 2 → 50 %, mean 3; NPS 10 → 100
    const s = summarizeScores([csat(4), csat(2), nps(10)]);
    expect(s).toMatchObject({ responses: 3, csat: 50, meanScore: 3, nps: 100 });
  });

  it('has no figures without answers', () => {
    expect(summarizeScores([])).toMatchObject({
      responses: 0,
      csat: null,
      meanScore: null,
      nps: null,
    });
  });
});
