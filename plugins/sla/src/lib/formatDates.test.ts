import {
  describeWindowSince,
  formatDate,
  formatDateTime,
  formatShortDateTime,
  formatValidity,
} from './formatDates';

describe('date formatting', () => {
  it('shows agreement dates as UTC calendar dates', () => {
    expect(formatDate('2026-12-31T23:59:59.999Z')).toBe('31 Dec 2026');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('describes validity', () => {
    expect(
      formatValidity('2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z'),
    ).toBe('1 Jan 2026 – 31 Dec 2026');
    expect(formatValidity('2026-01-01T00:00:00Z')).toBe('from 1 Jan 2026');
    expect(formatValidity(undefined, '2026-12-31T23:59:59Z')).toBe(
      'until 31 Dec 2026',
    );
    expect(formatValidity()).toBe('open-ended');
  });

  it('shows when something happened, to the minute', () => {
    expect(formatDateTime('2026-01-05T10:00:00.000Z')).toMatch(
      /^\d{1,2} Jan 2026, \d{2}:\d{2}$/,
    );
  });
});

describe('window formatting', () => {
  it('describes the window a figure covers, in the viewer’s zone', () => {
    const start = '2026-02-14T12:00:00.000Z';
    const since = formatShortDateTime(start);
    expect(since).toMatch(/^14 Feb( 2026,)? \d{2}:00$/);
    expect(
      describeWindowSince({ type: 'rolling', duration: 'P28D' }, start),
    ).toBe(`rolling 28 days, since ${since}`);
    expect(
      describeWindowSince(
        { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
        start,
      ),
    ).toBe(`calendar month (Europe/Berlin), since ${since}`);
    expect(describeWindowSince(undefined, start)).toBe(`since ${since}`);
  });
});
