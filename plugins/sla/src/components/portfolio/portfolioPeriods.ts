import { DateTime } from 'luxon';

/** A period the portfolio page offers, and the query it sends. */
export type PortfolioPeriodOption = {
  /** Stable id for the selector: "P30D", "month:2026-10". */
  id: string;
  label: string;
  /** The `period` parameter: an ISO 8601 duration. */
  period: string;
  /** The `at` parameter (the period's end); absent means the server's now. */
  at?: string;
};

/** Whole calendar months offered besides the current one. */
const PAST_MONTHS = 12;

/** The default: the last 30 days, as GET /portfolio's own default. */
export const DEFAULT_PERIOD_ID = 'P30D';

const ROLLING: PortfolioPeriodOption[] = [
  { id: 'P7D', label: 'Last 7 days', period: 'P7D' },
  { id: 'P30D', label: 'Last 30 days', period: 'P30D' },
  { id: 'P90D', label: 'Last 90 days', period: 'P90D' },
];

/**
 * The periods to choose from at `now`: the last 7, 30 and 90 days (ending
 * now), the current calendar month so far and the 12 whole months before
 * it. Months are those of `now`'s zone (the viewer's), so a month is sent
 * as its exact length in seconds, which also covers daylight saving.
 */
export function portfolioPeriodOptions(now: DateTime): PortfolioPeriodOption[] {
  const options = [...ROLLING];
  const monthStart = now.startOf('month');
  const soFar = Math.floor(now.diff(monthStart).as('seconds'));
  if (soFar > 0) {
    options.push({
      id: `month:${monthStart.toFormat('yyyy-LL')}`,
      label: `${monthStart.setLocale('en-GB').toFormat('LLLL yyyy')} so far`,
      period: `PT${soFar}S`,
      at: now.toUTC().toISO()!,
    });
  }
  for (let i = 1; i <= PAST_MONTHS; i++) {
    const start = monthStart.minus({ months: i });
    const end = start.plus({ months: 1 });
    options.push({
      id: `month:${start.toFormat('yyyy-LL')}`,
      label: start.setLocale('en-GB').toFormat('LLLL yyyy'),
      period: `PT${Math.round(end.diff(start).as('seconds'))}S`,
      at: end.toUTC().toISO()!,
    });
  }
  return options;
}
