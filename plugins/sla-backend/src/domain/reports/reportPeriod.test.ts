import { lastFullMonth, resolveReportPeriod } from './reportPeriod';

const t = (s: string) => Date.parse(s);
const at = t('2026-11-22T09:00:00Z');

describe('resolveReportPeriod', () => {
  it('defaults to the last full UTC month before at', () => {
    expect(resolveReportPeriod({}, at)).toEqual({
      period: {
        start: t('2026-10-01T00:00:00Z'),
        end: t('2026-11-01T00:00:00Z'),
        month: '2026-10',
      },
    });
    // on the first instant of a month, the month before is the last full one
    expect(lastFullMonth(t('2026-11-01T00:00:00Z')).month).toBe('2026-10');
    expect(lastFullMonth(t('2026-03-15T00:00:00Z'))).toEqual({
      start: t('2026-02-01T00:00:00Z'),
      end: t('2026-03-01T00:00:00Z'),
      month: '2026-02',
    });
  });

  it('takes an explicit month', () => {
    expect(resolveReportPeriod({ month: '2025-12' }, at)).toEqual({
      period: {
        start: t('2025-12-01T00:00:00Z'),
        end: t('2026-01-01T00:00:00Z'),
        month: '2025-12',
      },
    });
  });

  it('takes from and to with offsets', () => {
    expect(
      resolveReportPeriod(
        { from: '2026-10-01T00:00:00+02:00', to: '2026-10-08T00:00:00+02:00' },
        at,
      ),
    ).toEqual({
      period: {
        start: t('2026-09-30T22:00:00Z'),
        end: t('2026-10-07T22:00:00Z'),
      },
    });
  });

  it.each([
    [{ month: '2026-13' }, 'month must be a month as YYYY-MM'],
    [{ month: '2026-11' }, 'month must have ended by at'],
    [
      { month: '2026-10', from: '2026-10-01T00:00:00Z' },
      'month cannot be combined',
    ],
    [
      { from: '2026-10-01', to: '2026-10-02T00:00:00Z' },
      'from must be an ISO 8601 instant',
    ],
    [{ from: '2026-10-01T00:00:00Z' }, 'to must be an ISO 8601 instant'],
    [
      { from: '2026-10-02T00:00:00Z', to: '2026-10-01T00:00:00Z' },
      'to must be later than from',
    ],
    [
      { from: '2025-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      'to must be at most 367 days',
    ],
    [
      { from: '2026-11-01T00:00:00Z', to: '2026-11-30T00:00:00Z' },
      'to must have ended by at',
    ],
  ])('rejects %j naming the field', (query, message) => {
    const result = resolveReportPeriod(query, at);
    expect('errors' in result && result.errors.join('; ')).toContain(message);
  });
});
