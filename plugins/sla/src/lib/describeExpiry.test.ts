import { describeExpiry } from './describeExpiry';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const until = (validUntil: string, status: any = 'agreed') =>
  describeExpiry({ status, validUntil }, NOW, 30);

describe('describeExpiry', () => {
  it('counts the days left, rounding up, and warns within the first notice', () => {
    expect(until('2027-06-01T00:00:00Z')).toEqual({
      text: 'expires in 182 days',
      level: 'info',
    });
    // 30 days and 12 hours: 31 days, no warning yet
    expect(until('2027-01-01T00:00:00Z')).toEqual({
      text: 'expires in 31 days',
      level: 'info',
    });
    expect(until('2026-12-31T12:00:00Z')).toEqual({
      text: 'expires in 30 days',
      level: 'warning',
    });
    expect(until('2026-12-02T00:00:00Z', 'under-review')).toEqual({
      text: 'expires in 1 day',
      level: 'warning',
    });
  });

  it('says when it expired, also before the expiry task has run', () => {
    expect(until('2026-11-30T00:00:00Z', 'expired')).toEqual({
      text: 'expired on 30 Nov 2026',
      level: 'warning',
    });
    expect(until('2026-12-01T12:00:00Z')).toEqual({
      text: 'expired on 1 Dec 2026',
      level: 'warning',
    });
  });

  it('says nothing for agreements that do not expire', () => {
    expect(until('2027-01-01T00:00:00Z', 'draft')).toBeUndefined();
    expect(until('2026-01-01T00:00:00Z', 'withdrawn')).toBeUndefined();
    expect(
      describeExpiry({ status: 'agreed', validUntil: undefined }, NOW, 30),
    ).toBeUndefined();
  });
});
