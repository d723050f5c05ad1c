import { describeKpiChange, formatKpiValue } from './portfolioKpis';

const percentUp = { unit: 'percent', direction: 'higher-is-better' } as const;
const countDown = { unit: 'count', direction: 'lower-is-better' } as const;
const neutral = { unit: 'count', direction: 'neutral' } as const;

describe('describeKpiChange', () => {
  it('judges a rise by the KPI: more targets met is better, more breaches worse', () => {
    expect(
      describeKpiChange({ value: 90, previous: 87.5, change: 2.5 }, percentUp),
    ).toEqual({ text: '+2.5 pp', trend: 'up', judgement: 'better' });
    expect(
      describeKpiChange({ value: 5, previous: 2, change: 3 }, countDown),
    ).toEqual({ text: '+3', trend: 'up', judgement: 'worse' });
  });

  it('judges a fall the other way round', () => {
    expect(
      describeKpiChange({ value: 80, previous: 90, change: -10 }, percentUp),
    ).toEqual({ text: '−10 pp', trend: 'down', judgement: 'worse' });
    expect(
      describeKpiChange({ value: 1, previous: 4, change: -3 }, countDown),
    ).toEqual({ text: '−3', trend: 'down', judgement: 'better' });
  });

  it('does not judge a neutral KPI, no change, or a missing comparison', () => {
    expect(
      describeKpiChange({ value: 12, previous: 10, change: 2 }, neutral),
    ).toEqual({ text: '+2', trend: 'up', judgement: 'neutral' });
    expect(
      describeKpiChange(
        { value: 80, previous: 80.01, change: -0.01 },
        percentUp,
      ),
    ).toEqual({ text: 'no change', trend: 'flat', judgement: 'neutral' });
    expect(
      describeKpiChange({ value: 80, previous: null, change: null }, percentUp),
    ).toEqual({ text: 'no comparison', trend: 'none', judgement: 'neutral' });
  });
});

describe('formatKpiValue', () => {
  it('formats percentages to one decimal, counts as counts, and no figure as a dash', () => {
    expect(formatKpiValue(87.456, 'percent')).toBe('87.5 %');
    expect(formatKpiValue(1234, 'count')).toBe('1,234');
    expect(formatKpiValue(null, 'percent')).toBe('–');
  });
});

describe('durations (the average time to agree)', () => {
  const durationDown = { unit: 'duration', direction: 'lower-is-better' } as const;
  it('shows minutes, hours or days, and a faster agreement as better', () => {
    expect(formatKpiValue(45 * 60_000, 'duration')).toBe('45 min');
    expect(formatKpiValue(5.5 * 3_600_000, 'duration')).toBe('5.5 h');
    expect(formatKpiValue(86_400_000, 'duration')).toBe('1 day');
    expect(formatKpiValue(2.25 * 86_400_000, 'duration')).toBe('2.3 days');
    expect(formatKpiValue(null, 'duration')).toBe('–');
    expect(
      describeKpiChange(
        { value: 3_600_000, previous: 7_200_000, change: -3_600_000 },
        durationDown,
      ),
    ).toEqual({ text: '−1 h', trend: 'down', judgement: 'better' });
  });
});
