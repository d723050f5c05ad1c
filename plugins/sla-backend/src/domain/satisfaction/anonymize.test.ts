import { anonymize } from './anonymize';
import { countedAnswers } from './countedAnswers';

describe('anonymity', () => {
  it('hides the name of an anonymous answer from readers', () => {
    expect(
      anonymize({ id: 'f1', anonymous: true, givenBy: 'user:default/alice' }),
    ).toEqual({ id: 'f1', anonymous: true });
    expect(
      anonymize({ id: 'f2', anonymous: false, givenBy: 'user:default/bob' }),
    ).toEqual({ id: 'f2', anonymous: false, givenBy: 'user:default/bob' });
  });

  it('still counts an anonymous user once per campaign', () => {
    // alice answers c1 by name (1) and then anonymously (5): one voice, the 5
    const counted = countedAnswers(
      [
        {
          userRef: 'user:default/alice',
          campaignId: 'c1',
          scale: 'csat',
          score: 1,
          givenAt: 1,
        },
        {
          userRef: 'user:default/alice',
          campaignId: 'c1',
          scale: 'csat',
          score: 5,
          givenAt: 2,
        },
      ],
      { start: 0, end: 3 },
    );
    expect(counted.map(a => a.score)).toEqual([5]);
  });
});
