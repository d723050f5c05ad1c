import type {
  Agreement,
  ParsedMeasurement,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import {
  DEFAULT_TIMESLICE,
  Interval,
  countRatioSamples,
  durationMs,
  evaluateThresholdSlices,
  expandMaintenanceWindows,
} from '../domain';

/**
 * A ratio or threshold target's good and bad units in [start, end) as
 * product.md §3 counts them, from the raw samples one by one (no rollups,
 * no plans): the reference that tests hold the served figures against.
 * Samples of other series are ignored; maintenance windows of `agreement`
 * are left out as if there were no data.
 */
export function scanRawSamples(
  all: ParsedMeasurement[],
  agreement: Pick<Agreement, 'entityRef' | 'maintenanceWindows'>,
  target: Target,
  range: Interval,
): { good: number; bad: number } {
  const excluded = expandMaintenanceWindows(
    agreement.maintenanceWindows ?? [],
    range.start,
    range.end,
    target.calendar?.timeZone,
  );
  const ref = agreement.entityRef.toLocaleLowerCase('en-US');
  const mine = all.filter(
    m =>
      m.metric === target.metric &&
      m.entityRef.toLocaleLowerCase('en-US') === ref,
  );
  if (target.sli.kind === 'ratio') {
    const sums = countRatioSamples(
      mine.flatMap(m =>
        m.kind === 'ratio' ? [{ t: m.ts, good: m.good, total: m.total }] : [],
      ),
      { start: range.start, end: range.end, excluded },
    );
    return { good: sums.good, bad: sums.total - sums.good };
  }
  if (target.sli.kind !== 'threshold') {
    throw new Error('scanRawSamples counts ratio and threshold targets');
  }
  return evaluateThresholdSlices(
    mine.flatMap(m =>
      m.kind === 'threshold' ? [{ t: m.ts, value: m.value }] : [],
    ),
    {
      operator: target.sli.operator,
      threshold: target.sli.threshold,
      sliceMs: durationMs(target.timeslice ?? DEFAULT_TIMESLICE),
      excluded,
      start: range.start,
      end: range.end,
    },
  );
}
