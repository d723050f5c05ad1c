import {
  PortfolioAgreement,
  PortfolioBreach,
  ServiceReading,
  countBreaches,
  figuresStableUntil,
  hasAgreedInDateSla,
  hasTimelyReviews,
  inForceAt,
  kpi,
  nextReviewDueAt,
  periodFigures,
  pooledCsat,
  portfolioKpis,
  reviewOverdue,
  serviceFacts,
  targetsMetPercent,
  withoutMeasurementPercent,
  worstStatus,
} from '.';
import type { HeldReview } from '../reviews';

const t = (iso: string) => Date.parse(iso);
const AT = t('2026-11-30T00:00:00Z');
const period = { start: t('2026-10-31T00:00:00Z'), end: AT };
const previous = { start: t('2026-10-01T00:00:00Z'), end: period.start };

const sla = (extra: Partial<PortfolioAgreement> = {}): PortfolioAgreement => ({
  kind: 'SLA',
  status: 'agreed',
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2027-01-01T00:00:00Z',
  agreedAt: '2026-06-01T00:00:00Z',
  // service reviews held monthly (default interval P1M): the next is due
  // on 15 December; the agreement's own review (P1Y) on 1 June 2027
  reviews: [
    { kind: 'service', heldAt: '2026-10-20T00:00:00Z' },
    { kind: 'service', heldAt: '2026-11-15T00:00:00Z' },
  ],
  ...extra,
});
const held = (heldAt: string, extra: Partial<HeldReview> = {}): HeldReview => ({
  kind: 'service',
  heldAt,
  ...extra,
});

const breach = (
  openedAt: string,
  closedAt: string | null,
  extra: Partial<PortfolioBreach> = {},
): PortfolioBreach => ({
  openedAt,
  closedAt,
  severity: 'minor',
  cause: 'own',
  ...extra,
});

describe('worstStatus', () => {
  it('ranks breached over at-risk over met over no-data', () => {
    expect(worstStatus(['met', 'at-risk', 'no-data'])).toBe('at-risk');
    expect(worstStatus(['met', 'breached', 'at-risk'])).toBe('breached');
    expect(worstStatus(['no-data', 'met'])).toBe('met');
    expect(worstStatus(['no-data'])).toBe('no-data');
    expect(worstStatus([])).toBeNull();
  });
});

describe('targetsMetPercent', () => {
  it('counts met and at-risk among the targets with data', () => {
    // 3 with data (met, at-risk, breached): 2 meet their objective → 66.67 %
    expect(
      targetsMetPercent(['met', 'at-risk', 'breached', 'no-data']),
    ).toBeCloseTo(66.666666667, 6);
    expect(targetsMetPercent(['met', 'met', 'met', 'breached'])).toBe(75);
  });

  it('is null when no target has data', () => {
    expect(targetsMetPercent(['no-data'])).toBeNull();
    expect(targetsMetPercent([])).toBeNull();
  });
});

describe('withoutMeasurementPercent', () => {
  it('is the share of targets with nothing counted in their window', () => {
    // 1 of 4
    expect(
      withoutMeasurementPercent(['met', 'no-data', 'breached', 'met']),
    ).toBe(25);
    expect(withoutMeasurementPercent([])).toBeNull();
  });
});

describe('countBreaches', () => {
  it('counts breaches open at some instant of the period by severity and cause', () => {
    const counts = countBreaches(
      [
        // closed before the period: out
        breach('2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z'),
        // closed exactly at the start (half-open): out
        breach('2026-10-30T00:00:00Z', '2026-10-31T00:00:00Z'),
        // started before, closed inside: in
        breach('2026-10-30T00:00:00Z', '2026-11-02T00:00:00Z', {
          severity: 'major',
          cause: 'third-party',
        }),
        // still open: in
        breach('2026-11-20T00:00:00Z', null, {
          severity: 'critical',
          cause: 'internal',
        }),
        // opened exactly at the end: out
        breach('2026-11-30T00:00:00Z', null),
        // inside: in
        breach('2026-11-05T00:00:00Z', '2026-11-06T00:00:00Z'),
      ],
      period,
    );
    expect(counts).toEqual({
      total: 3,
      minor: 1,
      major: 1,
      critical: 1,
      thirdParty: 1,
      internal: 1,
      own: 1,
    });
  });
});

