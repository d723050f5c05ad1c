import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { businessElapsed } from './businessElapsed';

const t = Date.parse;
const H = 3_600_000;

const nineToFive: Array<[string, string]> = [['09:00', '17:00']];
const weekdays: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  openingHours: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: nineToFive,
  },
};
const everyDay: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  openingHours: {
    ...weekdays.openingHours,
    sat: nineToFive,
    sun: nineToFive,
  },
};

describe('businessElapsed', () => {
  describe('without a calendar', () => {
    it('is wall time minus the excluded time', () => {
      // 10:00–14:00 = 4 h; excluded 11:00–11:30 ∪ 11:15–12:00 = 11:00–12:00 (1 h)
      // and 20:00–21:00 lies outside: 3 h.
      expect(
        businessElapsed(
          undefined,
          t('2024-05-02T10:00:00Z'),
          t('2024-05-02T14:00:00Z'),
          [
            {
              start: t('2024-05-02T11:00:00Z'),
              end: t('2024-05-02T11:30:00Z'),
            },
            {
              start: t('2024-05-02T11:15:00Z'),
              end: t('2024-05-02T12:00:00Z'),
            },
            {
              start: t('2024-05-02T20:00:00Z'),
              end: t('2024-05-02T21:00:00Z'),
            },
          ],
        ),
      ).toBe(3 * H);
    });

    it('is 0 for an empty or reversed span', () => {
      const at = t('2024-05-02T10:00:00Z');
      expect(businessElapsed(undefined, at, at)).toBe(0);
      expect(businessElapsed(undefined, at, at - H)).toBe(0);
    });
  });

  describe('with a calendar', () => {
    it('counts opening hours only', () => {
      // Mon Jan 8 00:00 CET to Mon Jan 15 00:00 CET: 5 weekdays × 8 h = 40 h.
      expect(
        businessElapsed(
          weekdays,
          t('2024-01-07T23:00:00Z'),
          t('2024-01-14T23:00:00Z'),
        ),
      ).toBe(40 * H);
    });

    it('counts partial days', () => {
      // Mon 15:00 CET (14:00Z) to Tue 10:00 CET (09:00Z): Mon 15–17 (2 h) + Tue 9–10 (1 h).
      expect(
        businessElapsed(
          weekdays,
          t('2024-01-08T14:00:00Z'),
          t('2024-01-09T09:00:00Z'),
        ),
      ).toBe(3 * H);
    });

    it('counts several opening intervals a day', () => {
      const split: BusinessCalendar = {
        timeZone: 'Europe/Berlin',
        openingHours: {
          mon: [
            ['09:00', '12:00'],
            ['13:00', '17:00'],
          ],
        },
      };
      // Monday Jan 8: 3 h + 4 h.
      expect(
        businessElapsed(
          split,
          t('2024-01-08T00:00:00Z'),
          t('2024-01-09T00:00:00Z'),
        ),
      ).toBe(7 * H);
    });

    it('keeps a 09:00–17:00 day at 8 h across the spring DST change', () => {
      // Sat March 30 (CET, UTC+1): 08:00–16:00Z.
      expect(
        businessElapsed(
          everyDay,
          t('2024-03-30T00:00:00Z'),
          t('2024-03-31T00:00:00Z'),
        ),
      ).toBe(8 * H);
      expect(
        businessElapsed(
          everyDay,
          t('2024-03-30T07:00:00Z'),
          t('2024-03-30T08:00:00Z'),
        ),
      ).toBe(0);
      // Sun March 31 (CEST, UTC+2 from 01:00Z): 07:00–15:00Z.
      expect(
        businessElapsed(
          everyDay,
          t('2024-03-31T00:00:00Z'),
          t('2024-04-01T00:00:00Z'),
        ),
      ).toBe(8 * H);
      // 06:00Z is 08:00 CEST (closed); 07:00Z is 09:00 CEST (open).
      expect(
        businessElapsed(
          everyDay,
          t('2024-03-31T06:00:00Z'),
          t('2024-03-31T08:00:00Z'),
        ),
      ).toBe(1 * H);
    });

    it('keeps a 09:00–17:00 day at 8 h across the autumn DST change', () => {
      // Sat Oct 26 (CEST): 07:00–15:00Z; Sun Oct 27 (CET): 08:00–16:00Z. 16 h.
      expect(
        businessElapsed(
          everyDay,
          t('2024-10-26T00:00:00Z'),
          t('2024-10-28T00:00:00Z'),
        ),
      ).toBe(16 * H);
      // On Sunday 07:00Z is 08:00 CET: still closed.
      expect(
        businessElapsed(
          everyDay,
          t('2024-10-27T07:00:00Z'),
          t('2024-10-27T08:00:00Z'),
        ),
      ).toBe(0);
    });

    it('gives a round-the-clock calendar 23 h and 25 h DST days', () => {
      const allDay: BusinessCalendar = {
        timeZone: 'Europe/Berlin',
        openingHours: { sun: [['00:00', '24:00']] },
      };
      expect(
        businessElapsed(
          allDay,
          t('2024-03-30T00:00:00Z'),
          t('2024-04-01T00:00:00Z'),
        ),
      ).toBe(23 * H);
      expect(
        businessElapsed(
          allDay,
          t('2024-10-26T00:00:00Z'),
          t('2024-10-28T00:00:00Z'),
        ),
      ).toBe(25 * H);
    });

    it('follows DST in a zone behind UTC', () => {
      const newYork: BusinessCalendar = {
        ...weekdays,
        timeZone: 'America/New_York',
      };
      // Fri March 8, 09:00–17:00 EST (UTC−5) = 14:00–22:00Z; clocks change Sunday;
      // Mon March 11, 09:00–17:00 EDT (UTC−4) = 13:00–21:00Z. 8 h + 8 h.
      expect(
        businessElapsed(
          newYork,
          t('2024-03-08T00:00:00Z'),
          t('2024-03-12T00:00:00Z'),
        ),
      ).toBe(16 * H);
      expect(
        businessElapsed(
          newYork,
          t('2024-03-11T12:00:00Z'),
          t('2024-03-11T13:00:00Z'),
        ),
      ).toBe(0);
    });

    it('skips holidays, which are local dates', () => {
      // The week of Jan 8 with Wednesday Jan 10 off: 4 × 8 h.
      expect(
        businessElapsed(
          { ...weekdays, holidays: ['2024-01-10'] },
          t('2024-01-07T23:00:00Z'),
          t('2024-01-14T23:00:00Z'),
        ),
      ).toBe(32 * H);
      // Tokyo (UTC+9), open round the clock, Jan 10 off: it runs from
      // 2024-01-09T15:00Z to 2024-01-10T15:00Z; the hour before is Jan 9 23:00 JST.
      const tokyo: BusinessCalendar = {
        timeZone: 'Asia/Tokyo',
        openingHours: { wed: [['00:00', '24:00']], tue: [['00:00', '24:00']] },
        holidays: ['2024-01-10'],
      };
      expect(
        businessElapsed(
          tokyo,
          t('2024-01-09T14:00:00Z'),
          t('2024-01-10T16:00:00Z'),
        ),
      ).toBe(1 * H);
    });

    it('subtracts maintenance inside opening hours only', () => {
      // Week of Jan 8 (40 h) minus Tue 11:00–13:00 CET (2 h, open), minus
      // Saturday 11:00–13:00 (closed anyway), minus Mon 16:00–19:00 CET
      // (only 16:00–17:00 is open, 1 h): 37 h.
      expect(
        businessElapsed(
          weekdays,
          t('2024-01-07T23:00:00Z'),
          t('2024-01-14T23:00:00Z'),
          [
            {
              start: t('2024-01-09T10:00:00Z'),
              end: t('2024-01-09T12:00:00Z'),
            },
            {
              start: t('2024-01-13T10:00:00Z'),
              end: t('2024-01-13T12:00:00Z'),
            },
            {
              start: t('2024-01-08T15:00:00Z'),
              end: t('2024-01-08T18:00:00Z'),
            },
          ],
        ),
      ).toBe(37 * H);
    });

    it('counts a whole year day by day', () => {
      // 2024 in Berlin: 366 days from Monday Jan 1 → 52 weeks + Mon Dec 30 and
      // Tue Dec 31 → 52 × 5 + 2 = 262 weekdays × 8 h = 2096 h.
      expect(
        businessElapsed(
          weekdays,
          t('2023-12-31T23:00:00Z'),
          t('2024-12-31T23:00:00Z'),
        ),
      ).toBe(2096 * H);
    });
  });
});
