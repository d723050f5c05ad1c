import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { businessDeadline } from './businessDeadline';
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

describe('businessDeadline', () => {
  it('is from + duration without calendar or pauses', () => {
    expect(businessDeadline(undefined, t('2024-05-02T10:00:00Z'), 4 * H)).toBe(
      t('2024-05-02T14:00:00Z'),
    );
  });

  it('stops the clock during maintenance', () => {
    // 10:00–10:30 runs (30 min), 10:30–11:00 paused, 30 min more → 11:30.
    expect(
      businessDeadline(undefined, t('2024-05-02T10:00:00Z'), 1 * H, [
        { start: t('2024-05-02T10:30:00Z'), end: t('2024-05-02T11:00:00Z') },
      ]),
    ).toBe(t('2024-05-02T11:30:00Z'));
    // Paused from the start: 10:00–10:15, then 1 h → 11:15.
    expect(
      businessDeadline(undefined, t('2024-05-02T10:00:00Z'), 1 * H, [
        { start: t('2024-05-02T09:00:00Z'), end: t('2024-05-02T10:15:00Z') },
      ]),
    ).toBe(t('2024-05-02T11:15:00Z'));
  });

  it('carries over closed hours and the weekend', () => {
    // Fri Jan 12 16:00 CET: 1 h on Friday, 3 h on Monday from 09:00 → 12:00 CET = 11:00Z.
    expect(businessDeadline(weekdays, t('2024-01-12T15:00:00Z'), 4 * H)).toBe(
      t('2024-01-15T11:00:00Z'),
    );
  });

  it('starts counting at the next opening', () => {
    // Saturday morning, 1 h → Monday Jan 15 10:00 CET = 09:00Z.
    expect(businessDeadline(weekdays, t('2024-01-13T10:00:00Z'), 1 * H)).toBe(
      t('2024-01-15T09:00:00Z'),
    );
    // Nothing to use up: failing starts with the first counting instant, Monday 09:00 CET.
    expect(businessDeadline(weekdays, t('2024-01-13T10:00:00Z'), 0)).toBe(
      t('2024-01-15T08:00:00Z'),
    );
  });

  it('is the next opening when the time runs out at closing', () => {
    // Mon Jan 8 09:00 CET + 8 h reaches 8 h at 17:00, but it is only exceeded
    // once the clock runs again: Tue 09:00 CET = 08:00Z.
    const from = t('2024-01-08T08:00:00Z');
    const deadline = businessDeadline(weekdays, from, 8 * H);
    expect(deadline).toBe(t('2024-01-09T08:00:00Z'));
    expect(businessElapsed(weekdays, from, deadline)).toBe(8 * H);
    expect(businessElapsed(weekdays, from, deadline + 1)).toBeGreaterThan(
      8 * H,
    );
  });

  it('skips holidays', () => {
    // As above from Friday, with Monday Jan 15 off: Tuesday 12:00 CET = 11:00Z.
    expect(
      businessDeadline(
        { ...weekdays, holidays: ['2024-01-15'] },
        t('2024-01-12T15:00:00Z'),
        4 * H,
      ),
    ).toBe(t('2024-01-16T11:00:00Z'));
  });

  it('subtracts maintenance within opening hours', () => {
    // Mon 09:00 CET (08:00Z), 2 h: runs 08:00–08:30Z, paused to 09:30Z, 1.5 h more → 11:00Z.
    expect(
      businessDeadline(weekdays, t('2024-01-08T08:00:00Z'), 2 * H, [
        { start: t('2024-01-08T08:30:00Z'), end: t('2024-01-08T09:30:00Z') },
      ]),
    ).toBe(t('2024-01-08T11:00:00Z'));
  });

  it('moves the opening with the wall clock over the DST weekend', () => {
    const everyDay: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      openingHours: {
        ...weekdays.openingHours,
        sat: nineToFive,
        sun: nineToFive,
      },
    };
    // Sat March 30 16:00 CET (15:00Z): 1 h Saturday, then Sunday opens 09:00 CEST
    // (07:00Z) for the second hour → 08:00Z.
    expect(businessDeadline(everyDay, t('2024-03-30T15:00:00Z'), 2 * H)).toBe(
      t('2024-03-31T08:00:00Z'),
    );
  });

  it('never comes with a calendar that never opens', () => {
    expect(
      businessDeadline(
        { timeZone: 'Europe/Berlin', openingHours: {} },
        t('2024-01-08T08:00:00Z'),
        H,
      ),
    ).toBe(Infinity);
  });

  it('rejects a negative or NaN duration and an invalid start', () => {
    expect(() => businessDeadline(weekdays, NaN, H)).toThrow(/Invalid instant/);
    expect(() => businessDeadline(undefined, 0, -1)).toThrow(
      /Invalid duration/,
    );
    expect(() => businessDeadline(weekdays, 0, NaN)).toThrow(
      /Invalid duration/,
    );
  });
});
