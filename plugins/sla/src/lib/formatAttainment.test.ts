import type { Target } from '@opensla/backstage-plugin-sla-common';
import { makeAgreement } from '../__testUtils__/agreementFixtures';
import { makeAttainment } from '../__testUtils__/attainmentFixtures';
import {
  describeBudget,
  describeCounted,
  describeSlice,
  formatAttainmentPercent,
  formatBurnRate,
  formatCount,
  formatElapsed,
  worstStatus,
} from './formatAttainment';

const [availability, latency, resolution] = makeAgreement().targets;

describe('worstStatus', () => {
  it('orders breached > at-risk > met > no-data', () => {
    expect(worstStatus(['met', 'breached', 'at-risk'])).toBe('breached');
    expect(worstStatus(['met', 'no-data', 'at-risk'])).toBe('at-risk');
    expect(worstStatus(['no-data', 'met'])).toBe('met');
    expect(worstStatus(['no-data'])).toBe('no-data');
    expect(worstStatus([])).toBeUndefined();
  });
});

describe('number formatting', () => {
  it('rounds attainment down, one decimal finer than the objective', () => {
    expect(formatAttainmentPercent(99.8734, 99.9)).toBe('99.87 %');
    expect(formatAttainmentPercent(99.8999, 99.9)).toBe('99.89 %');
    expect(formatAttainmentPercent(99.98765, 99.99)).toBe('99.987 %');
    expect(formatAttainmentPercent(100, 99.9)).toBe('100 %');
    expect(formatAttainmentPercent(97.5, 95)).toBe('97.5 %');
  });

  it('counts in full below a million, compact above', () => {
    expect(formatCount(40312)).toBe('40,312');
    expect(formatCount(1_234_567)).toBe('1.2 M');
    expect(formatCount(17)).toBe('17');
  });

  it('shows burn rates as multiples', () => {
    expect(formatBurnRate(14.4)).toBe('14.4×');
    expect(formatBurnRate(0.354)).toBe('0.35×');
    expect(formatBurnRate(250.4)).toBe('250×');
    expect(formatBurnRate(null)).toBe('–');
  });

  it('shows elapsed time in the two largest units', () => {
    expect(formatElapsed(2 * 3600_000 + 15 * 60_000)).toBe('2 h 15 min');
    expect(formatElapsed(3 * 86_400_000 + 4 * 3600_000 + 60_000)).toBe(
      '3 d 4 h',
    );
    expect(formatElapsed(45 * 60_000)).toBe('45 min');
    expect(formatElapsed(10_000)).toBe('less than a minute');
  });
});

describe('describeCounted', () => {
  it('words the count per SLI kind', () => {
    expect(describeCounted(availability, 1_234_567)).toBe(
      'from 1.2 M requests',
    );
    expect(describeCounted(latency, 40312)).toBe(
      'from 40,312 one-minute slices',
    );
    expect(describeCounted({ ...latency, timeslice: 'PT5M' }, 1)).toBe(
      'from 1 5-minute slice',
    );
    expect(describeCounted(resolution, 17)).toBe('from 17 incidents');
    const events: Target = { ...availability, aspect: 'accuracy' };
    expect(describeCounted(events, 12)).toBe('from 12 events');
    const xla: Target = { ...availability, aspect: 'experience' };
    expect(describeCounted(xla, 8)).toBe('from 8 answers');
    expect(describeCounted(undefined, 3)).toBe('from 3 measurements');
  });

  it('names slices by their length', () => {
    expect(describeSlice('PT1M')).toBe('one-minute');
    expect(describeSlice('PT30S')).toBe('30-second');
    expect(describeSlice('PT1H')).toBe('one-hour');
  });
});

describe('describeBudget', () => {
  const budget = (
    errorBudget: {
      allowed: number;
      consumed: number;
      remaining: number | null;
    },
    objective = 99.9,
  ) => describeBudget(makeAttainment({ errorBudget, objective }), availability);

  it('reads the budget left', () => {
    expect(budget({ allowed: 1000, consumed: 380, remaining: 0.62 })).toEqual({
      value: 62,
      tone: 'ok',
      label: '62 % of budget left',
      detail: '380 of 1,000 allowed failed requests',
    });
    expect(
      budget({ allowed: 1000, consumed: 994, remaining: 0.006 }),
    ).toMatchObject({ tone: 'low', label: '0.6 % of budget left' });
  });

  it('reads a spent and an overspent budget', () => {
    expect(
      budget({ allowed: 1000, consumed: 1000, remaining: 0 }),
    ).toMatchObject({ value: 0, tone: 'spent', label: 'budget used up' });
    expect(
      budget({ allowed: 1000, consumed: 2300, remaining: -1.3 }),
    ).toMatchObject({ value: 100, tone: 'spent', label: 'overspent 2.3×' });
  });

  it('reads a target without budget (objective 100 %)', () => {
    expect(
      budget({ allowed: 0, consumed: 0, remaining: 1 }, 100),
    ).toMatchObject({ tone: 'none', label: 'no budget (objective 100 %)' });
    expect(
      budget({ allowed: 0, consumed: 2, remaining: null }, 100),
    ).toMatchObject({
      tone: 'spent',
      label: 'no budget (objective 100 %), overspent',
      detail: '2 failed requests, none allowed',
    });
  });
});
