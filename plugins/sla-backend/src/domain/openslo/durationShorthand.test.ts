import { isoToShorthand, shorthandToIso } from './durationShorthand';

describe('duration shorthand', () => {
  it.each([
    ['5m', 'PT5M'],
    ['12h', 'PT12H'],
    ['28d', 'P28D'],
    ['4w', 'P4W'],
    ['1M', 'P1M'],
    ['1Q', 'P3M'],
    ['2Q', 'P6M'],
    ['1Y', 'P1Y'],
  ])('%s ↔ %s', (shorthand, iso) => {
    expect(shorthandToIso(shorthand)).toBe(iso);
  });

  it('keeps a single unit so that a round trip gives the same text', () => {
    for (const iso of ['PT5M', 'PT720H', 'P28D', 'P4W', 'P1M', 'P1Y']) {
      expect(shorthandToIso(isoToShorthand(iso)!)).toBe(iso);
    }
  });

  it('turns mixed units into minutes and refuses what has no shorthand', () => {
    expect(isoToShorthand('P1DT12H')).toBe('2160m');
    expect(isoToShorthand('PT30S')).toBeUndefined();
    expect(isoToShorthand('P1M2D')).toBeUndefined();
    expect(shorthandToIso('5 m')).toBeUndefined();
    expect(shorthandToIso('0d')).toBeUndefined();
    expect(shorthandToIso('5s')).toBeUndefined();
  });
});
