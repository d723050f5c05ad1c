import { LOOKBACKS } from './lookbacks';

describe('LOOKBACKS', () => {
  it('spans the multi-window alert look-backs in milliseconds', () => {
    const minute = 60_000;
    expect(LOOKBACKS).toEqual({
      '5m': 5 * minute,
      '30m': 30 * minute,
      '1h': 60 * minute,
      '2h': 120 * minute,
      '6h': 360 * minute,
      '1d': 1440 * minute,
      '3d': 3 * 1440 * minute,
    });
  });
});
