import { reviewSchedule, serviceReviewIntervalProblem } from './schedule';

const agreed = {
  status: 'agreed',
  agreedAt: '2026-01-15T00:00:00.000Z',
  reviewInterval: 'P1Y',
};
const at = (s: string) => Date.parse(s);

describe('serviceReviewIntervalProblem', () => {
  it.each(['P1M', 'P2M', 'P3M', 'P4W', 'P30D', 'P13W'])('accepts %s', v => {
    expect(serviceReviewIntervalProblem(v)).toBeUndefined();
  });

  it.each(['P2W', 'P27D', 'P4M', 'P1Y', 'PT1H', '1 month', 3, undefined])(
    'refuses %p and says why',
    v => {
      expect(serviceReviewIntervalProblem(v)).toMatch(/P1M to P3M.*ITIL/);
    },
  );
});

describe('reviewSchedule', () => {
  it('counts from the agreement when no review was held', () => {
    // 2026-01-15 + P1M = 2026-02-15; + P1Y = 2027-01-15
    expect(reviewSchedule(agreed, [], at('2026-02-01T00:00:00Z'))).toEqual({
      serviceReviewInterval: 'P1M',
      nextServiceReviewDue: '2026-02-15T00:00:00.000Z',
      nextAgreementReviewDue: '2027-01-15T00:00:00.000Z',
      overdue: [],
    });
  });

  it('moves the service review on from the latest held review, at its interval', () => {
    const s = reviewSchedule(
      agreed,
      [
        {
          kind: 'service',
          heldAt: '2026-03-10T09:00:00.000Z',
          serviceReviewInterval: 'P3M',
        },
        { kind: 'event', heldAt: '2026-02-20T09:00:00.000Z' },
      ],
      at('2026-04-01T00:00:00Z'),
    );
    // latest 2026-03-10 09:00 + P3M = 2026-06-10 09:00; the agreement review is untouched
    expect(s.lastReviewAt).toBe('2026-03-10T09:00:00.000Z');
    expect(s.serviceReviewInterval).toBe('P3M');
    expect(s.nextServiceReviewDue).toBe('2026-06-10T09:00:00.000Z');
    expect(s.nextAgreementReviewDue).toBe('2027-01-15T00:00:00.000Z');
    expect(s.overdue).toEqual([]);
  });

  it('moves the agreement review on from the latest agreement review', () => {
    const s = reviewSchedule(
      { ...agreed, reviewInterval: 'P6M' },
      [{ kind: 'agreement', heldAt: '2026-05-01T00:00:00.000Z' }],
      at('2026-05-02T00:00:00Z'),
    );
    // 2026-05-01 + P6M = 2026-11-01; service: 2026-05-01 + P1M = 2026-06-01
    expect(s.nextAgreementReviewDue).toBe('2026-11-01T00:00:00.000Z');
    expect(s.nextServiceReviewDue).toBe('2026-06-01T00:00:00.000Z');
  });

  it('is overdue from the due instant on', () => {
    // due 2026-02-15T00:00Z exactly
    expect(
      reviewSchedule(agreed, [], at('2026-02-14T23:59:59Z')).overdue,
    ).toEqual([]);
    expect(
      reviewSchedule(agreed, [], at('2026-02-15T00:00:00Z')).overdue,
    ).toEqual(['service']);
    expect(
      reviewSchedule(agreed, [], at('2027-01-15T00:00:00Z')).overdue,
    ).toEqual(['service', 'agreement']);
  });

  it('defaults the agreement interval to a year; nothing is due unless in force', () => {
    const { reviewInterval: _r, ...noInterval } = agreed;
    expect(reviewSchedule(noInterval, [], 0).nextAgreementReviewDue).toBe(
      '2027-01-15T00:00:00.000Z',
    );
    for (const status of ['draft', 'negotiation', 'withdrawn', 'expired']) {
      const s = reviewSchedule(
        { ...agreed, status },
        [],
        at('2030-01-01T00:00:00Z'),
      );
      expect(s.nextServiceReviewDue).toBeUndefined();
      expect(s.nextAgreementReviewDue).toBeUndefined();
      expect(s.overdue).toEqual([]);
    }
  });

  it('ignores reviews before a later agreement (a prolongation restarts the clock)', () => {
    const s = reviewSchedule(
      { ...agreed, agreedAt: '2026-07-01T00:00:00.000Z' },
      [{ kind: 'agreement', heldAt: '2026-06-30T00:00:00.000Z' }],
      0,
    );
    expect(s.nextServiceReviewDue).toBe('2026-08-01T00:00:00.000Z');
    expect(s.nextAgreementReviewDue).toBe('2027-07-01T00:00:00.000Z');
  });
});
