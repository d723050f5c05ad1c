import { roundSignificant } from './roundSignificant';

describe('roundSignificant', () => {
  it('sheds binary floating-point noise', () => {
    // (1 − 0.999) × 1000 is 1.0000000000000009 in doubles.
    expect((1 - 0.999) * 1000).not.toBe(1);
    expect(roundSignificant((1 - 0.999) * 1000)).toBe(1);
    expect(roundSignificant(0.1 + 0.2)).toBe(0.3);
  });

  it('keeps large and non-finite values', () => {
    expect(roundSignificant(123_456_789)).toBe(123_456_789);
    expect(roundSignificant(-Infinity)).toBe(-Infinity);
  });
});
