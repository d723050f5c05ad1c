import { Duration } from 'luxon';
import {
  BurnRateWindow,
  formatPercent,
  humanizeDuration,
  Target,
  TargetAttainment,
  TargetStatus,
} from '@opensla/backstage-plugin-sla-common';

/** The UI is in English; numbers follow it, like the dates (formatDates.ts). */
const LOCALE = 'en-GB';

/** How each target status reads to a person. */
export const TARGET_STATUS_LABELS: Record<TargetStatus, string> = {
  breached: 'Breached',
  'at-risk': 'At risk',
  met: 'Met',
  'no-data': 'No data',
};

/** Worst first: a breach outweighs a risk, a risk a met target, and any figure no figure. */
const SEVERITY: TargetStatus[] = ['breached', 'at-risk', 'met', 'no-data'];

/** The worst of some statuses; undefined when there are none. */
export function worstStatus(
  statuses: Iterable<TargetStatus>,
): TargetStatus | undefined {
  let worst: TargetStatus | undefined;
  for (const status of statuses) {
    if (!worst || SEVERITY.indexOf(status) < SEVERITY.indexOf(worst)) {
      worst = status;
    }
  }
  return worst;
}

/** 40312 → "40,312"; 1234567 → "1.2 M" (the unit apart, as in "99.9 %"). */
export function formatCount(value: number): string {
  if (Math.abs(value) < 1_000_000) {
    return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(
      value,
    );
  }
  // en-GB abbreviates millions as "m"; the upper-case "M" reads better in a UI.
  return new Intl.NumberFormat('en-US', {
    notation: 'compact',
    maximumFractionDigits: 1,
  })
    .formatToParts(value)
    .map(part => (part.type === 'compact' ? ` ${part.value}` : part.value))
    .join('');
}

