import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { LOOKBACKS } from './lookbacks';
import { resolveWindow } from './resolveWindow';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const LONGEST_LOOKBACK = Math.max(...Object.values(LOOKBACKS));

/** How long stored measurements are kept (config `sla.retention`). */
export type RetentionPolicy = {
  /** Raw detail kept beyond what the windows need, ms. */
  rawMarginMs: number;
  /**
   * The rolling window a series that no target reads (or only targets of
   * withdrawn agreements) is kept for, as if a target read it (ISO 8601).
   */
  unreadWindow: string;
  /** Rollups (and closed duration events) kept, ms before now. */
  rollupsMs: number;
};

/** Where a series' kept detail starts. */
export type SeriesHorizon = {
  /** Raw samples and per-minute extremes before this instant go (whole hour). */
  rawFrom: number;
  /** Rollups and closed events before this instant go (epoch week). */
  rollupsFrom: number;
};

/** "entityRef\u0000metric", the entity ref lower-cased, as series are keyed. */
export const seriesKeyOf = (entityRef: string, metric: string) =>
  `${entityRef.toLocaleLowerCase('en-US')}\u0000${metric}`;

const floorTo = (t: number, size: number) => Math.floor(t / size) * size;

/**
 * The earliest instant whose raw detail a target's figures at `now` need:
 * its window (a rolling window's length, a calendar window's current
 * period from its local start), and before it the longest burn-rate
 * look-back (3 d), since the statuses over the window (timeline, breach
 * history) look back that far from each of their instants.
 */
export function rawNeededFrom(target: Target, now: number): number {
  return resolveWindow(target.window, now).start - LONGEST_LOOKBACK;
}

/**
 * Per series, where kept detail starts at `now` (product.md §3 figures at
 * any `at` whose window begins after `rawFrom` are exact from what is kept):
 * raw detail as far back as the longest need of any target of an agreement
 * that is not withdrawn reading the series, plus the margin, whole hours;
 * rollups for `rollupsMs` (never less than the raw detail), whole epoch
 * weeks so that no rollup bucket of any level is cut. A series that no
 * such target reads keeps raw detail as if a target with the rolling
 * window `unreadWindow` read it. Pure: `now` is a
 * parameter.
 */
export function retentionHorizons(
  agreements: Agreement[],
  seriesKeys: Iterable<string>,
  now: number,
  policy: RetentionPolicy,
): Map<string, SeriesHorizon> {
  const need = new Map<string, number>();
  for (const agreement of agreements) {
    if (agreement.status === 'withdrawn') continue;
    for (const target of agreement.targets) {
      const key = seriesKeyOf(agreement.entityRef, target.metric);
      const from = rawNeededFrom(target, now);
      need.set(key, Math.min(need.get(key) ?? Infinity, from));
    }
  }
  const unread =
    resolveWindow({ type: 'rolling', duration: policy.unreadWindow }, now)
      .start - LONGEST_LOOKBACK;
  const out = new Map<string, SeriesHorizon>();
  for (const key of seriesKeys) {
    const needed = need.get(key) ?? unread;
    const rawFrom = floorTo(needed - policy.rawMarginMs, HOUR_MS);
    const rollupsFrom = floorTo(
      Math.min(rawFrom, now - policy.rollupsMs),
      WEEK_MS,
    );
    out.set(key, { rawFrom, rollupsFrom });
  }
  return out;
}