describe('inForceAt and hasAgreedInDateSla', () => {
  it('needs status agreed and `at` inside [validFrom, validUntil)', () => {
    expect(inForceAt(sla(), AT)).toBe(true);
    expect(inForceAt(sla({ status: 'negotiation' }), AT)).toBe(false);
    expect(inForceAt(sla({ validUntil: '2026-11-30T00:00:00Z' }), AT)).toBe(
      false,
    );
    expect(inForceAt(sla({ validFrom: '2026-12-01T00:00:00Z' }), AT)).toBe(
      false,
    );
    expect(inForceAt(sla({ agreedAt: '2026-12-01T00:00:00Z' }), AT)).toBe(
      false,
    );
    expect(
      inForceAt(sla({ validFrom: undefined, validUntil: undefined }), AT),
    ).toBe(true);
  });

  it('counts SLAs only, not OLAs or UCs', () => {
    expect(hasAgreedInDateSla([sla({ kind: 'OLA' })], AT)).toBe(false);
    expect(hasAgreedInDateSla([sla({ kind: 'OLA' }), sla()], AT)).toBe(true);
    expect(hasAgreedInDateSla([sla({ status: 'expired' })], AT)).toBe(false);
  });
});

describe('review schedules from review records', () => {
  it('is due an interval after the last held review', () => {
    // last held review 15 November + P1M
    expect(nextReviewDueAt(sla(), AT)).toBe('2026-12-15T00:00:00.000Z');
    expect(reviewOverdue(sla(), AT)).toBe(false);
    // none held since it was agreed on 1 June: due 1 July
    expect(nextReviewDueAt(sla({ reviews: [] }), AT)).toBe(
      '2026-07-01T00:00:00.000Z',
    );
    expect(reviewOverdue(sla({ reviews: [] }), AT)).toBe(true);
    // held 30 October + P1M = 30 November = AT: due at `at` is overdue
    expect(
      reviewOverdue(sla({ reviews: [held('2026-10-30T00:00:00Z')] }), AT),
    ).toBe(true);
    // a review's own serviceReviewInterval (P3M): 15 September + P3M
    expect(
      nextReviewDueAt(
        sla({
          reviews: [
            held('2026-09-15T00:00:00Z', { serviceReviewInterval: 'P3M' }),
          ],
        }),
        AT,
      ),
    ).toBe('2026-12-15T00:00:00.000Z');
  });

  it('counts only the reviews held up to `at`', () => {
    const a = sla({
      reviews: [held('2026-10-10T00:00:00Z'), held('2026-12-01T00:00:00Z')],
    });
    // on 30 November the 1 December review has not been held: 10 November
    // was due
    expect(reviewOverdue(a, AT)).toBe(true);
    // on 20 December it has: next due 1 January
    const later = t('2026-12-20T00:00:00Z');
    expect(reviewOverdue(a, later)).toBe(false);
    expect(nextReviewDueAt(a, later)).toBe('2027-01-01T00:00:00.000Z');
  });

  it("is overdue when the agreement's own review is, whatever the service reviews", () => {
    // agreed 1 June, reviewed every P3M: due 1 September
    const quarterly = sla({ reviewInterval: 'P3M' });
    expect(reviewOverdue(quarterly, AT)).toBe(true);
    expect(nextReviewDueAt(quarterly, AT)).toBe('2026-09-01T00:00:00.000Z');
    // an agreement review on 10 September moves it to 10 December, earlier
    // than the next service review (15 December)
    const reviewed = sla({
      reviewInterval: 'P3M',
      reviews: [
        held('2026-09-10T00:00:00Z', { kind: 'agreement' }),
        held('2026-11-15T00:00:00Z'),
      ],
    });
    expect(reviewOverdue(reviewed, AT)).toBe(false);
    expect(nextReviewDueAt(reviewed, AT)).toBe('2026-12-10T00:00:00.000Z');
  });

  it('has nothing due for agreements not in force or never agreed', () => {
    expect(reviewOverdue(sla({ status: 'draft', reviews: [] }), AT)).toBe(
      false,
    );
    expect(reviewOverdue(sla({ agreedAt: undefined, reviews: [] }), AT)).toBe(
      false,
    );
    expect(nextReviewDueAt(sla({ agreedAt: undefined }), AT)).toBeUndefined();
  });

  it('is timely when every agreement in force has its next reviews ahead', () => {
    expect(hasTimelyReviews([sla(), sla({ kind: 'OLA' })], AT)).toBe(true);
    expect(hasTimelyReviews([sla(), sla({ reviews: [] })], AT)).toBe(false);
    // no review scheduled (never agreed) is not timely
    expect(hasTimelyReviews([sla({ agreedAt: undefined })], AT)).toBe(false);
    expect(hasTimelyReviews([sla({ status: 'draft' })], AT)).toBe(false);
  });
});

