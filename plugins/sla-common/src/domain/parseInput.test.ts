import { parseFullEntityRef, parseInstant } from './parseInput';

describe('parseInstant', () => {
  it.each([
    ['2026-06-01T00:00:00Z', Date.UTC(2026, 5, 1)],
    ['2026-06-01T02:00:00+02:00', Date.UTC(2026, 5, 1)],
    ['2026-06-01T00:00Z', Date.UTC(2026, 5, 1)],
    ['2026-06-01T00:00:00.250Z', Date.UTC(2026, 5, 1) + 250],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
  ])('reads %s', (value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-04-31T12:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-06-01T24:30:00Z',
    '2026-06-01',
    '2026-06-01T00:00:00',
    '2026-06-01 00:00:00Z',
    '1717200000000',
    'yesterday',
    '',
    42,
    undefined,
  ])('refuses %p (never rolled over)', value => {
    expect(parseInstant(value)).toBeUndefined();
  });
});

describe('parseFullEntityRef', () => {
  it.each([
    ['component:default/checkout', 'component:default/checkout'],
    ['component:checkout', 'component:default/checkout'],
    ['Group:team-a/Payments', 'group:team-a/Payments'],
  ])('reads %s', (value, expected) => {
    expect(parseFullEntityRef(value)?.toLocaleLowerCase('en-US')).toBe(
      expected.toLocaleLowerCase('en-US'),
    );
  });

  it.each(['not-a-ref', 'checkout', 'component:', ':default/x', '', 42, null])(
    'refuses %p',
    value => {
      expect(parseFullEntityRef(value)).toBeUndefined();
    },
  );
});
