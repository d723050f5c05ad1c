import { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import { businessClock } from './businessClock';

const t = Date.parse;
const H = 3_600_000;

const nineToFive: Array<[string, string]> = [['09:00', '17:00']];
const calendar: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  openingHours: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: [
      ['08:00', '12:00'],
      ['13:00', '15:30'],
    ],
  },
  holidays: ['2024-03-29', '2024-04-01', '2024-12-25'],
};
const maintenance = [
  { start: t('2024-03-27T09:00:00Z'), end: t('2024-03-27T11:00:00Z') },
  { start: t('2024-10-25T06:00:00Z'), end: t('2024-10-28T09:00:00Z') },
];

// A fixed linear congruential sequence in [0, 1): varied cases, same every run.
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('businessClock', () => {
  it('answers repeated questions the same way (its day cache is invisible)', () => {
    const clock = businessClock(calendar);
    const from = t('2024-03-25T00:00:00Z');
    const to = t('2024-04-08T00:00:00Z');
    // Weeks of March 25 and April 1 (Good Friday and Easter Monday off):
    // Mon–Thu 4 × 8 h + Tue–Thu 3 × 8 h + Fri Apr 5 (4 h + 2.5 h) = 62.5 h.
    expect(clock.elapsed(from, to)).toBe(62.5 * H);
    expect(clock.elapsed(from, to)).toBe(62.5 * H);
  });

  it('agrees with itself: elapsed up to the deadline is the duration, and exceeds it right after', () => {
    const clock = businessClock(calendar, maintenance);
    const random = pseudoRandom(42);
    const yearStart = t('2024-01-01T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      // Starts spread over 2024 (DST changes, holidays, maintenance included),
      // durations up to 60 business hours, in whole seconds.
      const from = yearStart + Math.floor(random() * 365 * 24 * 3600) * 1000;
      const duration = Math.floor(random() * 60 * 3600) * 1000;
      const deadline = clock.deadline(from, duration);
      expect(clock.elapsed(from, deadline)).toBe(duration);
      expect(clock.elapsed(from, deadline + 1)).toBe(duration + 1);
    }
  });
});