describe('serviceFacts', () => {
  it('answers in one pass what the per-agreement rules answer', () => {
    const agreements = [
      sla(), // next service review 15 December, timely
      sla({ kind: 'OLA', reviews: [] }), // due 1 July: overdue
      sla({ status: 'draft' }), // not in force
      sla({ reviewInterval: 'P3M' }), // agreement review due 1 September
    ];
    expect(serviceFacts(agreements, AT)).toEqual({
      agreementsInForce: 3,
      slaAgreedInDate: true,
      timelyReviews: false,
      slasInForce: 2,
      slasOverdueForReview: 1,
      reviewOverdue: true,
      nextReviewDue: '2026-07-01T00:00:00.000Z',
      nextServiceReviewDue: '2026-07-01T00:00:00.000Z',
      nextAgreementReviewDue: '2026-09-01T00:00:00.000Z',
    });
    expect(serviceFacts(agreements, AT).timelyReviews).toBe(
      hasTimelyReviews(agreements, AT),
    );
    expect(serviceFacts(agreements, AT).slaAgreedInDate).toBe(
      hasAgreedInDateSla(agreements, AT),
    );
  });

  it('moves with `at` on the same agreement objects (reviews held later count later)', () => {
    const a = sla({
      reviews: [held('2026-10-10T00:00:00Z'), held('2026-12-01T00:00:00Z')],
    });
    expect(serviceFacts([a], AT)).toMatchObject({
      reviewOverdue: true,
      nextServiceReviewDue: '2026-11-10T00:00:00.000Z',
    });
    expect(serviceFacts([a], t('2026-12-20T00:00:00Z'))).toMatchObject({
      reviewOverdue: false,
      timelyReviews: true,
      nextServiceReviewDue: '2027-01-01T00:00:00.000Z',
    });
    // and back: an earlier instant after a later one
    expect(serviceFacts([a], AT).nextServiceReviewDue).toBe(
      '2026-11-10T00:00:00.000Z',
    );
  });

  it('has nothing in force and nothing due without agreements in force', () => {
    expect(serviceFacts([sla({ status: 'draft' })], AT)).toEqual({
      agreementsInForce: 0,
      slaAgreedInDate: false,
      timelyReviews: false,
      slasInForce: 0,
      slasOverdueForReview: 0,
      reviewOverdue: false,
      nextReviewDue: null,
      nextServiceReviewDue: null,
      nextAgreementReviewDue: null,
    });
  });
});

describe('figuresStableUntil', () => {
  const DAY = 86_400_000;
  const P = 30 * DAY;
  const agreements = [
    sla({ validUntil: '2026-12-20T00:00:00Z' }),
    sla({ kind: 'OLA', reviews: [held('2026-12-05T00:00:00Z')] }),
  ];
  const breaches = [
    breach('2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z'),
    breach('2026-12-03T00:00:00Z', null, { severity: 'major' }),
  ];
  const answeredAt = [t('2026-11-02T00:00:00Z'), t('2026-12-08T00:00:00Z')];
  /** Everything the portfolio derives from these at `end`. */
  const figures = (end: number) => {
    const now = { start: end - P, end };
    const before = { start: end - 2 * P, end: end - P };
    const inPeriod = (span: { start: number; end: number }) =>
      answeredAt.filter(x => x >= span.start && x < span.end).length;
    return JSON.stringify([
      countBreaches(breaches, now),
      countBreaches(breaches, before),
      inPeriod(now),
      inPeriod(before),
      serviceFacts(agreements, end),
      serviceFacts(agreements, end - P),
    ]);
  };

  it('holds the figures until the first instant a period edge meets', () => {
    const input = { agreements, breaches, answeredAt };
    let end = AT;
    let changes = 0;
    // walk forward a quarter, from stable stretch to stable stretch
    while (end < AT + 90 * DAY) {
      const until = figuresStableUntil(input, end, P);
      expect(until).toBeGreaterThanOrEqual(end);
      const at = figures(end);
      // the same anywhere inside the stretch (its start, end and middle)
      const inside = [end + 1, Math.floor((end + until) / 2), until - 1];
      const limit = Math.min(until, AT + 90 * DAY);
      const checked = inside.filter(x => x < limit);
      expect(checked.map(figures)).toEqual(checked.map(() => at));
      if (figures(until + 1) !== at) changes++;
      end = until + 1;
    }
    // the stretches do end where something changes
    expect(changes).toBeGreaterThan(5);
  });

  it('names the next edge exactly when it is a breach opening', () => {
    // the open breach of 3 December enters the current period then
    expect(
      figuresStableUntil(
        { agreements: [], breaches: [breaches[1]], answeredAt: [] },
        AT,
        P,
      ),
    ).toBe(t('2026-12-03T00:00:00Z'));
  });
});

