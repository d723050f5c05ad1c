import { describeReportPeriod, reportMonths } from './reportMonths';
import { percentTicks } from './ReportAttainmentChart';

describe('reportMonths', () => {
  it('lists the full UTC months before now, newest first', () => {
    const months = reportMonths(Date.parse('2026-11-22T09:00:00Z'), 3);
    expect(months).toEqual([
      { value: '2026-10', label: 'October 2026' },
      { value: '2026-09', label: 'September 2026' },
      { value: '2026-08', label: 'August 2026' },
    ]);
  });

  it('crosses the year', () => {
    expect(reportMonths(Date.parse('2027-01-01T00:00:00Z'), 1)).toEqual([
      { value: '2026-12', label: 'December 2026' },
    ]);
  });
});

describe('describeReportPeriod', () => {
  it('names a month, or the first and last day of a period', () => {
    expect(
      describeReportPeriod({
        start: '2026-10-01T00:00:00.000Z',
        end: '2026-11-01T00:00:00.000Z',
        month: '2026-10',
      }),
    ).toBe('October 2026');
    expect(
      describeReportPeriod({
        start: '2026-10-01T00:00:00.000Z',
        end: '2026-10-08T00:00:00.000Z',
      }),
    ).toBe('1 Oct 2026 – 7 Oct 2026');
  });
});

describe('percentTicks', () => {
  it('gives round ticks from below the lowest value to 100 %', () => {
    // 98.52 % lowest: range 1.48 x 1.25 = 1.85 -> step 0.5 from 98 %
    expect(percentTicks(98.52)).toEqual([98, 98.5, 99, 99.5, 100]);
    // 99.5 %: range 0.625 -> step 0.2 from 99.2 %
    expect(percentTicks(99.5)).toEqual([99.2, 99.4, 99.6, 99.8, 100]);
    expect(percentTicks(50)).toEqual([20, 40, 60, 80, 100]);
  });
});
