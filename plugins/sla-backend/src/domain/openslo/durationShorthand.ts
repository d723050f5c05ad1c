import { Duration } from 'luxon';

const SHORTHAND = /^([1-9]\d*)([mhdwMQY])$/;

/** The ISO 8601 form of each OpenSLO shorthand unit (Q is three months). */
const ISO_OF: Record<string, (n: number) => string> = {
  m: n => `PT${n}M`,
  h: n => `PT${n}H`,
  d: n => `P${n}D`,
  w: n => `P${n}W`,
  M: n => `P${n}M`,
  Q: n => `P${3 * n}M`,
  Y: n => `P${n}Y`,
};

const SHORTHAND_OF: Record<string, string> = {
  minutes: 'm',
  hours: 'h',
  days: 'd',
  weeks: 'w',
  months: 'M',
  years: 'Y',
};

/** Whether a value is an OpenSLO duration-shorthand (`12h`, `4w`, `1M`). */
export function isDurationShorthand(value: unknown): value is string {
  return typeof value === 'string' && SHORTHAND.test(value);
}

/**
 * OpenSLO duration-shorthand → ISO 8601 (`28d` → `P28D`, `1Q` → `P3M`);
 * undefined when it is not a shorthand.
 */
export function shorthandToIso(value: string): string | undefined {
  const m = SHORTHAND.exec(value);
  return m ? ISO_OF[m[2]](Number(m[1])) : undefined;
}

/**
 * ISO 8601 → OpenSLO duration-shorthand. A duration of one unit keeps it
 * (`P28D` → `28d`, `PT720H` → `720h`), so importing it again gives the same
 * text; a mixed one becomes whole minutes (`P1DT12H` → `2160m`). Undefined
 * when there is no shorthand for it (seconds, fractions, months mixed with
 * days).
 */
export function isoToShorthand(iso: string): string | undefined {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return undefined;
  const parts = Object.entries(duration.toObject()).filter(([, v]) => v);
  if (parts.length === 1) {
    const [unit, n] = parts[0];
    if (SHORTHAND_OF[unit] && Number.isInteger(n) && (n as number) > 0) {
      return `${n}${SHORTHAND_OF[unit]}`;
    }
  }
  if (parts.some(([unit]) => unit === 'months' || unit === 'years')) {
    return undefined;
  }
  const minutes = duration.as('minutes');
  return Number.isInteger(minutes) && minutes > 0 ? `${minutes}m` : undefined;
}
