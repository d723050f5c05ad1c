import {
  EARLIEST_AT_MS,
  MAX_AHEAD_MS,
  instantWithinBounds,
} from './instantBounds';

const now = Date.parse('2026-06-10T12:00:00Z');

describe('instantWithinBounds', () => {
  it('accepts instants from 2000-01-01 to 366 days after now', () => {
    expect(instantWithinBounds('at', EARLIEST_AT_MS, now)).toBe(EARLIEST_AT_MS);
    expect(instantWithinBounds('at', now, now)).toBe(now);
    expect(instantWithinBounds('at', now + MAX_AHEAD_MS, now)).toBe(
      now + MAX_AHEAD_MS,
    );
  });

  it('refuses instants beyond the bounds, naming the field', () => {
    expect(() => instantWithinBounds('at', EARLIEST_AT_MS - 1, now)).toThrow(
      'at must not be before 2000-01-01T00:00:00Z',
    );
    expect(() =>
      instantWithinBounds('from', now + MAX_AHEAD_MS + 1, now),
    ).toThrow('from must not be more than 366 days after now');
    expect(() => instantWithinBounds('at', NaN, now)).toThrow(
      'at must be an ISO 8601 instant',
    );
  });
});
