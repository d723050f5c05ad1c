import { Interval } from './Interval';
import { mergeIntervals } from './mergeIntervals';

/** The parts of `base` not covered by any of `holes`, in order. */
export function subtractIntervals(
  base: Interval,
  holes: Interval[],
): Interval[] {
  const pieces: Interval[] = [];
  let cursor = base.start;
  for (const hole of mergeIntervals(holes)) {
    if (hole.end <= cursor) continue;
    if (hole.start >= base.end) break;
    if (hole.start > cursor) pieces.push({ start: cursor, end: hole.start });
    cursor = Math.max(cursor, hole.end);
  }
  if (cursor < base.end) pieces.push({ start: cursor, end: base.end });
  return pieces;
}
