import { countedAnswers, ScoredAnswer } from './countedAnswers';

const a = (
  userRef: string,
  score: number,
  givenAt: number,
  campaignId?: string,
): ScoredAnswer => ({ userRef, score, givenAt, campaignId, scale: 'csat' });

describe('countedAnswers', () => {
  it('counts one voice per user per campaign, the latest', () => {
    // alice answers campaign c1 twice (2 then 5) and bob once (1):
    // 2 answers count, alice's latest (5) and bob's (1).
    const counted = countedAnswers(
      [
        a('user:default/alice', 2, 10, 'c1'),
        a('user:default/bob', 1, 20, 'c1'),
        a('user:default/alice', 5, 30, 'c1'),
      ],
      { start: 0, end: 100 },
    );
    expect(counted.map(x => [x.userRef, x.score])).toEqual([
      ['user:default/bob', 1],
      ['user:default/alice', 5],
    ]);
  });

  it('counts the same user once per campaign and once outside campaigns', () => {
    // alice: c1, c2 and impromptu twice → 3 voices; refs compare case-insensitively.
    const counted = countedAnswers(
      [
        a('user:default/alice', 4, 1, 'c1'),
        a('user:default/alice', 3, 2, 'c2'),
        a('user:default/alice', 1, 3),
        a('user:default/Alice', 2, 4),
      ],
      { start: 0, end: 10 },
    );
    expect(counted.map(x => x.score)).toEqual([4, 3, 2]);
  });

  it('keeps the window half-open [start, end)', () => {
    const counted = countedAnswers(
      [a('u1', 5, 9), a('u2', 5, 10), a('u3', 5, 19), a('u4', 5, 20)],
      { start: 10, end: 20 },
    );
    expect(counted.map(x => x.userRef)).toEqual(['u2', 'u3']);
  });
});
