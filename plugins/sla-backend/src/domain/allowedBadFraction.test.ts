import { allowedBadFraction } from './allowedBadFraction';

describe('allowedBadFraction', () => {
  it('is 1 − o for a percent objective', () => {
    expect(allowedBadFraction(99.9)).toBe(0.001);
    expect(allowedBadFraction(95)).toBe(0.05);
    expect(allowedBadFraction(100)).toBe(0);
  });
});
