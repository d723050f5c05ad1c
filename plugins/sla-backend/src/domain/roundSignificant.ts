/**
 * Rounds to 12 significant digits. Objectives are decimal percentages, and
 * binary floating point turns (1 − 0.999) × 1000 into 1.0000000000000009;
 * rounding sheds that noise so that a budget spent exactly reads 0 remaining
 * and a burn rate of exactly 14.4 fires the 14.4 alert.
 */
export function roundSignificant(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
}
