import { Lookback } from './lookbacks';

/** A firing multi-window burn-rate alert; `window` reads "long/short". */
export type BurnAlert = { severity: 'page' | 'ticket'; window: string };

/**
 * The SRE workbook's multi-window, multi-burn-rate pairs. The long window
 * shows the budget is really burning; the short one that it still is, so an
 * alert stops soon after the burning stops.
 */
export const BURN_ALERT_RULES: ReadonlyArray<{
  severity: 'page' | 'ticket';
  long: Lookback;
  short: Lookback;
  threshold: number;
}> = [
  { severity: 'page', long: '1h', short: '5m', threshold: 14.4 },
  { severity: 'page', long: '6h', short: '30m', threshold: 6 },
  { severity: 'ticket', long: '1d', short: '2h', threshold: 3 },
  { severity: 'ticket', long: '3d', short: '6h', threshold: 1 },
];

/**
 * Every pair whose two burn rates are both at or above its threshold, in
 * rule order (pages first). A look-back without data (null) never fires.
 * All firing pairs are listed, so a page may come with a ticket; whoever
 * notifies picks the most severe.
 */
export function evaluateBurnAlerts(
  rates: Record<Lookback, number | null>,
): BurnAlert[] {
  const burns = (lookback: Lookback, threshold: number) => {
    const rate = rates[lookback];
    return rate !== null && rate !== undefined && rate >= threshold;
  };
  return BURN_ALERT_RULES.filter(
    rule =>
      burns(rule.long, rule.threshold) && burns(rule.short, rule.threshold),
  ).map(rule => ({
    severity: rule.severity,
    window: `${rule.long}/${rule.short}`,
  }));
}
