import { TICKET_PAUSE_STATES } from '../ticketTypes';
import { DateTime } from 'luxon';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  TIMESLICE_RULE,
  isValidTimeZone,
  parsePositiveDuration,
  supportedTimesliceMs,
} from './durations';
import { parseInstant } from './parseInput';

/** A problem with one field of an input, e.g. `targets[0].objective`. @public */
export interface FieldError {
  field: string;
  message: string;
}

const KINDS = ['SLA', 'OLA', 'UC'];
const SCOPES = ['service', 'customer', 'multi-level'];
const CREATE_STATUSES = ['requirements', 'draft'];
const ASPECTS = [
  'availability',
  'performance',
  'timeliness',
  'support',
  'accuracy',
  'functionality',
  'experience',
];
const SLI_KINDS = ['ratio', 'threshold', 'duration', 'ticket'];
/** Metrics of experience targets that the backend evaluates from feedback. */
const FEEDBACK_METRICS = ['csat', 'promoters'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CALENDAR_UNITS = ['week', 'month', 'quarter', 'year'];
const TARGET_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const METRIC = /^[A-Za-z0-9_.:/-]{1,200}$/;
const LOCAL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Longest rolling window we accept: a year and a bit, so rollups stay bounded. */
const MAX_ROLLING_DAYS = 400;

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInstant(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

/**
 * A date and time that exists, with or without an offset: one-off
 * maintenance windows written without one are read in their time zone.
 */
function isDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T/.test(value) &&
    DateTime.fromISO(value, { setZone: true }).isValid
  );
}

/** Minutes since local midnight of "HH:mm" ("24:00" → 1440). @public */
export function localTimeToMinutes(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

class Collector {
  readonly errors: FieldError[] = [];
  add(field: string, message: string) {
    this.errors.push({ field, message });
  }
  text(
    field: string,
    value: unknown,
    opts: { required?: boolean; max: number },
  ) {
    if (value === undefined || value === null) {
      if (opts.required) this.add(field, 'is required');
      return;
    }
    if (typeof value !== 'string') {
      this.add(field, 'must be a string');
    } else if (opts.required && value.trim() === '') {
      this.add(field, 'must not be empty');
    } else if (value.length > opts.max) {
      this.add(field, `must be at most ${opts.max} characters`);
    }
  }
  oneOf(field: string, value: unknown, allowed: string[], required = false) {
    if (value === undefined) {
      if (required)
        this.add(field, `is required (one of ${allowed.join(', ')})`);
      return;
    }
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.add(field, `must be one of ${allowed.join(', ')}`);
    }
  }
  duration(field: string, value: unknown, required = true) {
    if (value === undefined) {
      if (required)
        this.add(field, 'is required (an ISO 8601 duration, e.g. PT1H)');
      return undefined;
    }
    const d = parsePositiveDuration(value);
    if (!d) {
      this.add(
        field,
        'must be a positive ISO 8601 duration, e.g. PT1H or P28D',
      );
    }
    return d;
  }
  timeZone(field: string, value: unknown, required = true) {
    if (value === undefined) {
      if (required)
        this.add(field, 'is required (an IANA time zone, e.g. Europe/Berlin)');
      return;
    }
    if (!isValidTimeZone(value)) {
      this.add(field, 'must be an IANA time zone, e.g. Europe/Berlin');
    }
  }
}

function validateCalendar(c: Collector, field: string, calendar: unknown) {
  if (!isObject(calendar)) {
    c.add(field, 'must be an object with timeZone and openingHours');
    return;
  }
  c.timeZone(`${field}.timeZone`, calendar.timeZone);
  const hours = calendar.openingHours;
  if (!isObject(hours)) {
    c.add(
      `${field}.openingHours`,
      'is required (e.g. { "mon": [["09:00", "17:00"]] })',
    );
  } else {
    const keys = Object.keys(hours);
    for (const day of keys) {
      const dayField = `${field}.openingHours.${day}`;
      if (!WEEKDAYS.includes(day)) {
        c.add(dayField, `is not a weekday (use ${WEEKDAYS.join(', ')})`);
        continue;
      }
      const intervals = hours[day];
      if (!Array.isArray(intervals)) {
        c.add(dayField, 'must be a list of ["HH:mm", "HH:mm"] pairs');
        continue;
      }
      let lastEnd = -1;
      intervals.forEach((interval: unknown, i: number) => {
        const f = `${dayField}[${i}]`;
        if (
          !Array.isArray(interval) ||
          interval.length !== 2 ||
          !interval.every(t => typeof t === 'string' && LOCAL_TIME.test(t))
        ) {
          c.add(f, 'must be a pair of local times ["HH:mm", "HH:mm"]');
          return;
        }
        const from = localTimeToMinutes(interval[0]);
        const to = localTimeToMinutes(interval[1]);
        if (to <= from) {
          c.add(f, 'must end after it starts');
        } else if (from < lastEnd) {
          c.add(f, 'overlaps the previous interval (list them in order)');
        }
        lastEnd = Math.max(lastEnd, to);
      });
    }
    if (keys.length === 0) {
      c.add(`${field}.openingHours`, 'must open on at least one weekday');
    }
  }
  if (calendar.holidays !== undefined) {
    if (!Array.isArray(calendar.holidays)) {
      c.add(`${field}.holidays`, 'must be a list of dates (YYYY-MM-DD)');
    } else {
      calendar.holidays.forEach((d: unknown, i: number) => {
        if (
          typeof d !== 'string' ||
          !LOCAL_DATE.test(d) ||
          !DateTime.fromISO(d).isValid
        ) {
          c.add(`${field}.holidays[${i}]`, 'must be a date (YYYY-MM-DD)');
        }
      });
    }
  }
}

