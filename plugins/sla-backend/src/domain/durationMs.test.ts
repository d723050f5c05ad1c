import { durationMs } from './durationMs';

describe('durationMs', () => {
  it('converts with fixed unit lengths', () => {
    expect(durationMs('PT1M')).toBe(60_000);
    expect(durationMs('PT1H30M')).toBe(5_400_000); // 90 × 60 000
    expect(durationMs('P1D')).toBe(86_400_000); // 24 h
    expect(durationMs('P1W')).toBe(604_800_000); // 7 × 24 h
  });

  it('rejects what is not an ISO duration', () => {
    expect(() => durationMs('4 hours')).toThrow(/Invalid ISO 8601 duration/);
  });
});