describe('pooledCsat', () => {
  it('pools the answers of all services', () => {
    // (3 + 1) satisfied of (4 + 4) answers = 50 %, not the mean of 75 and 25
    expect(
      pooledCsat([
        { responses: 4, satisfied: 3 },
        { responses: 4, satisfied: 1 },
        { responses: 0, satisfied: 0 },
      ]),
    ).toBe(50);
    expect(pooledCsat([{ responses: 0, satisfied: 0 }])).toBeNull();
  });
});

describe('kpi', () => {
  it('reports the change against the previous period', () => {
    expect(kpi(75, 50)).toEqual({ value: 75, previous: 50, change: 25 });
    expect(kpi(75, null)).toEqual({ value: 75, previous: null, change: null });
  });
});

describe('periodFigures and portfolioKpis', () => {
  // A: SLA in force, review ahead, 2 targets met + 1 breached, one breach
  //    (third party), CSAT 3 of 4.
  // B: SLA overdue for review, 1 target no-data, OLA in force (review
  //    ahead), CSAT 0 of 1.
  // C: only a draft SLA: no targets in force.
  const services: ServiceReading[] = [
    {
      agreements: [sla()],
      targets: ['met', 'met', 'breached'],
      breaches: [
        breach('2026-11-10T00:00:00Z', null, {
          severity: 'major',
          cause: 'third-party',
        }),
      ],
      csat: { responses: 4, satisfied: 3 },
    },
    {
      agreements: [
        // last review 15 October: the next was due 15 November
        sla({ reviews: [held('2026-10-15T00:00:00Z')] }),
        sla({ kind: 'OLA' }),
      ],
      targets: ['no-data'],
      breaches: [],
      csat: { responses: 1, satisfied: 0 },
    },
    {
      agreements: [sla({ status: 'draft' })],
      targets: [],
      breaches: [],
      csat: { responses: 0, satisfied: 0 },
    },
  ];

  it('computes each KPI over the services', () => {
    expect(periodFigures(services, period)).toEqual({
      services: 3,
      // 2 of 3 targets with data
      targetsMetPercent: 66.666666667,
      breaches: {
        total: 1,
        minor: 0,
        major: 1,
        critical: 0,
        thirdParty: 1,
        internal: 0,
        own: 0,
      },
      // A and B of A, B, C
      slaAgreedInDatePercent: 66.666666667,
      // only A: B has an overdue SLA, C nothing in force
      timelyReviewsPercent: 33.333333333,
      // not known for any service
      timelyReportsPercent: null,
      // 1 of the 2 SLAs in force (A's, B's)
      slasOverdueForReviewPercent: 50,
      // 1 of 4 targets
      targetsWithoutMeasurementPercent: 25,
      // 3 of 5 answers
      csat: 60,
    });
  });

  it('counts timely reports among the services whose reports are known', () => {
    // A timely, B late, C not known: 1 of 2
    const known = services.map((s, i) => ({
      ...s,
      timelyReport: [true, false, undefined][i],
    }));
    expect(periodFigures(known, period).timelyReportsPercent).toBe(50);
  });

  it('compares the period with the previous one', () => {
    const now = periodFigures(services, period);
    const before = periodFigures(
      services.map(s => ({
        ...s,
        targets: s.targets.map(() => 'met' as const),
        csat: { responses: 0, satisfied: 0 },
      })),
      previous,
    );
    const kpis = portfolioKpis(now, before, { current: period, previous });
    expect(kpis.period).toEqual({
      start: '2026-10-31T00:00:00.000Z',
      end: '2026-11-30T00:00:00.000Z',
    });
    expect(kpis.targetsMetPercent).toEqual({
      value: 66.666666667,
      previous: 100,
      change: -33.333333333,
    });
    // the breach opened on 10 November: none in October
    expect(kpis.breaches.total).toEqual({ value: 1, previous: 0, change: 1 });
    // on 31 October B's review (due 15 November) was not yet overdue
    expect(kpis.slasOverdueForReviewPercent).toEqual({
      value: 50,
      previous: 0,
      change: 50,
    });
    expect(kpis.csat).toEqual({ value: 60, previous: null, change: null });
  });
});