function validateTarget(
  c: Collector,
  field: string,
  target: unknown,
  seenIds: Set<string>,
) {
  if (!isObject(target)) {
    c.add(field, 'must be an object');
    return;
  }
  if (target.id !== undefined) {
    if (typeof target.id !== 'string' || !TARGET_ID.test(target.id)) {
      c.add(
        `${field}.id`,
        'must be lower-case letters, digits and dashes (at most 63)',
      );
    } else if (seenIds.has(target.id)) {
      c.add(`${field}.id`, `"${target.id}" is used by another target`);
    } else {
      seenIds.add(target.id);
    }
  }
  c.text(`${field}.name`, target.name, { required: true, max: 200 });
  c.oneOf(`${field}.aspect`, target.aspect, ASPECTS, true);
  if (target.metric === undefined) {
    c.add(`${field}.metric`, 'is required (the measurement series name)');
  } else if (typeof target.metric !== 'string' || !METRIC.test(target.metric)) {
    c.add(
      `${field}.metric`,
      'must be a series name of letters, digits and _ . : / - (at most 200)',
    );
  }
  if (target.objective === undefined) {
    c.add(`${field}.objective`, 'is required (a percentage, e.g. 99.9)');
  } else if (
    typeof target.objective !== 'number' ||
    !Number.isFinite(target.objective) ||
    target.objective <= 0 ||
    target.objective > 100
  ) {
    c.add(
      `${field}.objective`,
      'must be a number greater than 0 and at most 100',
    );
  }

  const sli = target.sli;
  if (!isObject(sli)) {
    c.add(
      `${field}.sli`,
      'is required (an object with a kind: ratio, threshold, duration or ticket)',
    );
  } else {
    c.oneOf(`${field}.sli.kind`, sli.kind, SLI_KINDS, true);
    // XLAs measured from feedback (csat, promoters) count answers: a ratio.
    if (
      target.aspect === 'experience' &&
      FEEDBACK_METRICS.includes(target.metric) &&
      sli.kind !== 'ratio'
    ) {
      c.add(
        `${field}.sli.kind`,
        `must be ratio for an experience target measured from feedback (${target.metric})`,
      );
    }
    if (sli.kind === 'threshold') {
      c.oneOf(`${field}.sli.operator`, sli.operator, ['lte', 'gte'], true);
      if (sli.threshold === undefined) {
        c.add(`${field}.sli.threshold`, 'is required for a threshold SLI');
      } else if (
        typeof sli.threshold !== 'number' ||
        !Number.isFinite(sli.threshold)
      ) {
        c.add(`${field}.sli.threshold`, 'must be a number');
      }
      c.text(`${field}.sli.unit`, sli.unit, { max: 20 });
      if (target.timeslice !== undefined) {
        const slice = c.duration(`${field}.timeslice`, target.timeslice);
        if (slice && supportedTimesliceMs(target.timeslice) === undefined) {
          c.add(`${field}.timeslice`, TIMESLICE_RULE);
        }
      }
    } else if (sli.kind === 'duration') {
      c.duration(`${field}.sli.maxDuration`, sli.maxDuration);
      c.text(`${field}.sli.priority`, sli.priority, { max: 20 });
    } else if (sli.kind === 'ticket') {
      c.oneOf(
        `${field}.sli.measure`,
        sli.measure,
        ['response', 'resolution'],
        true,
      );
      c.duration(`${field}.sli.maxDuration`, sli.maxDuration);
      c.text(`${field}.sli.priority`, sli.priority, { max: 20 });
      if (sli.pauseStates !== undefined) {
        if (!Array.isArray(sli.pauseStates)) {
          c.add(`${field}.sli.pauseStates`, 'must be a list of states');
        } else {
          sli.pauseStates.forEach((state: unknown, i: number) => {
            if (!(TICKET_PAUSE_STATES as readonly unknown[]).includes(state)) {
              c.add(
                `${field}.sli.pauseStates[${i}]`,
                `must be one of ${TICKET_PAUSE_STATES.join(', ')}`,
              );
            }
          });
        }
      }
    }
    if (sli.kind !== 'threshold' && target.timeslice !== undefined) {
      c.add(`${field}.timeslice`, 'only applies to threshold SLIs');
    }
  }

  const window = target.window;
  if (!isObject(window)) {
    c.add(
      `${field}.window`,
      'is required ({ type: rolling, duration } or { type: calendar, unit, timeZone })',
    );
  } else if (window.type === 'rolling') {
    const d = c.duration(`${field}.window.duration`, window.duration);
    if (d && d.as('days') > MAX_ROLLING_DAYS) {
      c.add(
        `${field}.window.duration`,
        `must be at most ${MAX_ROLLING_DAYS} days`,
      );
    }
  } else if (window.type === 'calendar') {
    c.oneOf(`${field}.window.unit`, window.unit, CALENDAR_UNITS, true);
    c.timeZone(`${field}.window.timeZone`, window.timeZone);
  } else {
    c.add(`${field}.window.type`, 'must be one of rolling, calendar');
  }

  if (target.calendar !== undefined) {
    validateCalendar(c, `${field}.calendar`, target.calendar);
  }
  if (target.source !== undefined) {
    validateSource(c, `${field}.source`, target.source, sli);
  }
}

