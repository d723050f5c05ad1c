import { planCoverage } from './planCoverage';

const t = (iso: string) => Date.parse(iso);
const iv = (a: string, b: string) => ({ start: t(a), end: t(b) });

describe('planCoverage', () => {
  it('reads whole days from daily sums and only the edges from raw rows', () => {
    expect(
      planCoverage([iv('2026-03-01T10:30:00Z', '2026-03-04T05:15:00Z')]),
    ).toEqual({
      raw: [
        iv('2026-03-01T10:30:00Z', '2026-03-01T11:00:00Z'),
        iv('2026-03-04T05:00:00Z', '2026-03-04T05:15:00Z'),
      ],
      hour: [
        iv('2026-03-01T11:00:00Z', '2026-03-02T00:00:00Z'),
        iv('2026-03-04T00:00:00Z', '2026-03-04T05:00:00Z'),
      ],
      day: [iv('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z')],
    });
  });

  it('keeps a sub-hour interval raw and a same-day one in hours', () => {
    expect(
      planCoverage([iv('2026-03-01T10:05:00Z', '2026-03-01T10:50:00Z')]),
    ).toEqual({
      raw: [iv('2026-03-01T10:05:00Z', '2026-03-01T10:50:00Z')],
      hour: [],
      day: [],
    });
    expect(
      planCoverage([iv('2026-03-01T10:00:00Z', '2026-03-01T14:00:00Z')]),
    ).toEqual({
      raw: [],
      hour: [iv('2026-03-01T10:00:00Z', '2026-03-01T14:00:00Z')],
      day: [],
    });
  });

  it('plans each interval of a set, and skips empty ones', () => {
    const plan = planCoverage([
      iv('2026-03-01T00:00:00Z', '2026-03-01T02:00:00Z'),
      iv('2026-03-01T04:00:00Z', '2026-03-01T04:00:00Z'),
      iv('2026-03-01T04:00:00Z', '2026-03-03T00:00:00Z'),
    ]);
    expect(plan.hour).toEqual([
      iv('2026-03-01T00:00:00Z', '2026-03-01T02:00:00Z'),
      iv('2026-03-01T04:00:00Z', '2026-03-02T00:00:00Z'),
    ]);
    expect(plan.day).toEqual([
      iv('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'),
    ]);
    expect(plan.raw).toEqual([]);
  });
});