function decimalsOf(value: number): number {
  const text = formatPercent(value);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * An attainment in percent, to one more decimal than its objective (at least
 * two), rounded down: 99.8996 against 99.9 reads "99.89 %", never a
 * reassuring "99.9 %".
 */
export function formatAttainmentPercent(
  attainment: number,
  objective: number,
): string {
  const decimals = Math.min(6, Math.max(2, decimalsOf(objective) + 1));
  const factor = 10 ** decimals;
  const floored = Math.floor(attainment * factor + 1e-7) / factor;
  return `${new Intl.NumberFormat(LOCALE, {
    maximumFractionDigits: decimals,
  }).format(floored)} %`;
}

/** "99.87 % (objective 99.9 %)", or "no data (objective 99.9 %)". */
export function formatAttainmentVsObjective(item: TargetAttainment): string {
  const objective = `objective ${formatPercent(item.objective)} %`;
  if (item.attainment === null) return `no data (${objective})`;
  return `${formatAttainmentPercent(
    item.attainment,
    item.objective,
  )} (${objective})`;
}

/** A burn rate: "14.4×", "0.35×", "120×"; "–" without data. */
export function formatBurnRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  let maximumFractionDigits = 0;
  if (value < 1) maximumFractionDigits = 2;
  else if (value < 100) maximumFractionDigits = 1;
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits }).format(
    value,
  )}×`;
}

/** The look-backs shown at a glance, and those shown as secondary text. */
export const MAIN_BURN_WINDOWS: BurnRateWindow[] = ['1h', '6h', '1d', '3d'];
export const SHORT_BURN_WINDOWS: BurnRateWindow[] = ['5m', '30m', '2h'];

/** "1h/5m" → "Page: 1h/5m". */
export function formatAlert(alert: {
  severity: 'page' | 'ticket';
  window: string;
}): string {
  return `${alert.severity === 'page' ? 'Page' : 'Ticket'}: ${alert.window}`;
}

function plural(count: number, singular: string, pluralForm: string) {
  return count === 1 ? singular : pluralForm;
}

/** "PT1M" → "one-minute", "PT5M" → "5-minute", "PT1H30M" → "1 hour 30 minutes". */
export function describeSlice(iso: string): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return iso;
  const units = Object.entries(duration.toObject()).filter(([, n]) => n);
  if (units.length !== 1) return humanizeDuration(iso);
  const [unit, n] = units[0] as [string, number];
  const word = unit.replace(/s$/, '');
  return `${n === 1 ? 'one' : n}-${word}`;
}

/** What one counted unit of a target is, singular and plural. */
function countedUnit(target: Target | undefined): [string, string] {
  switch (target?.sli.kind) {
    case 'ratio':
      if (target.aspect === 'experience') return ['answer', 'answers'];
      return target.aspect === 'availability'
        ? ['request', 'requests']
        : ['event', 'events'];
    case 'threshold': {
      const slice = describeSlice(target.timeslice ?? 'PT1M');
      return [`${slice} slice`, `${slice} slices`];
    }
    case 'duration':
      return target.aspect === 'support'
        ? ['incident', 'incidents']
        : ['request', 'requests'];
    case 'ticket':
      return ['ticket', 'tickets'];
    default:
      return ['measurement', 'measurements'];
  }
}

/**
 * What the figure was computed from, in the target's own unit:
 * "from 1.2 M requests", "from 40,312 one-minute slices", "from 17 incidents".
 */
export function describeCounted(
  target: Target | undefined,
  counted: number,
): string {
  const [one, many] = countedUnit(target);
  return `from ${formatCount(counted)} ${plural(counted, one, many)}`;
}

/** What a unit of error budget is: "failed requests", "slow slices", "late incidents". */
function badUnit(target: Target | undefined): string {
  switch (target?.sli.kind) {
    case 'ratio':
      if (target.aspect === 'experience') return 'unhappy answers';
      return target.aspect === 'availability'
        ? 'failed requests'
        : 'bad events';
    case 'threshold':
      return 'bad slices';
    case 'duration':
      return target.aspect === 'support' ? 'late incidents' : 'late requests';
    case 'ticket':
      return 'late tickets';
    default:
      return 'bad measurements';
  }
}

/** How the error budget of a target stands, for a bar and its text. */
export interface BudgetView {
  /** Bar length, 0–100 (percent of the budget left; full when overspent, drawn red). */
  value: number;
  /** Colour of the bar: plenty left, running low (< 25 %), or spent. */
  tone: 'ok' | 'low' | 'spent' | 'none';
  /** "62 % of budget left", "overspent 2.3×", "no budget (objective 100 %)". */
  label: string;
  /** "412 of 1,100 allowed failed requests". */
  detail?: string;
}

/** Reads a target's error budget (product.md §3). */
export function describeBudget(
  item: TargetAttainment,
  target?: Target,
): BudgetView {
  const { allowed, consumed, remaining } = item.errorBudget;
  const unit = badUnit(target);
  if (allowed <= 0 || remaining === null) {
    const none = `no budget (objective ${formatPercent(item.objective)} %)`;
    if (consumed > 0 || remaining === null) {
      return {
        value: 100,
        tone: 'spent',
        label: `${none}, overspent`,
        detail: `${formatCount(consumed)} ${unit}, none allowed`,
      };
    }
    return {
      value: 0,
      tone: 'none',
      label: none,
      detail: `no ${unit} so far`,
    };
  }
  const detail = `${formatCount(consumed)} of ${formatCount(
    allowed,
  )} allowed ${unit}`;
  if (remaining < 0) {
    return {
      value: 100,
      tone: 'spent',
      label: `overspent ${formatBurnRate(1 - remaining)}`,
      detail,
    };
  }
  if (remaining === 0) {
    return { value: 0, tone: 'spent', label: 'budget used up', detail };
  }
  const percent = Math.min(100, remaining * 100);
  // Rounded down, like attainment: 0.6 % left never reads as "1 %".
  const decimals = percent < 10 ? 1 : 0;
  const shown = Math.floor(percent * 10 ** decimals + 1e-9) / 10 ** decimals;
  return {
    value: percent,
    tone: remaining < 0.25 ? 'low' : 'ok',
    label: `${new Intl.NumberFormat(LOCALE, {
      maximumFractionDigits: decimals,
    }).format(shown)} % of budget left`,
    detail,
  };
}

/** "2 h 15 min", "3 d 4 h", "45 min", "less than a minute". */
export function formatElapsed(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (mins && !days) parts.push(`${mins} min`);
  return parts.slice(0, 2).join(' ');
}
