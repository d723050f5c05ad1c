import { describeReportPeriod, reportMonths } from './reportMonths';

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
