import { DateTime } from 'luxon';
import { portfolioPeriodOptions } from './portfolioPeriods';

describe('portfolioPeriodOptions', () => {
  const now = DateTime.fromISO('2026-11-22T09:30:00', {
    zone: 'Europe/Berlin',
  });
  const options = portfolioPeriodOptions(now);

  it('offers the last 7, 30 and 90 days ending now', () => {
    expect(options.slice(0, 3)).toEqual([
      { id: 'P7D', label: 'Last 7 days', period: 'P7D' },
      { id: 'P30D', label: 'Last 30 days', period: 'P30D' },
      { id: 'P90D', label: 'Last 90 days', period: 'P90D' },
    ]);
  });

  it('offers the current month so far, ending now', () => {
    // 21 days and 9.5 hours since 1 Nov 00:00 Berlin
    expect(options[3]).toEqual({
      id: 'month:2026-11',
      label: 'November 2026 so far',
      period: `PT${21 * 86400 + 9.5 * 3600}S`,
      at: '2026-11-22T08:30:00.000Z',
    });
  });

  it('offers the 12 whole months before, each its exact length in the viewer’s zone', () => {
    const months = options.slice(4);
    expect(months).toHaveLength(12);
    // October has 31 days and ends an hour after daylight saving time ends
    expect(months[0]).toEqual({
      id: 'month:2026-10',
      label: 'October 2026',
      period: `PT${31 * 86400 + 3600}S`,
      at: '2026-10-31T23:00:00.000Z',
    });
    expect(months[1]).toMatchObject({
      label: 'September 2026',
      period: `PT${30 * 86400}S`,
      at: '2026-09-30T22:00:00.000Z',
    });
    expect(months[11].label).toBe('November 2025');
  });

  it('leaves out the current month at its very first instant', () => {
    const first = DateTime.fromISO('2026-11-01T00:00:00', { zone: 'utc' });
    const ids = portfolioPeriodOptions(first).map(o => o.id);
    expect(ids).not.toContain('month:2026-11');
    expect(ids[3]).toBe('month:2026-10');
  });
});
