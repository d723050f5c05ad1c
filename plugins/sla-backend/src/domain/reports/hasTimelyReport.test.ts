import { hasTimelyReport } from './hasTimelyReport';

const t = (s: string) => Date.parse(s);
const october = {
  periodStart: t('2026-10-01T00:00:00Z'),
  periodEnd: t('2026-11-01T00:00:00Z'),
};
const september = {
  periodStart: t('2026-09-01T00:00:00Z'),
  periodEnd: t('2026-10-01T00:00:00Z'),
};

describe('hasTimelyReport', () => {
  it('is timely when the last month was published within 5 days of its end', () => {
    // October ended 2026-11-01T00:00Z; grace ends 2026-11-06T00:00Z.
    const pubs = [{ ...october, publishedAt: t('2026-11-05T23:59:59Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-22T09:00:00Z'))).toBe(true);
  });

  it('is not timely when the last month was published after the grace', () => {
    const pubs = [{ ...october, publishedAt: t('2026-11-06T00:00:01Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-22T09:00:00Z'))).toBe(false);
  });

  it('is exactly on time at the end of the grace', () => {
    const pubs = [{ ...october, publishedAt: t('2026-11-06T00:00:00Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-22T09:00:00Z'))).toBe(true);
  });

  it('is not timely without any report', () => {
    expect(hasTimelyReport([], t('2026-11-22T09:00:00Z'))).toBe(false);
  });

  it('during the grace, the month before counts', () => {
    // 2026-11-03: October is still within its grace; September was due by 2026-10-06.
    const at = t('2026-11-03T12:00:00Z');
    expect(
      hasTimelyReport(
        [{ ...september, publishedAt: t('2026-10-02T08:00:00Z') }],
        at,
      ),
    ).toBe(true);
    expect(
      hasTimelyReport(
        [{ ...september, publishedAt: t('2026-10-09T08:00:00Z') }],
        at,
      ),
    ).toBe(false);
    expect(hasTimelyReport([], at)).toBe(false);
  });

  it('during the grace, a last month already published counts too', () => {
    const at = t('2026-11-03T12:00:00Z');
    expect(
      hasTimelyReport(
        [{ ...october, publishedAt: t('2026-11-02T10:00:00Z') }],
        at,
      ),
    ).toBe(true);
  });

  it('after the grace, the month before no longer helps', () => {
    const pubs = [{ ...september, publishedAt: t('2026-10-02T08:00:00Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-06T00:00:00Z'))).toBe(false);
  });

  it('does not see publications after at (figures at a past at are reproducible)', () => {
    const pubs = [{ ...october, publishedAt: t('2026-11-04T00:00:00Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-03T00:00:00Z'))).toBe(false);
  });

  it('ignores reports of other periods and takes a configured grace', () => {
    const custom = {
      periodStart: t('2026-10-01T00:00:00Z'),
      periodEnd: t('2026-10-15T00:00:00Z'),
      publishedAt: t('2026-10-16T00:00:00Z'),
    };
    expect(hasTimelyReport([custom], t('2026-11-22T00:00:00Z'))).toBe(false);
    // published 2026-11-09: late for 5 days, in time for 10
    const pubs = [{ ...october, publishedAt: t('2026-11-09T00:00:00Z') }];
    expect(hasTimelyReport(pubs, t('2026-11-22T00:00:00Z'), 5)).toBe(false);
    expect(hasTimelyReport(pubs, t('2026-11-22T00:00:00Z'), 10)).toBe(true);
  });

  it('crosses the year: in January the last month is December', () => {
    const december = {
      periodStart: t('2026-12-01T00:00:00Z'),
      periodEnd: t('2027-01-01T00:00:00Z'),
      publishedAt: t('2027-01-04T00:00:00Z'),
    };
    expect(hasTimelyReport([december], t('2027-01-20T00:00:00Z'))).toBe(true);
  });
});
