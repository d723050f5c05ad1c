import { readFileSync } from 'fs';
import { join } from 'path';
import { importOpenSlo } from './importOpenSlo';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name), 'utf8');

function draftOf(name: string) {
  const result = importOpenSlo(fixture(name));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.draft;
}

function errorsOf(text: string) {
  const result = importOpenSlo(text);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('importOpenSlo: shapes that map', () => {
  it('ratio good/total inline, rolling window, target as a fraction, Prometheus source', () => {
    const draft = draftOf('ratio-good-total.yaml');
    expect(draft.targets).toEqual([
      {
        id: 'checkout-availability',
        name: 'Requests without 5xx',
        aspect: 'availability',
        metric: 'checkout-requests-ok',
        sli: { kind: 'ratio' },
        objective: 99.9,
        window: { type: 'rolling', duration: 'P28D' },
        source: {
          type: 'prometheus',
          good: 'sum(increase(http_requests_total{job="checkout",code!~"5.."}[1m]))',
          total: 'sum(increase(http_requests_total{job="checkout"}[1m]))',
        },
      },
    ]);
    expect(draft.title).toBe('checkout SLOs');
    expect(draft.kind).toBe('SLA');
    expect(draft.warnings).toEqual([]);
  });

  it('ratio bad/total with targetPercent and a calendar month; the Service names the agreement', () => {
    const draft = draftOf('ratio-bad-total-calendar.yaml');
    expect(draft.title).toBe('Payments API service levels');
    expect(draft.description).toBe('Card payments for the web shop');
    expect(draft.targets).toEqual([
      {
        id: 'payments-errors',
        name: 'Payment errors',
        aspect: 'availability',
        metric: 'payments-failed',
        sli: { kind: 'ratio' },
        objective: 99.5,
        window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
        source: {
          type: 'prometheus',
          good: '(sum(increase(payments_total[1m]))) - (sum(increase(payments_total{result="error"}[1m])))',
          total: 'sum(increase(payments_total[1m]))',
        },
      },
    ]);
  });

  it('threshold with time slices: slice length, unit, and a warning for a source the plugin cannot read', () => {
    const draft = draftOf('threshold-timeslices.yaml');
    expect(draft.targets).toEqual([
      {
        id: 'search-latency',
        name: 'p95 under 300 ms',
        aspect: 'performance',
        metric: 'search-p95-latency',
        sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
        objective: 95,
        window: { type: 'rolling', duration: 'P7D' },
        timeslice: 'PT5M',
      },
    ]);
    expect(draft.warnings).toEqual([
      expect.stringContaining(
        'SLO search-latency: its metric source (datadog) is not one the plugin reads',
      ),
    ]);
    expect(draft.warnings[0]).toContain(
      'push measurements of metric "search-p95-latency"',
    );
  });

  it('indicatorRef to an SLI document, a DataSource by metricSourceRef, a calendar quarter, alert documents', () => {
    const draft = draftOf('indicator-ref.yaml');
    expect(draft.targets).toEqual([
      {
        id: 'login-success-rate',
        name: 'Login success rate',
        aspect: 'functionality',
        metric: 'login-success',
        sli: { kind: 'ratio' },
        objective: 99,
        window: {
          type: 'calendar',
          unit: 'quarter',
          timeZone: 'America/New_York',
        },
        source: {
          type: 'prometheus',
          good: 'sum(increase(logins_total{result="ok"}[1m]))',
          total: 'sum(increase(logins_total[1m]))',
        },
      },
    ]);
    expect(draft.warnings).toEqual([
      expect.stringContaining('Alert policies are not imported'),
    ]);
  });

  it('several objectives become several targets; pushed measurements keep their metric', () => {
    const draft = draftOf('multiple-objectives.yaml');
    expect(
      draft.targets.map(t => [t.id, t.name, t.objective, t.metric]),
    ).toEqual([
      ['orders-accepted-1', 'Orders accepted (goal)', 99.5, 'orders_accepted'],
      ['orders-accepted-2', 'Orders accepted (floor)', 98, 'orders_accepted'],
    ]);
    expect(draft.targets[0].window).toEqual({
      type: 'calendar',
      unit: 'week',
      timeZone: 'UTC',
    });
    expect(draft.targets[0].source).toBeUndefined();
    expect(draft.warnings).toEqual([]);
  });

  it('a bare number of minutes as the slice window', () => {
    const text = fixture('threshold-timeslices.yaml').replace(
      'timeSliceWindow: 5m',
      'timeSliceWindow: 10',
    );
    const result = importOpenSlo(text);
    expect(result.ok && result.draft.targets[0].timeslice).toBe('PT10M');
  });
});

describe('importOpenSlo: what does not map is refused at its field', () => {
  it.each([
    [
      'ratio-raw.yaml',
      'documents[0].spec.indicator.spec.ratioMetric.raw',
      'is a precomputed ratio',
    ],
    [
      'ratio-timeslices.yaml',
      'documents[0].spec.budgetingMethod',
      'is RatioTimeslices: a ratio SLI is counted by Occurrences',
    ],
    [
      'threshold-occurrences.yaml',
      'documents[0].spec.budgetingMethod',
      'is Occurrences: a threshold SLI is judged per time slice',
    ],
    [
      'threshold-partial-slices.yaml',
      'documents[0].spec.objectives[0].timeSliceTarget',
      'is 0.95: must be 1',
    ],
    [
      'threshold-partial-slices.yaml',
      'documents[0].spec.objectives[0].op',
      'is gt: only lte and gte are supported',
    ],
    [
      'calendar-misaligned.yaml',
      'documents[0].spec.timeWindow[0].calendar.startTime',
      'must be local midnight at the start of a month',
    ],
    [
      'composite-v2alpha.yaml',
      'documents[0].apiVersion',
      'is openslo.com/v2alpha: only openslo/v1 is supported',
    ],
  ])('%s → %s', (name, field, message) => {
    const errors = errorsOf(fixture(name));
    expect(errors).toContainEqual({
      field,
      message: expect.stringContaining(message),
    });
  });

  it('names every breach of the specification with its path', () => {
    const fields = errorsOf(fixture('spec-errors.yaml')).map(e => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'documents[0].metadata.name',
        'documents[0].spec',
        'documents[0].spec.timeWindow[0].duration',
        'documents[0].spec.budgetingMethod',
        'documents[0].spec.objectives[0]',
      ]),
    );
  });

  it('an indicatorRef that names no SLI', () => {
    const text = fixture('indicator-ref.yaml').replace(
      'indicatorRef: login-success',
      'indicatorRef: logins',
    );
    expect(errorsOf(text)).toEqual([
      {
        field: 'documents[2].spec.indicatorRef',
        message: expect.stringContaining('names no SLI document ("logins")'),
      },
    ]);
  });

  it('a target out of range and a missing window', () => {
    const text = fixture('ratio-good-total.yaml').replace(
      'target: 0.999',
      'target: 1',
    );
    expect(errorsOf(text)).toEqual([
      {
        field: 'documents[0].spec.objectives[0].target',
        message: 'must be a number from 0 up to (not including) 1',
      },
    ]);
    const noWindow = fixture('ratio-good-total.yaml').replace(
      / {2}timeWindow:\n {4}- duration: 28d\n {6}isRolling: true\n/,
      '',
    );
    expect(errorsOf(noWindow)).toEqual([
      {
        field: 'documents[0].spec.timeWindow',
        message: expect.stringContaining('is required by the plugin'),
      },
    ]);
  });

  it('the agreement rules apply at the document field (an objective of 0)', () => {
    const text = fixture('ratio-good-total.yaml').replace(
      'target: 0.999',
      'target: 0',
    );
    expect(errorsOf(text)).toEqual([
      {
        field: 'documents[0].spec.objectives[0].target',
        message:
          '(target objective) must be a number greater than 0 and at most 100',
      },
    ]);
  });

  it('YAML syntax errors and empty input', () => {
    const syntax = errorsOf('kind: SLO\n  bad: [');
    expect(syntax[0]).toEqual({
      field: 'yaml',
      message: expect.stringContaining('is not valid YAML'),
    });
    expect(syntax[0].message).toContain('at line 1');
    expect(errorsOf('')).toEqual([
      { field: 'yaml', message: 'holds no OpenSLO documents' },
    ]);
    expect(
      errorsOf('apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: x\n'),
    ).toEqual([{ field: 'documents', message: 'hold no SLO document' }]);
  });

  it('two SLOs that give the same target id', () => {
    const one = fixture('ratio-good-total.yaml');
    const other = one.replace(
      'name: checkout-availability',
      'name: checkout-availability-2',
    );
    const text = `${one}---\n${other.replace(
      'checkout-availability-2',
      'checkout-availability',
    )}`;
    expect(errorsOf(text)).toContainEqual({
      field: 'documents[1].metadata.name',
      message: '"checkout-availability" is used by another SLO',
    });
  });
});
