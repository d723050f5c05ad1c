import { Duration } from 'luxon';
import {
  humanizeDuration,
  parsePositiveDuration,
  supportedTimesliceMs,
} from '@opensla/backstage-plugin-sla-common';

/**
 * The lengths the agreement editor offers in plain words ("rolling 28
 * days", "every 3 months"), each the ISO 8601 duration the API takes, and
 * the custom "number + unit" choice for anything else. Pure: the editor's
 * selects are built from these lists and tested through them.
 */

/** A unit of the custom "number + unit" choice. */
export type DurationUnit =
  | 'minutes'
  | 'hours'
  | 'days'
  | 'weeks'
  | 'months'
  | 'years';

/** A preset: the ISO value sent and the words shown. */
export type DurationPreset = { iso: string; label: string };

const UNIT_ISO: Record<DurationUnit, (n: string) => string> = {
  minutes: n => `PT${n}M`,
  hours: n => `PT${n}H`,
  days: n => `P${n}D`,
  weeks: n => `P${n}W`,
  months: n => `P${n}M`,
  years: n => `P${n}Y`,
};

/** Plural unit words, as the custom unit select shows them. */
export const UNIT_LABELS: Record<DurationUnit, string> = {
  minutes: 'minutes',
  hours: 'hours',
  days: 'days',
  weeks: 'weeks',
  months: 'months',
  years: 'years',
};

/**
 * "28" + days → "P28D". An amount that is not a whole number above zero is
 * passed on as typed, so that validation names the field.
 */
export function amountToIso(amount: string, unit: DurationUnit): string {
  const trimmed = amount.trim();
  if (trimmed === '') return '';
  return UNIT_ISO[unit](trimmed);
}

const FIXED_MS: Partial<Record<DurationUnit, number>> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/**
 * The custom choice that spells `iso` with one of `units`: its own unit
 * when it has one component ("P3M" → 3 months), else the largest fixed
 * unit that holds it a whole number of times ("PT90M" → 90 minutes,
 * "P1DT12H" → 36 hours). Undefined when none does.
 */
export function isoToAmount(
  iso: string,
  units: DurationUnit[],
): { amount: string; unit: DurationUnit } | undefined {
  const duration = parsePositiveDuration(iso);
  if (!duration) return undefined;
  const parts = Object.entries(duration.toObject()).filter(([, v]) => v);
  if (parts.length === 1) {
    const [key, value] = parts[0] as [DurationUnit | 'seconds', number];
    if (key !== 'seconds' && units.includes(key) && Number.isInteger(value)) {
      return { amount: String(value), unit: key };
    }
  }
  const { years, months } = duration.toObject();
  if (years || months) return undefined;
  const ms = duration.toMillis();
  const fixed = [...units]
    .filter(u => FIXED_MS[u] !== undefined)
    .sort((a, b) => FIXED_MS[b]! - FIXED_MS[a]!);
  for (const unit of fixed) {
    if (ms % FIXED_MS[unit]! === 0) {
      return { amount: String(ms / FIXED_MS[unit]!), unit };
    }
  }
  return undefined;
}

/** The preset whose ISO value is `iso` (same spelling, or the same fixed length). */
export function findPreset(
  presets: DurationPreset[],
  iso: string,
): DurationPreset | undefined {
  const exact = presets.find(p => p.iso === iso);
  if (exact) return exact;
  const duration = parsePositiveDuration(iso);
  if (!duration) return undefined;
  const { years, months } = duration.toObject();
  if (years || months) return undefined;
  return presets.find(p => {
    const preset = Duration.fromISO(p.iso).toObject();
    return (
      !preset.years &&
      !preset.months &&
      Duration.fromISO(p.iso).toMillis() === duration.toMillis()
    );
  });
}

/** "P28D" → "28 days"; an invalid value is shown as it is. */
export function durationInWords(iso: string): string {
  return humanizeDuration(iso);
}

/** Rolling windows offered by name; anything else is "custom". */
export const ROLLING_WINDOW_PRESETS: DurationPreset[] = [
  { iso: 'P7D', label: 'rolling 7 days' },
  { iso: 'P28D', label: 'rolling 28 days' },
  { iso: 'P30D', label: 'rolling 30 days' },
  { iso: 'P90D', label: 'rolling 90 days' },
];

/** Units of a custom rolling window (at most 400 days, see the validator). */
export const ROLLING_WINDOW_UNITS: DurationUnit[] = ['hours', 'days', 'weeks'];

/** Calendar periods, each in the target's time zone. */
export const CALENDAR_WINDOW_PRESETS: Array<{
  unit: 'week' | 'month' | 'quarter' | 'year';
  label: string;
}> = [
  { unit: 'week', label: 'calendar week (from Monday)' },
  { unit: 'month', label: 'calendar month' },
  { unit: 'quarter', label: 'calendar quarter' },
  { unit: 'year', label: 'calendar year' },
];

/**
 * How often the agreement itself is reviewed; empty means the default,
 * once a year (docs/api.md, nextReviewDue).
 */
export const REVIEW_INTERVAL_PRESETS: DurationPreset[] = [
  { iso: 'P1M', label: 'every month' },
  { iso: 'P3M', label: 'every 3 months' },
  { iso: 'P6M', label: 'every 6 months' },
  { iso: 'P1Y', label: 'every year' },
];

export const REVIEW_INTERVAL_UNITS: DurationUnit[] = [
  'weeks',
  'months',
  'years',
];

/** Common limits of duration targets (resolution and response times). */
export const MAX_DURATION_PRESETS: DurationPreset[] = [
  { iso: 'PT15M', label: '15 minutes' },
  { iso: 'PT30M', label: '30 minutes' },
  { iso: 'PT1H', label: '1 hour' },
  { iso: 'PT2H', label: '2 hours' },
  { iso: 'PT4H', label: '4 hours' },
  { iso: 'PT8H', label: '8 hours' },
  { iso: 'P1D', label: '1 day' },
  { iso: 'P3D', label: '3 days' },
  { iso: 'P5D', label: '5 days' },
];

export const MAX_DURATION_UNITS: DurationUnit[] = ['minutes', 'hours', 'days'];

const HOUR_S = 3600;

function secondsToIso(seconds: number): string {
  if (seconds === HOUR_S) return 'PT1H';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `PT${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/**
 * Every timeslice length the backend accepts (whole seconds from one
 * minute to one hour that divide an hour, `supportedTimesliceMs`), whole
 * minutes first. Built from the rule, so the editor never offers a length
 * the API refuses.
 */
export const TIMESLICE_CHOICES: Array<
  DurationPreset & { wholeMinutes: boolean }
> = Array.from({ length: HOUR_S - 59 }, (_, i) => i + 60)
  .filter(seconds => HOUR_S % seconds === 0)
  .map(seconds => {
    const iso = secondsToIso(seconds);
    return {
      iso,
      label: humanizeDuration(iso),
      wholeMinutes: seconds % 60 === 0,
    };
  })
  .filter(choice => supportedTimesliceMs(choice.iso) !== undefined);

/** The offered timeslice of the same length as `iso` (e.g. "PT90S" → "PT1M30S"). */
export function findTimeslice(iso: string) {
  const ms = supportedTimesliceMs(iso);
  return ms === undefined
    ? undefined
    : TIMESLICE_CHOICES.find(c => supportedTimesliceMs(c.iso) === ms);
}
