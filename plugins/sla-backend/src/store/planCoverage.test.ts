import { alignEdges, planCoverage, planSignedCoverage } from './planCoverage';

const t = (iso: string) => Date.parse(iso);
const iv = (a: string, b: string) => ({ start: t(a), end: t(b) });

describe('planCoverage', () => {
  it('reads whole weeks, days and hours from rollups and only the edges raw', () => {
    // 1970-01-01 is a Thursday: epoch weeks start on Thursdays.
    expect(
      planCoverage([iv('2026-03-01T10:30:00Z', '2026-03-20T05:15:00Z')]),
    ).toEqual({
      raw: [
        iv('2026-03-01T10:30:00Z', '2026-03-01T11:00:00Z'),
        iv('2026-03-20T05:00:00Z', '2026-03-20T05:15:00Z'),
      ],
      hour: [
        iv('2026-03-01T11:00:00Z', '2026-03-02T00:00:00Z'),
        iv('2026-03-20T00:00:00Z', '2026-03-20T05:00:00Z'),
      ],
      day: [
        iv('2026-03-02T00:00:00Z', '2026-03-05T00:00:00Z'),
        iv('2026-03-19T00:00:00Z', '2026-03-20T00:00:00Z'),
      ],
      week: [iv('2026-03-05T00:00:00Z', '2026-03-19T00:00:00Z')],
    });
  });

  it('keeps a sub-hour interval raw and a same-day one in hours', () => {
    expect(
      planCoverage([iv('2026-03-01T10:05:00Z', '2026-03-01T10:50:00Z')]),
    ).toEqual({
      raw: [iv('2026-03-01T10:05:00Z', '2026-03-01T10:50:00Z')],
      hour: [],
      day: [],
      week: [],
    });
    expect(
      planCoverage([iv('2026-03-01T10:00:00Z', '2026-03-01T14:00:00Z')]).hour,
    ).toEqual([iv('2026-03-01T10:00:00Z', '2026-03-01T14:00:00Z')]);
  });

  it('plans a range minus maintenance as the range minus the maintenance inside it', () => {
    const plan = planSignedCoverage(
      iv('2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'),
      [
        iv('2026-02-28T23:00:00Z', '2026-03-01T02:00:00Z'),
        iv('2026-03-02T02:00:00Z', '2026-03-02T04:30:00Z'),
        iv('2026-03-05T02:00:00Z', '2026-03-05T04:00:00Z'),
      ],
    );
    expect(plan.plus.day).toEqual([
      iv('2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z'),
    ]);
    expect(plan.minus).toEqual({
      raw: [iv('2026-03-02T04:00:00Z', '2026-03-02T04:30:00Z')],
      hour: [
        iv('2026-03-01T00:00:00Z', '2026-03-01T02:00:00Z'),
        iv('2026-03-02T02:00:00Z', '2026-03-02T04:00:00Z'),
      ],
      day: [],
      week: [],
    });
  });

  it('widens maintenance to whole slices and adds back the parts outside it', () => {
    const FIVE_MINUTES = 300_000;
    // PT5M slices; maintenance 10:07–10:33 and 10:36–10:38 (both inside the
    // widened 10:05–10:40), 11:02–11:04, and one ending past the range end
    const plan = planSignedCoverage(
      iv('2026-03-01T00:00:00Z', '2026-03-01T12:03:00Z'),
      [
        iv('2026-03-01T10:07:00Z', '2026-03-01T10:33:00Z'),
        iv('2026-03-01T10:36:00Z', '2026-03-01T10:38:00Z'),
        iv('2026-03-01T11:02:00Z', '2026-03-01T11:04:00Z'),
        iv('2026-03-01T12:01:00Z', '2026-03-01T13:00:00Z'),
      ],
      FIVE_MINUTES,
    );
    expect(plan.plus.hour).toEqual([
      iv('2026-03-01T00:00:00Z', '2026-03-01T12:00:00Z'),
    ]);
    // the minus side removes whole slices (clipped to the range's end)
    expect(plan.minus.raw).toEqual([
      iv('2026-03-01T10:05:00Z', '2026-03-01T10:40:00Z'),
      iv('2026-03-01T11:00:00Z', '2026-03-01T11:05:00Z'),
      iv('2026-03-01T12:00:00Z', '2026-03-01T12:03:00Z'),
    ]);
    // and the parts of those slices outside maintenance are judged anew
    expect(plan.back).toEqual([
      iv('2026-03-01T10:05:00Z', '2026-03-01T10:07:00Z'),
      iv('2026-03-01T10:33:00Z', '2026-03-01T10:36:00Z'),
      iv('2026-03-01T10:38:00Z', '2026-03-01T10:40:00Z'),
      iv('2026-03-01T11:00:00Z', '2026-03-01T11:02:00Z'),
      iv('2026-03-01T11:04:00Z', '2026-03-01T11:05:00Z'),
      iv('2026-03-01T12:00:00Z', '2026-03-01T12:01:00Z'),
    ]);
  });

  it('widens nothing without slices (ratio) or when maintenance is slice-aligned', () => {
    const range = iv('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    const maintenance = [iv('2026-03-01T10:07:00Z', '2026-03-01T10:33:00Z')];
    const ratio = planSignedCoverage(range, maintenance);
    expect(ratio.minus.raw).toEqual(maintenance);
    expect(ratio.back).toEqual([]);
    const aligned = planSignedCoverage(
      range,
      [iv('2026-03-01T10:05:00Z', '2026-03-01T10:35:00Z')],
      300_000,
    );
    expect(aligned.minus.raw).toEqual([
      iv('2026-03-01T10:05:00Z', '2026-03-01T10:35:00Z'),
    ]);
    expect(aligned.back).toEqual([]);
  });

  it('reads an edge near an hour boundary as the hour minus the minutes outside', () => {
    // 09:05:20 → 12:50: the start is 5 minutes into its hour, the end 10
    // minutes before the next: both hours come from rollups.
    const range = iv('2026-03-01T09:05:20Z', '2026-03-01T12:50:00Z');
    expect(alignEdges(range)).toEqual({
      range: iv('2026-03-01T09:00:00Z', '2026-03-01T13:00:00Z'),
      extra: [
        iv('2026-03-01T09:00:00Z', '2026-03-01T09:05:20Z'),
        iv('2026-03-01T12:50:00Z', '2026-03-01T13:00:00Z'),
      ],
    });
    const ratio = planSignedCoverage(range, [], undefined, {
      alignEdges: true,
    });
    expect(ratio.plus.hour).toEqual([
      iv('2026-03-01T09:00:00Z', '2026-03-01T13:00:00Z'),
    ]);
    expect(ratio.minus.raw).toEqual(alignEdges(range).extra);
    // PT5M slices: the slice cut by the start is judged on its samples in
    // the range (09:05:20–09:10), as at a maintenance edge.
    const slices = planSignedCoverage(range, [], 300_000, { alignEdges: true });
    expect(slices.minus.raw).toEqual([
      iv('2026-03-01T09:00:00Z', '2026-03-01T09:10:00Z'),
      iv('2026-03-01T12:50:00Z', '2026-03-01T13:00:00Z'),
    ]);
    expect(slices.back).toEqual([
      iv('2026-03-01T09:05:20Z', '2026-03-01T09:10:00Z'),
    ]);
    // Edges in the middle of their hours, or a range inside one hour, stay.
    for (const kept of [
      iv('2026-03-01T09:35:00Z', '2026-03-01T12:25:00Z'),
      iv('2026-03-01T09:05:00Z', '2026-03-01T09:55:00Z'),
    ]) {
      expect(alignEdges(kept)).toEqual({ range: kept, extra: [] });
    }
  });
});
