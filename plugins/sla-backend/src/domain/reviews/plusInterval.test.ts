import { DateTime, Duration } from 'luxon';
import { plusInterval } from './plusInterval';

const luxon = (instant: string, interval: string) =>
  DateTime.fromISO(instant, { zone: 'utc' })
    .plus(Duration.fromISO(interval))
    .toISO();

describe('plusInterval', () => {
  it('clamps to the end of shorter months, as luxon does', () => {
    expect(plusInterval('2026-01-31T10:00:00Z', 'P1M')).toBe(
      '2026-02-28T10:00:00.000Z',
    );
    expect(plusInterval('2028-01-31T00:00:00Z', 'P1M')).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(plusInterval('2028-02-29T00:00:00Z', 'P1Y')).toBe(
      '2029-02-28T00:00:00.000Z',
    );
    expect(plusInterval('2026-11-30T23:59:59.999Z', 'P3M')).toBe(
      '2027-02-28T23:59:59.999Z',
    );
  });

  it('gives luxon’s answer for every month end, offset and interval', () => {
    const instants = [
      '2026-01-31T00:00:00Z',
      '2026-03-31T12:34:56.789Z',
      '2026-05-31T23:00:00+02:00',
      '2027-12-31T22:00:00-05:00',
      '2028-02-29T08:00:00.000Z',
      '2026-08-15T00:00:00+0530',
    ];
    const intervals = [
      'P1M',
      'P2M',
      'P3M',
      'P13M',
      'P1Y',
      'P4W',
      'P30D',
      'P1Y2M3W4D',
      'P92D',
    ];
    for (const instant of instants) {
      for (const interval of intervals) {
        expect([instant, interval, plusInterval(instant, interval)]).toEqual([
          instant,
          interval,
          luxon(instant, interval),
        ]);
      }
    }
  });

  it('leaves time parts and local instants to luxon', () => {
    expect(plusInterval('2026-01-31T00:00:00Z', 'P1MT12H')).toBe(
      luxon('2026-01-31T00:00:00Z', 'P1MT12H'),
    );
    expect(plusInterval('2026-01-31T00:00:00', 'P1M')).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });
});
