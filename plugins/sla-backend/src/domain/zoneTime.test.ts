import {
  DAY_MS,
  localDateDay,
  localTimeMs,
  weekdayOfDay,
  zoneTime,
} from './zoneTime';

const t = Date.parse;
const H = 3_600_000;
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('zoneTime', () => {
  const berlin = zoneTime('Europe/Berlin');

  it('gives the local day and weekday of an instant', () => {
    // 2024-03-31T22:30Z is Monday 2024-04-01 00:30 CEST (UTC+2) in Berlin.
    const day = berlin.dayOf(t('2024-03-31T22:30:00Z'));
    expect(day).toBe(Date.UTC(2024, 3, 1) / DAY_MS);
    expect(weekdayOfDay(day)).toBe(0);
    // 1970-01-01 was a Thursday (3); the day before a Wednesday, even below 0.
    expect(weekdayOfDay(0)).toBe(3);
    expect(weekdayOfDay(-1)).toBe(2);
  });

  it('knows the offset in force', () => {
    expect(berlin.offset(t('2024-01-15T12:00:00Z'))).toBe(1 * H);
    expect(berlin.offset(t('2024-07-15T12:00:00Z'))).toBe(2 * H);
  });

  it('maps an ordinary local span to one UTC span', () => {
    // 09:00–17:00 CET (UTC+1) = 08:00–16:00Z.
    expect(
      berlin.wallRange(wall('2024-01-15T09:00'), wall('2024-01-15T17:00')),
    ).toEqual([
      { start: t('2024-01-15T08:00:00Z'), end: t('2024-01-15T16:00:00Z') },
    ]);
  });

  describe('on the spring-forward night (2024-03-31, 02:00 CET → 03:00 CEST at 01:00Z)', () => {
    it('drops the skipped hour', () => {
      // Wall clock 02:00–03:00 never shows; 03:00–04:00 CEST = 01:00–02:00Z.
      expect(
        berlin.wallRange(wall('2024-03-31T02:00'), wall('2024-03-31T04:00')),
      ).toEqual([
        { start: t('2024-03-31T01:00:00Z'), end: t('2024-03-31T02:00:00Z') },
      ]);
    });

    it('ends a span ending inside the gap at the jump', () => {
      // 01:00–01:59 CET = 00:00–01:00Z; 02:00–02:30 does not exist.
      expect(
        berlin.wallRange(wall('2024-03-31T01:00'), wall('2024-03-31T02:30')),
      ).toEqual([
        { start: t('2024-03-31T00:00:00Z'), end: t('2024-03-31T01:00:00Z') },
      ]);
    });

    it('gives nothing for a span entirely inside the gap', () => {
      expect(
        berlin.wallRange(wall('2024-03-31T02:10'), wall('2024-03-31T02:50')),
      ).toEqual([]);
    });

    it('makes the whole day 23 hours', () => {
      // 00:00 CET = 23:00Z on the 30th; 24:00 = 00:00 CEST on April 1 = 22:00Z.
      expect(
        berlin.wallRange(wall('2024-03-31T00:00'), wall('2024-04-01T00:00')),
      ).toEqual([
        { start: t('2024-03-30T23:00:00Z'), end: t('2024-03-31T22:00:00Z') },
      ]);
    });
  });

  describe('on the fall-back night (2024-10-27, 03:00 CEST → 02:00 CET at 01:00Z)', () => {
    it('covers the repeated hour twice', () => {
      // 02:00 CEST = 00:00Z; the second 03:00… 04:00 CET = 03:00Z: 3 h.
      expect(
        berlin.wallRange(wall('2024-10-27T02:00'), wall('2024-10-27T04:00')),
      ).toEqual([
        { start: t('2024-10-27T00:00:00Z'), end: t('2024-10-27T03:00:00Z') },
      ]);
    });

    it('splits a span ending inside the repeated hour', () => {
      // 00:00–02:30 CEST = 22:00Z–00:30Z, then 02:00–02:30 CET again = 01:00–01:30Z.
      expect(
        berlin.wallRange(wall('2024-10-27T00:00'), wall('2024-10-27T02:30')),
      ).toEqual([
        { start: t('2024-10-26T22:00:00Z'), end: t('2024-10-27T00:30:00Z') },
        { start: t('2024-10-27T01:00:00Z'), end: t('2024-10-27T01:30:00Z') },
      ]);
    });
  });

  it('handles a zone behind UTC', () => {
    // New York 2024-03-10: 00:00 EST (UTC−5) = 05:00Z; 24:00 = 00:00 EDT (UTC−4) = 04:00Z: 23 h.
    const ny = zoneTime('America/New_York');
    const [day] = ny.wallRange(
      wall('2024-03-10T00:00'),
      wall('2024-03-11T00:00'),
    );
    expect(day).toEqual({
      start: t('2024-03-10T05:00:00Z'),
      end: t('2024-03-11T04:00:00Z'),
    });
    expect(day.end - day.start).toBe(23 * H);
  });

  it('rejects an unknown zone', () => {
    expect(() => zoneTime('Mars/Olympus_Mons')).toThrow(/Unknown time zone/);
  });
});

describe('localTimeMs', () => {
  it('reads HH:mm, including 24:00', () => {
    expect(localTimeMs('09:30')).toBe(9.5 * H);
    expect(localTimeMs('24:00')).toBe(24 * H);
    expect(localTimeMs('24:01')).toBeNaN();
    expect(localTimeMs('9:30')).toBeNaN();
  });
});

describe('localDateDay', () => {
  it('reads YYYY-MM-DD as a local day number', () => {
    expect(localDateDay('1970-01-02')).toBe(1);
    expect(localDateDay('2024-04-01')).toBe(Date.UTC(2024, 3, 1) / DAY_MS);
    expect(localDateDay('April 1st')).toBeNaN();
  });
});
