/**
 * A half-open span of time [start, end) in epoch milliseconds. Half-open so
 * that adjacent windows, slices and maintenance windows never share an instant.
 */
export type Interval = { start: number; end: number };
