import { MaintenanceWindow } from '@opensla/backstage-plugin-sla-common';
import { expandMaintenanceWindows } from './expandMaintenanceWindows';

const t = Date.parse;
const H = 3_600_000;

describe('expandMaintenanceWindows', () => {
  const sundayNights: MaintenanceWindow = {
    weekly: { day: 'sun', from: '02:00', to: '04:00' },
    timeZone: 'Europe/Berlin',
  };

  it('repeats a weekly window in local summer time', () => {
    // Sundays July 7 and 14; 02:00–04:00 CEST (UTC+2) = 00:00–02:00Z.
    expect(
      expandMaintenanceWindows(
        [sundayNights],
        t('2024-07-01T00:00:00Z'),
        t('2024-07-15T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-07-07T00:00:00Z'), end: t('2024-07-07T02:00:00Z') },
      { start: t('2024-07-14T00:00:00Z'), end: t('2024-07-14T02:00:00Z') },
    ]);
  });

  it('moves the weekly window in UTC in winter', () => {
    // Sundays January 7 and 14; 02:00–04:00 CET (UTC+1) = 01:00–03:00Z.
    expect(
      expandMaintenanceWindows(
        [sundayNights],
        t('2024-01-01T00:00:00Z'),
        t('2024-01-15T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-01-07T01:00:00Z'), end: t('2024-01-07T03:00:00Z') },
      { start: t('2024-01-14T01:00:00Z'), end: t('2024-01-14T03:00:00Z') },
    ]);
  });

  it('loses the skipped hour on the spring-forward night', () => {
    // 2024-03-31: clocks jump 02:00 CET → 03:00 CEST at 01:00Z, so only
    // 03:00–04:00 CEST = 01:00–02:00Z shows on the wall clock: 1 hour.
    expect(
      expandMaintenanceWindows(
        [sundayNights],
        t('2024-03-30T00:00:00Z'),
        t('2024-04-01T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-03-31T01:00:00Z'), end: t('2024-03-31T02:00:00Z') },
    ]);
  });

  it('keeps both passes of the repeated hour on the fall-back night', () => {
    // 2024-10-27: 02:00 CEST = 00:00Z; at 01:00Z clocks go back to 02:00 CET;
    // 04:00 CET = 03:00Z. The window lasts 3 hours.
    const [window] = expandMaintenanceWindows(
      [sundayNights],
      t('2024-10-26T00:00:00Z'),
      t('2024-10-28T00:00:00Z'),
    );
    expect(window).toEqual({
      start: t('2024-10-27T00:00:00Z'),
      end: t('2024-10-27T03:00:00Z'),
    });
    expect(window.end - window.start).toBe(3 * H);
  });

  it('follows a zone behind UTC across its DST change', () => {
    // New York 2024-03-10: 01:00 EST (UTC−5) = 06:00Z; 02:00 EST jumps to
    // 03:00 EDT at 07:00Z, which is where 01:00–03:00 ends: 1 hour.
    expect(
      expandMaintenanceWindows(
        [
          {
            weekly: { day: 'sun', from: '01:00', to: '03:00' },
            timeZone: 'America/New_York',
          },
        ],
        t('2024-03-09T00:00:00Z'),
        t('2024-03-11T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-03-10T06:00:00Z'), end: t('2024-03-10T07:00:00Z') },
    ]);
  });

  it('accepts 24:00 as the end of the day', () => {
    // Saturday January 6, 22:00–24:00 CET = 21:00–23:00Z.
    expect(
      expandMaintenanceWindows(
        [
          {
            weekly: { day: 'sat', from: '22:00', to: '24:00' },
            timeZone: 'Europe/Berlin',
          },
        ],
        t('2024-01-01T00:00:00Z'),
        t('2024-01-08T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-01-06T21:00:00Z'), end: t('2024-01-06T23:00:00Z') },
    ]);
  });

  it('uses the default zone for a weekly window without one', () => {
    const window: MaintenanceWindow = {
      weekly: { day: 'mon', from: '09:00', to: '10:00' },
    };
    const start = t('2024-01-08T00:00:00Z'); // a Monday
    const end = t('2024-01-09T00:00:00Z');
    // Default UTC.
    expect(expandMaintenanceWindows([window], start, end)).toEqual([
      { start: t('2024-01-08T09:00:00Z'), end: t('2024-01-08T10:00:00Z') },
    ]);
    // New York in January is UTC−5: 09:00 EST = 14:00Z.
    expect(
      expandMaintenanceWindows([window], start, end, 'America/New_York'),
    ).toEqual([
      { start: t('2024-01-08T14:00:00Z'), end: t('2024-01-08T15:00:00Z') },
    ]);
  });

  it('clips one-off windows to the range', () => {
    // 22:00+02:00 = 20:00Z to 03:00+02:00 = 01:00Z, clipped to 21:00Z–00:30Z.
    expect(
      expandMaintenanceWindows(
        [
          {
            start: '2024-05-01T22:00:00+02:00',
            end: '2024-05-02T03:00:00+02:00',
          },
        ],
        t('2024-05-01T21:00:00Z'),
        t('2024-05-02T00:30:00Z'),
      ),
    ).toEqual([
      { start: t('2024-05-01T21:00:00Z'), end: t('2024-05-02T00:30:00Z') },
    ]);
  });

  it('reads a one-off time without offset in the window zone, else UTC', () => {
    const range = [t('2024-05-01T00:00:00Z'), t('2024-05-02T00:00:00Z')];
    // 02:00 CEST = 00:00Z.
    expect(
      expandMaintenanceWindows(
        [
          {
            start: '2024-05-01T02:00',
            end: '2024-05-01T03:00',
            timeZone: 'Europe/Berlin',
          },
        ],
        range[0],
        range[1],
      ),
    ).toEqual([
      { start: t('2024-05-01T00:00:00Z'), end: t('2024-05-01T01:00:00Z') },
    ]);
    expect(
      expandMaintenanceWindows(
        [{ start: '2024-05-01T02:00', end: '2024-05-01T03:00' }],
        range[0],
        range[1],
      ),
    ).toEqual([
      { start: t('2024-05-01T02:00:00Z'), end: t('2024-05-01T03:00:00Z') },
    ]);
  });

  it('merges overlapping windows and sorts them', () => {
    // Wednesday May 1 2024: weekly 01:00–03:00Z ∪ one-off 02:30–04:00Z = 01:00–04:00Z;
    // an earlier one-off comes first.
    expect(
      expandMaintenanceWindows(
        [
          {
            weekly: { day: 'wed', from: '01:00', to: '03:00' },
            timeZone: 'UTC',
          },
          { start: '2024-05-01T02:30:00Z', end: '2024-05-01T04:00:00Z' },
          { start: '2024-04-30T10:00:00Z', end: '2024-04-30T11:00:00Z' },
        ],
        t('2024-04-30T00:00:00Z'),
        t('2024-05-02T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-04-30T10:00:00Z'), end: t('2024-04-30T11:00:00Z') },
      { start: t('2024-05-01T01:00:00Z'), end: t('2024-05-01T04:00:00Z') },
    ]);
  });

  it('clips a weekly window cut by the range start', () => {
    // Sunday July 7 window 00:00–02:00Z; the range starts at 01:00Z.
    expect(
      expandMaintenanceWindows(
        [sundayNights],
        t('2024-07-07T01:00:00Z'),
        t('2024-07-08T00:00:00Z'),
      ),
    ).toEqual([
      { start: t('2024-07-07T01:00:00Z'), end: t('2024-07-07T02:00:00Z') },
    ]);
  });

  it('skips malformed windows and empty ranges', () => {
    const start = t('2024-05-01T00:00:00Z');
    const end = t('2024-05-08T00:00:00Z');
    expect(
      expandMaintenanceWindows(
        [
          { start: 'soon', end: '2024-05-01T04:00:00Z' },
          { weekly: { day: 'wed', from: '04:00', to: '03:00' } },
        ],
        start,
        end,
      ),
    ).toEqual([]);
    expect(expandMaintenanceWindows([sundayNights], end, start)).toEqual([]);
  });
});
