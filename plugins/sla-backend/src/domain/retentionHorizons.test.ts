import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import {
  rawNeededFrom,
  retentionHorizons,
  seriesKeyOf,
} from './retentionHorizons';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// Wednesday 2026-12-02 10:25 UTC.
const NOW = Date.parse('2026-12-02T10:25:00Z');
const POLICY = {
  rawMarginMs: 7 * DAY,
  unreadWindow: 'P28D',
  rollupsMs: 400 * DAY,
};

const target = (metric: string, window: Target['window']): Target => ({
  id: metric,
  name: metric,
  aspect: 'availability',
  metric,
  sli: { kind: 'ratio' },
  objective: 99,
  window,
});

const agreement = (
  status: Agreement['status'],
  targets: Target[],
  entityRef = 'component:default/Checkout',
): Agreement => ({
  id: `${status}-${targets[0].id}`,
  kind: 'SLA',
  entityRef,
  title: 't',
  status,
  targets,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'test',
  updatedAt: '2026-01-01T00:00:00Z',
  updatedBy: 'test',
});

const key = (metric: string) =>
  seriesKeyOf('component:default/checkout', metric);

describe('rawNeededFrom', () => {
  it('reaches a rolling window back, and the 3-day look-back before it', () => {
    expect(
      rawNeededFrom(target('a', { type: 'rolling', duration: 'P28D' }), NOW),
    ).toBe(NOW - 31 * DAY);
  });

  it('reaches a calendar window back to its current period start', () => {
    // December 2026 starts at 2026-12-01T00:00 in Berlin (23:00Z the day before).
    expect(
      rawNeededFrom(
        target('a', {
          type: 'calendar',
          unit: 'month',
          timeZone: 'Europe/Berlin',
        }),
        NOW,
      ),
    ).toBe(Date.parse('2026-11-30T23:00:00Z') - 3 * DAY);
  });
});

describe('retentionHorizons', () => {
  it('keeps raw detail for the longest need of the targets reading a series, plus the margin, in whole hours', () => {
    const horizons = retentionHorizons(
      [
        agreement('agreed', [
          target('requests', { type: 'rolling', duration: 'P7D' }),
        ]),
        agreement('draft', [
          target('requests', { type: 'rolling', duration: 'P90D' }),
        ]),
      ],
      [key('requests')],
      NOW,
      POLICY,
    );
    const h = horizons.get(key('requests'))!;
    // P90D + 3 d + 7 d back from 10:25, floored to 07:00 of that day.
    expect(h.rawFrom).toBe(Math.floor((NOW - 100 * DAY) / HOUR) * HOUR);
    // Rollups: 400 days, whole epoch weeks.
    expect(h.rollupsFrom).toBe(Math.floor((NOW - 400 * DAY) / WEEK) * WEEK);
  });

  it('never keeps rollups for less time than raw detail', () => {
    const horizons = retentionHorizons(
      [
        agreement('agreed', [
          target('requests', { type: 'rolling', duration: 'P730D' }),
        ]),
      ],
      [key('requests')],
      NOW,
      POLICY,
    );
    const h = horizons.get(key('requests'))!;
    expect(h.rollupsFrom).toBeLessThanOrEqual(h.rawFrom);
    expect(h.rollupsFrom % WEEK).toBe(0);
  });

  it('treats series of withdrawn agreements, and series no target reads, as read by the unread window', () => {
    const horizons = retentionHorizons(
      [
        agreement('withdrawn', [
          target('old', { type: 'rolling', duration: 'P90D' }),
        ]),
      ],
      [key('old'), key('nobody')],
      NOW,
      POLICY,
    );
    const unread = Math.floor((NOW - (28 + 3 + 7) * DAY) / HOUR) * HOUR;
    expect(horizons.get(key('old'))!.rawFrom).toBe(unread);
    expect(horizons.get(key('nobody'))!.rawFrom).toBe(unread);
  });

  it('matches entity refs case-insensitively, as series are stored', () => {
    const horizons = retentionHorizons(
      [
        agreement('agreed', [
          target('requests', { type: 'rolling', duration: 'P90D' }),
        ]),
      ],
      [seriesKeyOf('component:default/checkout', 'requests')],
      NOW,
      POLICY,
    );
    expect(horizons.get(key('requests'))!.rawFrom).toBe(
      Math.floor((NOW - 100 * DAY) / HOUR) * HOUR,
    );
  });
});