function validateSource(
  c: Collector,
  field: string,
  source: unknown,
  sli: any,
) {
  if (!isObject(source)) {
    c.add(
      field,
      'must be an object with a type, e.g. { "type": "prometheus" }',
    );
    return;
  }
  if (
    typeof source.type !== 'string' ||
    !/^[a-z][a-z0-9-]{0,49}$/.test(source.type)
  ) {
    c.add(`${field}.type`, 'must name a metric source module, e.g. prometheus');
  }
  for (const key of ['good', 'total', 'value']) {
    c.text(`${field}.${key}`, source[key], { max: 2000 });
  }
  if (
    source.template !== undefined &&
    (typeof source.template !== 'string' ||
      !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(source.template))
  ) {
    c.add(
      `${field}.template`,
      'must name a query template: letters, digits, ".", "_" or "-", at most 100',
    );
  }
  if (source.parameters !== undefined) {
    validateSourceParameters(c, `${field}.parameters`, source.parameters);
  }
  const kind = isObject(sli) ? sli.kind : undefined;
  if (
    kind === 'ratio' &&
    (source.good === undefined) !== (source.total === undefined)
  ) {
    c.add(field, 'needs both good and total queries for a ratio SLI');
  }
  if (kind === 'duration') {
    c.add(field, 'cannot read duration events; push them to /measurements');
  }
  if (kind === 'ticket') {
    c.add(field, 'cannot read tickets; push them to /tickets or a ticket feed');
  }
}

/** Template parameters: a few names, each with a non-empty text value. */
function validateSourceParameters(
  c: Collector,
  field: string,
  parameters: unknown,
) {
  if (!isObject(parameters)) {
    c.add(field, 'must be an object of names and text values');
    return;
  }
  const names = Object.keys(parameters);
  if (names.length > 20) {
    c.add(field, 'must have at most 20 parameters');
  }
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/.test(name)) {
      c.add(
        `${field}.${name}`,
        'must be named with letters, digits, ".", "_" or "-" (at most 63)',
      );
      continue;
    }
    c.text(`${field}.${name}`, parameters[name], { required: true, max: 1024 });
  }
}

