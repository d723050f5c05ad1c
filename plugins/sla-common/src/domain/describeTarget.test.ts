import type { Target } from '../types';
import { describeTarget, formatPercent } from './describeTarget';
import { humanizeDuration, parsePositiveDuration } from './durations';

const base = { id: 't', name: 'T', metric: 'checkout_requests' };

describe('describeTarget', () => {
  it('says an availability ratio in plain words', () => {
    const target: Target = {
      ...base,
      aspect: 'availability',
      sli: { kind: 'ratio' },
      objective: 99.9,
      window: { type: 'rolling', duration: 'P28D' },
    };
    expect(describeTarget(target)).toBe(
      '99.9 % of requests succeed over a rolling 28 days',
    );
  });

  it('says a support duration with business hours', () => {
    const target: Target = {
      ...base,
      aspect: 'support',
      sli: { kind: 'duration', maxDuration: 'PT1H', priority: 'P1' },
      objective: 95,
      window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      calendar: {
        timeZone: 'Europe/Berlin',
        openingHours: { mon: [['09:00', '17:00']] },
      },
    };
    expect(describeTarget(target)).toBe(
      'P1 incidents resolved within 1 business hour, 95 % per month',
    );
  });

  it('says a latency threshold', () => {
    const target: Target = {
      ...base,
      metric: 'p95 latency',
      aspect: 'performance',
      sli: { kind: 'threshold', operator: 'lte', threshold: 300, unit: 'ms' },
      objective: 99,
      window: { type: 'rolling', duration: 'P7D' },
    };
    expect(describeTarget(target)).toBe(
      'p95 latency ≤ 300 ms in 99 % of 1 minute intervals over a rolling 7 days',
    );
  });

  it('says a non-availability ratio and a request duration', () => {
    expect(
      describeTarget({
        ...base,
        aspect: 'accuracy',
        sli: { kind: 'ratio' },
        objective: 99.5,
        window: { type: 'calendar', unit: 'quarter', timeZone: 'UTC' },
      }),
    ).toBe('99.5 % of checkout_requests events are good per quarter');
    expect(
      describeTarget({
        ...base,
        aspect: 'timeliness',
        sli: { kind: 'duration', maxDuration: 'PT4H30M' },
        objective: 90,
        window: { type: 'rolling', duration: 'P30D' },
      }),
    ).toBe(
      'Requests completed within 4 hours 30 minutes, 90 % over a rolling 30 days',
    );
  });

  it('says an XLA measured from feedback', () => {
    const xla = {
      ...base,
      aspect: 'experience' as const,
      sli: { kind: 'ratio' as const },
      objective: 80,
      window: { type: 'rolling' as const, duration: 'P30D' },
    };
    expect(describeTarget({ ...xla, metric: 'csat' })).toBe(
      '80 % of satisfaction answers score 4 or 5 over a rolling 30 days',
    );
    expect(describeTarget({ ...xla, metric: 'promoters' })).toBe(
      '80 % of recommendation answers score 9 or 10 over a rolling 30 days',
    );
    expect(describeTarget({ ...xla, metric: 'apdex' })).toBe(
      '80 % of apdex events are good over a rolling 30 days',
    );
  });
});

describe('durations', () => {
  it('formats percentages without float noise', () => {
    expect(formatPercent(99.9)).toBe('99.9');
    expect(formatPercent(99.90000000001)).toBe('99.9');
    expect(formatPercent(100)).toBe('100');
  });

  it('humanizes ISO durations', () => {
    expect(humanizeDuration('PT1H')).toBe('1 hour');
    expect(humanizeDuration('P1DT2H')).toBe('1 day 2 hours');
    expect(humanizeDuration('PT8H', 'business')).toBe('8 business hours');
    expect(humanizeDuration('nonsense')).toBe('nonsense');
  });

  it('accepts only positive ISO durations', () => {
    expect(parsePositiveDuration('P28D')?.as('days')).toBe(28);
    expect(parsePositiveDuration('PT0S')).toBeUndefined();
    expect(parsePositiveDuration('P')).toBeUndefined();
    expect(parsePositiveDuration('1h')).toBeUndefined();
    expect(parsePositiveDuration(5)).toBeUndefined();
  });
});
