/**
 * The burn-rate look-backs of the multi-window alerts, in milliseconds. The
 * caller evaluates each over [at − L, at), not clipped to the target's window.
 */
export const LOOKBACKS = {
  '5m': 5 * 60_000,
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '2h': 2 * 3_600_000,
  '6h': 6 * 3_600_000,
  '1d': 24 * 3_600_000,
  '3d': 3 * 24 * 3_600_000,
} as const;

/** @see LOOKBACKS */
export type Lookback = keyof typeof LOOKBACKS;
