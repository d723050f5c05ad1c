import { daysUntil, dueExpiryNotice, isExpiredAt } from './expiry';

const at = (iso: string) => Date.parse(iso);
const END = '2026-12-31T00:00:00Z';
const due = (when: string, recorded: number[] = [], thresholds = [30, 7, 1]) =>
  dueExpiryNotice({ validUntil: at(END), thresholds, recorded, at: at(when) });

describe('isExpiredAt', () => {
  it('expires agreed and under-review agreements once validUntil is reached', () => {
    const agreed = { status: 'agreed' as const, validUntil: END };
    expect(isExpiredAt(agreed, at('2026-12-30T23:59:59.999Z'))).toBe(false);
    // validity is [validFrom, validUntil): at validUntil it has ended
    expect(isExpiredAt(agreed, at(END))).toBe(true);
    expect(
      isExpiredAt(
        { ...agreed, status: 'under-review' },
        at('2027-01-05T00:00:00Z'),
      ),
    ).toBe(true);
  });

  it('reads validUntil with an offset as the instant it names', () => {
    // 2027-01-01T00:30+01:00 is 2026-12-31T23:30Z
    const a = {
      status: 'agreed' as const,
      validUntil: '2027-01-01T00:30:00+01:00',
    };
    expect(isExpiredAt(a, at('2026-12-31T23:29:59Z'))).toBe(false);
    expect(isExpiredAt(a, at('2026-12-31T23:30:00Z'))).toBe(true);
  });

  it('leaves other statuses and open-ended agreements alone', () => {
    const late = at('2030-01-01T00:00:00Z');
    for (const status of [
      'requirements',
      'draft',
      'negotiation',
      'withdrawn',
      'expired',
    ] as const) {
      expect(isExpiredAt({ status, validUntil: END }, late)).toBe(false);
    }
    expect(isExpiredAt({ status: 'agreed' }, late)).toBe(false);
  });
});

describe('daysUntil', () => {
  it('counts whole 24-hour days, rounding up', () => {
    expect(daysUntil(at(END), at('2026-12-01T00:00:00Z'))).toBe(30);
    expect(daysUntil(at(END), at('2026-12-01T00:00:01Z'))).toBe(30);
    expect(daysUntil(at(END), at('2026-12-30T12:00:00Z'))).toBe(1);
    expect(daysUntil(at(END), at(END))).toBe(0);
    expect(daysUntil(at(END), at('2027-02-01T00:00:00Z'))).toBe(0);
  });
});

describe('dueExpiryNotice', () => {
  it('sends nothing before the first threshold', () => {
    // 30 days and 1 second before the end
    expect(due('2026-11-30T23:59:59Z')).toBeUndefined();
  });

  it('sends each threshold as it is crossed', () => {
    // exactly 30 × 24 h before
    expect(due('2026-12-01T00:00:00Z')).toEqual({ days: 30, skipped: [] });
    expect(due('2026-12-10T00:00:00Z', [30])).toBeUndefined();
    // 7 × 24 h before: 2026-12-24T00:00Z
    expect(due('2026-12-23T23:59:59Z', [30])).toBeUndefined();
    expect(due('2026-12-24T00:00:00Z', [30])).toEqual({ days: 7, skipped: [] });
    expect(due('2026-12-30T00:00:00Z', [30, 7])).toEqual({
      days: 1,
      skipped: [],
    });
  });

  it('sends a threshold once per validity period', () => {
    expect(due('2026-12-02T00:00:00Z', [30])).toBeUndefined();
    expect(due('2026-12-30T06:00:00Z', [30, 7, 1])).toBeUndefined();
  });

  it('sends only the nearest of several thresholds crossed since the last run', () => {
    // 6 days left, nothing sent (e.g. the backend was down for weeks)
    expect(due('2026-12-25T00:00:00Z')).toEqual({ days: 7, skipped: [30] });
    // 12 hours left: only the 1-day notice
    expect(due('2026-12-30T12:00:00Z')).toEqual({ days: 1, skipped: [7, 30] });
    expect(due('2026-12-30T12:00:00Z', [30])).toEqual({
      days: 1,
      skipped: [7],
    });
  });

  it('never sends a larger threshold after a nearer one', () => {
    // 7 was recorded, 30 was not (skipped before it was recorded): stay quiet
    expect(due('2026-12-25T00:00:00Z', [7])).toBeUndefined();
  });

  it('sends nothing once validUntil has passed', () => {
    expect(due(END)).toBeUndefined();
    expect(due('2027-01-02T00:00:00Z')).toBeUndefined();
  });

  it('ignores duplicate and non-positive thresholds, in any order', () => {
    expect(due('2026-12-25T00:00:00Z', [], [1, 30, 7, 7, 0, -3])).toEqual({
      days: 7,
      skipped: [30],
    });
    expect(due('2026-12-25T00:00:00Z', [], [])).toBeUndefined();
  });

  it('counts days in UTC: a DST change in between does not move a threshold', () => {
    // Europe/Berlin moves to summer time on 2027-03-28; the end is
    // 2027-04-01T00:00+02:00 = 2027-03-31T22:00Z; 7 × 24 h before is
    // 2027-03-24T22:00Z (23:00 local, one hour "earlier" on the wall clock).
    const end = Date.parse('2027-04-01T00:00:00+02:00');
    const notice = (iso: string) =>
      dueExpiryNotice({
        validUntil: end,
        thresholds: [7],
        recorded: [],
        at: at(iso),
      });
    expect(notice('2027-03-24T21:59:59Z')).toBeUndefined();
    expect(notice('2027-03-24T22:00:00Z')).toEqual({ days: 7, skipped: [] });
  });
});
