import { resolveWindow } from './resolveWindow';

const t = Date.parse;

describe('resolveWindow', () => {
  describe('rolling', () => {
    it('ends at `at` and reaches back the duration', () => {
      // 2024-03-15 minus 28 days: 15 days back to Feb 29 (leap year), 13 more to Feb 16.
      const at = t('2024-03-15T12:00:00Z');
      expect(resolveWindow({ type: 'rolling', duration: 'P28D' }, at)).toEqual({
        start: t('2024-02-16T12:00:00Z'),
        end: at,
      });
      expect(
        resolveWindow({ type: 'rolling', duration: 'PT1H' }, at).start,
      ).toBe(at - 3_600_000);
    });

    it('counts months on the calendar, clamping to the month end', () => {
      // March 31 minus one month: there is no Feb 31, so Feb 29.
      expect(
        resolveWindow(
          { type: 'rolling', duration: 'P1M' },
          t('2024-03-31T10:00:00Z'),
        ).start,
      ).toBe(t('2024-02-29T10:00:00Z'));
      // In UTC a month is unaffected by DST: April 15 → March 15, 31 × 24 h.
      const at = t('2024-04-15T00:00:00Z');
      const window = resolveWindow({ type: 'rolling', duration: 'P1M' }, at);
      expect(at - window.start).toBe(31 * 86_400_000);
    });

    it('rejects an invalid duration', () => {
      expect(() =>
        resolveWindow({ type: 'rolling', duration: '28 days' }, 0),
      ).toThrow(/Invalid rolling window duration/);
    });
  });

  describe('calendar', () => {
    const berlinWeek = {
      type: 'calendar',
      unit: 'week',
      timeZone: 'Europe/Berlin',
    } as const;

    it('starts an ISO week on Monday 00:00 local time', () => {
      // Wed 2024-03-06 → Mon 2024-03-04 00:00 CET (UTC+1) = 2024-03-03T23:00Z.
      const at = t('2024-03-06T12:00:00Z');
      expect(resolveWindow(berlinWeek, at)).toEqual({
        start: t('2024-03-03T23:00:00Z'),
        end: at,
      });
    });

    it('turns the week at local, not UTC, midnight', () => {
      // 2024-03-10T22:30Z = Sunday 23:30 CET: still the week of Mon March 4.
      expect(resolveWindow(berlinWeek, t('2024-03-10T22:30:00Z')).start).toBe(
        t('2024-03-03T23:00:00Z'),
      );
      // 2024-03-10T23:30Z = Monday 00:30 CET: a new week, from 2024-03-10T23:00Z.
      expect(resolveWindow(berlinWeek, t('2024-03-10T23:30:00Z')).start).toBe(
        t('2024-03-10T23:00:00Z'),
      );
      // Tokyo (UTC+9): 2024-03-03T16:00Z is already Monday 01:00 JST.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'week', timeZone: 'Asia/Tokyo' },
          t('2024-03-03T16:00:00Z'),
        ).start,
      ).toBe(t('2024-03-03T15:00:00Z'));
    });

    it('keeps Monday midnight local across a DST change', () => {
      // Sunday 2024-03-31 (the change): the week began Mon March 25 00:00 CET = 24th 23:00Z.
      expect(resolveWindow(berlinWeek, t('2024-03-31T12:00:00Z')).start).toBe(
        t('2024-03-24T23:00:00Z'),
      );
      // Monday April 1: 00:00 CEST (UTC+2) = 2024-03-31T22:00Z.
      expect(resolveWindow(berlinWeek, t('2024-04-01T12:00:00Z')).start).toBe(
        t('2024-03-31T22:00:00Z'),
      );
    });

    it('starts a month in a zone ahead of UTC', () => {
      // Sydney (AEDT, UTC+11): 2024-01-31T14:00Z is Feb 1 01:00 → Feb 1 00:00 = Jan 31 13:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'month', timeZone: 'Australia/Sydney' },
          t('2024-01-31T14:00:00Z'),
        ).start,
      ).toBe(t('2024-01-31T13:00:00Z'));
    });

    it('starts a month in a zone behind UTC', () => {
      // Los Angeles (PST, UTC−8): 2024-03-01T05:00Z is still Feb 29 21:00 → Feb 1 00:00 = 08:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'month', timeZone: 'America/Los_Angeles' },
          t('2024-03-01T05:00:00Z'),
        ).start,
      ).toBe(t('2024-02-01T08:00:00Z'));
    });

    it('starts quarters locally', () => {
      // Berlin, May 20 → Q2 from April 1 00:00 CEST (UTC+2) = March 31 22:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'quarter', timeZone: 'Europe/Berlin' },
          t('2024-05-20T10:00:00Z'),
        ).start,
      ).toBe(t('2024-03-31T22:00:00Z'));
      // New York: 2024-04-01T02:00Z is March 31 22:00 EDT, still Q1 → Jan 1 00:00 EST = 05:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'quarter', timeZone: 'America/New_York' },
          t('2024-04-01T02:00:00Z'),
        ).start,
      ).toBe(t('2024-01-01T05:00:00Z'));
    });

    it('starts years locally, ahead of and behind UTC', () => {
      // Tokyo: 2023-12-31T16:00Z is 2024-01-01 01:00 JST → 2024 began 2023-12-31T15:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'year', timeZone: 'Asia/Tokyo' },
          t('2023-12-31T16:00:00Z'),
        ).start,
      ).toBe(t('2023-12-31T15:00:00Z'));
      // Los Angeles: 2024-01-01T07:00Z is 2023-12-31 23:00 PST → 2023 began 2023-01-01T08:00Z.
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'year', timeZone: 'America/Los_Angeles' },
          t('2024-01-01T07:00:00Z'),
        ).start,
      ).toBe(t('2023-01-01T08:00:00Z'));
    });

    it('is empty at the very instant a period starts', () => {
      // June 1 00:00 CEST = May 31 22:00Z: the new month holds nothing yet.
      const at = t('2024-05-31T22:00:00Z');
      expect(
        resolveWindow(
          { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
          at,
        ),
      ).toEqual({ start: at, end: at });
    });

    it('answers the same whatever was asked before (periods are remembered)', () => {
      const month = {
        type: 'calendar',
        unit: 'month',
        timeZone: 'Europe/Berlin',
      } as const;
      // back and forth across the month edges around the March DST change
      const asked = [
        ['2024-03-15T12:00:00Z', '2024-02-29T23:00:00Z'],
        ['2024-03-31T21:59:59Z', '2024-02-29T23:00:00Z'],
        ['2024-03-31T22:00:00Z', '2024-03-31T22:00:00Z'],
        ['2024-03-31T21:59:59Z', '2024-02-29T23:00:00Z'],
        ['2024-02-29T22:59:59Z', '2024-01-31T23:00:00Z'],
        ['2024-04-10T00:00:00Z', '2024-03-31T22:00:00Z'],
      ];
      for (const [at, start] of asked) {
        expect(resolveWindow(month, t(at)).start).toBe(t(start));
      }
      expect(
        resolveWindow({ type: 'rolling', duration: 'P28D' }, t(asked[0][0]))
          .start,
      ).toBe(t('2024-02-16T12:00:00Z'));
      // a month is a calendar month, not a fixed length
      expect(
        resolveWindow({ type: 'rolling', duration: 'P1M' }, t(asked[0][0]))
          .start,
      ).toBe(t('2024-02-15T12:00:00Z'));
    });

    it('rejects an unknown zone', () => {
      expect(() =>
        resolveWindow(
          { type: 'calendar', unit: 'month', timeZone: 'Nowhere/Land' },
          0,
        ),
      ).toThrow(/Unknown time zone/);
    });
  });
});
