/** Rollup resolutions, in ms: hourly and UTC-daily sums. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Weeks aligned to the Unix epoch (they start on Thursdays, UTC). */
export const WEEK_MS = 7 * DAY_MS;
/** Every rollup level kept at ingest. */
export const ROLLUP_RESOLUTIONS = [HOUR_MS, DAY_MS, WEEK_MS];
export const MINUTE_MS = 60_000;

export const floorTo = (t: number, size: number) => Math.floor(t / size) * size;
export const ceilTo = (t: number, size: number) => Math.ceil(t / size) * size;

/** Slice definitions of threshold targets: rollups are kept per definition. */
export function sliceKey(
  operator: 'lte' | 'gte',
  threshold: number,
  sliceMs: number,
): string {
  return `${operator}:${threshold}:${sliceMs}`;
}

export function parseSliceKey(key: string): {
  operator: 'lte' | 'gte';
  threshold: number;
  sliceMs: number;
} {
  const [operator, threshold, sliceMs] = key.split(':');
  return {
    operator: operator as 'lte' | 'gte',
    threshold: Number(threshold),
    sliceMs: Number(sliceMs),
  };
}
