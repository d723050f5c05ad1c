import type {
  Agreement,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import {
  buildServiceReport,
  improvementActiveDuring,
  periodTargets,
  reportedDuring,
} from './buildServiceReport';
import { monthPeriod } from './reportPeriod';
import { reportCsv } from './reportCsv';

const t = (s: string) => Date.parse(s);
const october = monthPeriod('2026-10');

const agreement = (overrides: Partial<Agreement> = {}): Agreement =>
  ({
    id: 'a1',
    kind: 'SLA',
    entityRef: 'component:default/checkout',
    title: 'Checkout, web shop',
    status: 'agreed',
    version: 3,
    validFrom: '2026-01-01T00:00:00Z',
    targets: [
      {
        id: 't1',
        name: 'Availability',
        aspect: 'availability',
        metric: 'req',
        sli: { kind: 'ratio' },
        objective: 99.9,
        window: { type: 'rolling', duration: 'P28D' },
      },
      {
        id: 't2',
        name: '=Latency',
        aspect: 'performance',
        metric: 'lat',
        sli: { kind: 'threshold', operator: 'lte', threshold: 300 },
        objective: 95,
        window: { type: 'rolling', duration: 'P28D' },
      },
    ],
    ...overrides,
  } as Agreement);

const figures = (
  targetId: string,
  attainment: number | null,
  counted: number,
  budget: TargetAttainment['errorBudget'],
  status: TargetAttainment['status'] = 'met',
) =>
  ({
    agreementId: 'a1',
    targetId,
    attainment,
    counted,
    errorBudget: budget,
    status,
    objective: 0,
    window: {
      start: '2026-10-04T00:00:00.000Z',
      end: '2026-11-01T00:00:00.000Z',
    },
    burnRates: {},
    alerts: [],
  } as unknown as TargetAttainment);

const satisfaction = {
  csat: 80,
  csatResponses: 5,
  nps: null,
  npsResponses: 0,
  responses: 5,
  complaints: { total: 1, open: 1, acknowledged: 0, resolved: 0 },
  compliments: 2,
};

describe('reportedDuring', () => {
  it('keeps agreements in force during the period', () => {
    expect(reportedDuring(agreement(), october)).toBe(true);
    expect(reportedDuring(agreement({ status: 'draft' }), october)).toBe(false);
    expect(reportedDuring(agreement({ status: 'withdrawn' }), october)).toBe(
      false,
    );
    expect(
      reportedDuring(
        agreement({ status: 'expired', validUntil: '2026-10-15T00:00:00Z' }),
        october,
      ),
    ).toBe(true);
    expect(
      reportedDuring(
        agreement({ status: 'expired', validUntil: '2026-10-01T00:00:00Z' }),
        october,
      ),
    ).toBe(false);
    expect(
      reportedDuring(agreement({ validFrom: '2026-11-01T00:00:00Z' }), october),
    ).toBe(false);
  });
});

describe('periodTargets', () => {
  it('gives every target a rolling window exactly as long as the period', () => {
    const [copy] = periodTargets([agreement()], october);
    // October has 31 days = 2,678,400 s
    expect(copy.targets.map(x => x.window)).toEqual([
      { type: 'rolling', duration: 'PT2678400S' },
      { type: 'rolling', duration: 'PT2678400S' },
    ]);
  });
});

describe('buildServiceReport', () => {
  const report = buildServiceReport({
    entityRef: 'component:default/checkout',
    period: october,
    generatedAt: t('2026-11-22T09:00:00Z'),
    agreements: [agreement()],
    overPeriod: [
      // 99,500 good of 100,000: 99.5 % < 99.9 %; allowed 100, consumed 500
      figures('t1', 99.5, 100_000, {
        allowed: 100,
        consumed: 500,
        remaining: -4,
      }),
      figures('t2', null, 0, { allowed: 0, consumed: 0, remaining: 1 }),
    ],
    atPeriodEnd: [
      figures(
        't1',
        99.4,
        90_000,
        { allowed: 90, consumed: 540, remaining: -5 },
        'breached',
      ),
      figures(
        't2',
        null,
        0,
        { allowed: 0, consumed: 0, remaining: 1 },
        'no-data',
      ),
    ],
    breaches: [
      {
        id: 'b-open',
        entityRef: 'component:default/checkout',
        agreementId: 'a1',
        targetId: 't1',
        openedAt: '2026-10-31T22:00:00.000Z',
        closedAt: null,
        severity: 'major',
        cause: 'internal',
      },
      {
        id: 'b-closed-later',
        entityRef: 'component:default/checkout',
        agreementId: 'a1',
        targetId: 't1',
        openedAt: '2026-10-10T10:00:00.000Z',
        closedAt: '2026-11-02T00:00:00.000Z',
        severity: 'minor',
        cause: 'internal',
      },
      {
        id: 'b-before',
        entityRef: 'component:default/checkout',
        agreementId: 'a1',
        targetId: 't1',
        openedAt: '2026-09-10T10:00:00.000Z',
        closedAt: '2026-09-11T00:00:00.000Z',
        severity: 'minor',
        cause: 'internal',
      },
    ] as any,
    satisfaction,
    reviews: [
      {
        id: 'r1',
        agreementId: 'a1',
        kind: 'service',
        status: 'held',
        heldAt: '2026-10-20T10:00:00.000Z',
        participants: ['user:default/alice', 'Customer'],
        decision: { type: 'prolong' },
      },
      {
        id: 'r-open',
        agreementId: 'a1',
        kind: 'event',
        status: 'open',
        participants: [],
      },
      {
        id: 'r-later',
        agreementId: 'a1',
        kind: 'service',
        status: 'held',
        heldAt: '2026-11-03T10:00:00.000Z',
        participants: ['x'],
      },
    ],
    improvements: [],
  });

  it('reports attainment over the period, met or not, and the budget', () => {
    const [a1] = report.agreements;
    expect(a1.targets[0]).toMatchObject({
      targetId: 't1',
      attainment: 99.5,
      met: false,
      counted: 100_000,
      errorBudget: { allowed: 100, consumed: 500, remaining: -4 },
      atPeriodEnd: { status: 'breached', attainment: 99.4 },
    });
    expect(a1.targets[1]).toMatchObject({
      attainment: null,
      met: null,
      counted: 0,
    });
    expect(report.summary).toEqual({
      targets: 2,
      met: 0,
      notMet: 1,
      noData: 1,
      breaches: 2,
    });
  });

  it('lists the breaches of the period as they stood at its end', () => {
    expect(report.agreements[0].targets[0].breaches).toEqual([
      {
        id: 'b-closed-later',
        openedAt: '2026-10-10T10:00:00.000Z',
        closedAt: null,
        severity: 'minor',
        cause: 'internal',
        // 2026-10-10T10:00 to 2026-11-01T00:00: 21 days 14 hours
        durationMs: (21 * 24 + 14) * 3_600_000,
      },
      {
        id: 'b-open',
        openedAt: '2026-10-31T22:00:00.000Z',
        closedAt: null,
        severity: 'major',
        cause: 'internal',
        durationMs: 2 * 3_600_000,
      },
    ]);
  });

  it('keeps reviews held in the period only', () => {
    expect(report.reviews).toEqual([
      {
        id: 'r1',
        agreementId: 'a1',
        kind: 'service',
        heldAt: '2026-10-20T10:00:00.000Z',
        participants: 2,
        decision: 'prolong',
      },
    ]);
    expect(report.period).toEqual({
      start: '2026-10-01T00:00:00.000Z',
      end: '2026-11-01T00:00:00.000Z',
      month: '2026-10',
    });
  });

  it('writes CSV lines per target, quoting and defusing text', () => {
    const lines = reportCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'entityRef,periodStart,periodEnd,agreementId,agreementKind,agreementTitle,targetId,targetName,aspect,objective,attainment,met,counted,budgetAllowed,budgetConsumed,budgetRemaining,breaches,breachMinutes,statusAtPeriodEnd,csat,csatResponses,nps,complaints',
    );
    // 21 d 14 h + 2 h = 31,200 minutes of breach
    expect(lines[1]).toBe(
      'component:default/checkout,2026-10-01T00:00:00.000Z,2026-11-01T00:00:00.000Z,a1,SLA,"Checkout, web shop",t1,Availability,availability,99.9,99.5,no,100000,100,500,-4,2,31200,breached,80,5,,1',
    );
    expect(lines[2]).toBe(
      'component:default/checkout,2026-10-01T00:00:00.000Z,2026-11-01T00:00:00.000Z,a1,SLA,"Checkout, web shop",t2,\'=Latency,performance,95,,,0,0,0,1,0,0,no-data,80,5,,1',
    );
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });
});

describe('improvementActiveDuring', () => {
  const base = {
    id: 'i',
    title: 'x',
    source: 'review',
    owner: 'o',
    createdAt: '2026-09-01T00:00:00Z',
    updatedAt: '2026-09-20T00:00:00Z',
  };
  it('keeps initiatives open during the period', () => {
    expect(
      improvementActiveDuring({ ...base, status: 'in-progress' }, october),
    ).toBe(true);
    expect(
      improvementActiveDuring(
        { ...base, status: 'done', completedAt: '2026-09-20T00:00:00Z' },
        october,
      ),
    ).toBe(false);
    expect(
      improvementActiveDuring(
        { ...base, status: 'done', completedAt: '2026-10-20T00:00:00Z' },
        october,
      ),
    ).toBe(true);
    expect(
      improvementActiveDuring({ ...base, status: 'cancelled' }, october),
    ).toBe(false);
    expect(
      improvementActiveDuring(
        { ...base, status: 'proposed', createdAt: '2026-11-02T00:00:00Z' },
        october,
      ),
    ).toBe(false);
  });
});
