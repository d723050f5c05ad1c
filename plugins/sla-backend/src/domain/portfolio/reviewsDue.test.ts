import { reviewsDueBy } from './reviewsDue';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);

// Agreed on 1 June with a yearly agreement review (P1Y by default) and a
// service review held on 10 November: the next service review is due on
// 10 December (P1M), the next agreement review on 1 June 2027.
const agreement = {
  kind: 'SLA' as const,
  status: 'agreed' as const,
  agreedAt: '2026-06-01T00:00:00.000Z',
  validFrom: '2026-06-01T00:00:00.000Z',
  reviews: [{ kind: 'service' as const, heldAt: '2026-11-10T00:00:00.000Z' }],
};

describe('reviewsDueBy', () => {
  it('lists the service review due within the horizon, not yet overdue', () => {
    const at = t('2026-12-02T00:00:00Z');
    expect(reviewsDueBy(agreement, at, at + 14 * DAY)).toEqual([
      { kind: 'service', due: '2026-12-10T00:00:00.000Z', overdue: false },
    ]);
  });

  it('lists nothing when the next review is beyond the horizon', () => {
    const at = t('2026-12-02T00:00:00Z');
    expect(reviewsDueBy(agreement, at, at + 7 * DAY)).toEqual([]);
  });

  it('marks a review due before `at` as overdue, earliest first', () => {
    const at = t('2027-06-15T00:00:00Z');
    expect(reviewsDueBy(agreement, at, at)).toEqual([
      { kind: 'service', due: '2026-12-10T00:00:00.000Z', overdue: true },
      { kind: 'agreement', due: '2027-06-01T00:00:00.000Z', overdue: true },
    ]);
  });

  it('ignores a review held after `at` (the schedule as it was then)', () => {
    const at = t('2026-11-05T00:00:00Z');
    // before 10 November only the agreement (1 June) counts: due 1 July
    expect(reviewsDueBy(agreement, at, at)).toEqual([
      { kind: 'service', due: '2026-07-01T00:00:00.000Z', overdue: true },
    ]);
  });

  it('has no reviews due for agreements not in force', () => {
    const at = t('2027-06-15T00:00:00Z');
    expect(
      reviewsDueBy({ ...agreement, status: 'draft' }, at, at + 365 * DAY),
    ).toEqual([]);
    expect(
      reviewsDueBy(
        { ...agreement, validUntil: '2027-01-01T00:00:00.000Z' },
        at,
        at,
      ),
    ).toEqual([]);
  });
});