function validateMaintenanceWindow(c: Collector, field: string, w: unknown) {
  if (!isObject(w)) {
    c.add(field, 'must be an object');
    return;
  }
  c.text(`${field}.description`, w.description, { max: 500 });
  const oneOff = w.start !== undefined || w.end !== undefined;
  if (oneOff && w.weekly !== undefined) {
    c.add(field, 'must be either one-off (start, end) or weekly, not both');
    return;
  }
  if (oneOff) {
    if (!isDateTime(w.start))
      c.add(`${field}.start`, 'must be an ISO 8601 instant');
    if (!isDateTime(w.end))
      c.add(`${field}.end`, 'must be an ISO 8601 instant');
    if (
      isDateTime(w.start) &&
      isDateTime(w.end) &&
      DateTime.fromISO(w.end) <= DateTime.fromISO(w.start)
    ) {
      c.add(`${field}.end`, 'must be after start');
    }
  } else if (isObject(w.weekly)) {
    const weekly = w.weekly;
    c.oneOf(`${field}.weekly.day`, weekly.day, WEEKDAYS, true);
    const times = ['from', 'to'].map(key => {
      const v = weekly[key];
      if (typeof v !== 'string' || !LOCAL_TIME.test(v)) {
        c.add(`${field}.weekly.${key}`, 'must be a local time HH:mm');
        return undefined;
      }
      return localTimeToMinutes(v);
    });
    if (
      times[0] !== undefined &&
      times[1] !== undefined &&
      times[1] <= times[0]
    ) {
      c.add(`${field}.weekly.to`, 'must be after from');
    }
    c.timeZone(`${field}.timeZone`, w.timeZone);
  } else {
    c.add(field, 'needs start and end, or a weekly recurrence');
  }
}

/**
 * Checks an agreement as a client sends it (create or update) against the
 * rules of product.md §3/§4. Returns every problem, each naming its field.
 * @public
 */
export function validateAgreementInput(
  input: unknown,
  mode: 'create' | 'update' = 'create',
): FieldError[] {
  const c = new Collector();
  if (!isObject(input)) {
    c.add('body', 'must be a JSON object');
    return c.errors;
  }
  c.oneOf('kind', input.kind, KINDS, true);
  c.oneOf('scope', input.scope, SCOPES);
  if (input.entityRef === undefined) {
    c.add('entityRef', 'is required (e.g. component:default/payments)');
  } else {
    try {
      if (typeof input.entityRef !== 'string') throw new Error();
      const ref = parseEntityRef(input.entityRef);
      if (!input.entityRef.includes(':')) {
        throw new Error(`${ref.name}`);
      }
    } catch {
      c.add(
        'entityRef',
        'must be an entity ref of the form kind:namespace/name',
      );
    }
  }
  c.text('title', input.title, { required: true, max: 200 });
  c.text('description', input.description, { max: 10000 });
  c.text('customer', input.customer, { max: 200 });
  c.text('provider', input.provider, { max: 200 });
  if (mode === 'create') {
    c.oneOf('status', input.status, CREATE_STATUSES);
  } else if (input.version === undefined) {
    c.add('version', 'is required: send the version the agreement was read at');
  }
  if (
    input.version !== undefined &&
    (!Number.isInteger(input.version) || input.version < 1)
  ) {
    c.add('version', 'must be a positive integer');
  }
  for (const key of ['validFrom', 'validUntil']) {
    if (input[key] !== undefined && !isInstant(input[key])) {
      c.add(key, 'must be an ISO 8601 instant, e.g. 2026-01-01T00:00:00Z');
    }
  }
  if (
    isInstant(input.validFrom) &&
    isInstant(input.validUntil) &&
    DateTime.fromISO(input.validUntil) <= DateTime.fromISO(input.validFrom)
  ) {
    c.add('validUntil', 'must be after validFrom');
  }
  if (input.reviewInterval !== undefined) {
    c.duration('reviewInterval', input.reviewInterval);
  }
  if (input.maintenanceWindows !== undefined) {
    if (!Array.isArray(input.maintenanceWindows)) {
      c.add('maintenanceWindows', 'must be a list');
    } else {
      input.maintenanceWindows.forEach((w: unknown, i: number) =>
        validateMaintenanceWindow(c, `maintenanceWindows[${i}]`, w),
      );
    }
  }
  if (input.targets === undefined) {
    c.add('targets', 'is required (a list, possibly empty)');
  } else if (!Array.isArray(input.targets)) {
    c.add('targets', 'must be a list');
  } else {
    if (input.targets.length > 100) {
      c.add('targets', 'must have at most 100 targets');
    }
    const seen = new Set<string>();
    input.targets.forEach((t: unknown, i: number) =>
      validateTarget(c, `targets[${i}]`, t, seen),
    );
  }
  return c.errors;
}

/** One line per error, "field message; field message". @public */
export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map(e => `${e.field} ${e.message}`).join('; ');
}

/**
 * Splits a message produced by formatFieldErrors (e.g. a backend 400) back
 * into errors per field, so a form can show them at the field.
 * @public
 */
export function parseFieldErrors(message: string): FieldError[] {
  return message
    .split('; ')
    .map(part => {
      const m = /^([A-Za-z][\w.[\]]*) (.+)$/.exec(part.trim());
      return m ? { field: m[1], message: m[2] } : undefined;
    })
    .filter((e): e is FieldError => !!e);
}
