import { validateReviewInput } from './validateReview';

const held = {
  agreementId: 'a1',
  period: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
  participants: ['user:default/alice'],
};
const fields = (input: unknown, mode: 'create' | 'update' = 'create') =>
  validateReviewInput(input, mode).map(e => e.field);

describe('validateReviewInput', () => {
  it('accepts a held review and an open one', () => {
    expect(fields(held)).toEqual([]);
    expect(
      fields({ agreementId: 'a1', status: 'open', kind: 'event' }),
    ).toEqual([]);
    expect(
      fields({
        ...held,
        decision: { type: 'prolong', validUntil: '2028-01-01T00:00:00Z' },
        actions: [
          { title: 'Tune alerts', due: '2026-03-01T00:00:00Z', done: false },
        ],
        serviceReviewInterval: 'P3M',
      }),
    ).toEqual([]);
  });

  it.each([
    [{ ...held, agreementId: undefined }, 'agreementId'],
    [{ ...held, kind: 'weekly' }, 'kind'],
    [{ ...held, period: undefined }, 'period'],
    [
      { ...held, period: { start: 'x', end: '2026-01-01T00:00:00Z' } },
      'period.start',
    ],
    [
      {
        ...held,
        period: { start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
      },
      'period.end',
    ],
    [
      {
        ...held,
        period: { start: '2024-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
      },
      'period',
    ],
    [{ ...held, participants: [] }, 'participants'],
    [{ ...held, participants: [''] }, 'participants[0]'],
    [{ ...held, decision: { type: 'extend' } }, 'decision.type'],
    [
      {
        ...held,
        decision: { type: 'amend', validUntil: '2028-01-01T00:00:00Z' },
      },
      'decision.validUntil',
    ],
    [
      { agreementId: 'a1', status: 'open', decision: { type: 'withdraw' } },
      'decision',
    ],
    [{ ...held, actions: [{ owner: 'x' }] }, 'actions[0].title'],
    [{ ...held, actions: [{ title: 'x', due: 'soon' }] }, 'actions[0].due'],
    [{ ...held, serviceReviewInterval: 'P6M' }, 'serviceReviewInterval'],
    [{ ...held, heldAt: 'yesterday' }, 'heldAt'],
  ])('refuses %j naming %s', (input, field) => {
    expect(fields(input)).toContain(field);
  });

  it('needs a version on update and refuses moving the review', () => {
    expect(fields({ minutes: 'x' }, 'update')).toEqual(['version']);
    expect(fields({ version: 1, agreementId: 'b' }, 'update')).toEqual([
      'agreementId',
    ]);
    expect(fields({ version: 1, minutes: 'Notes' }, 'update')).toEqual([]);
    expect(fields([], 'update')).toEqual(['body']);
  });
});
