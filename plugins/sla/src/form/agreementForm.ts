import { DateTime } from 'luxon';
import type {
  Agreement,
  AgreementInput,
  AgreementKind,
  AgreementScope,
  Aspect,
  BusinessCalendar,
  MaintenanceWindow,
  TargetSource,
  TargetWindow,
  TicketPauseState,
} from '@opensla/backstage-plugin-sla-common';

type CalendarUnit = Extract<TargetWindow, { type: 'calendar' }>['unit'];

/**
 * One target as the editor holds it: every input is a string, exactly as
 * typed, so that validation can report on what the user entered.
 */
export interface TargetFormValues {
  /** Stable React key; targets can be removed from the middle of the list. */
  key: string;
  /** Kept from the stored target so that attainment history stays attached. */
  id?: string;
  name: string;
  aspect: Aspect;
  metric: string;
  sliKind: 'ratio' | 'threshold' | 'duration' | 'ticket';
  /** Ticket SLIs: what the clock measures. */
  measure: 'response' | 'resolution';
  /** Ticket SLIs: pause states, carried over unchanged (default when absent). */
  pauseStates?: TicketPauseState[];
  operator: 'lte' | 'gte';
  threshold: string;
  unit: string;
  timeslice: string;
  maxDuration: string;
  priority: string;
  objective: string;
  windowType: 'rolling' | 'calendar';
  windowDuration: string;
  windowUnit: CalendarUnit;
  windowTimeZone: string;
  /** Business hours of duration targets: standard ones from the editor, others kept. */
  calendar?: BusinessCalendar;
  /** Where a metric source reads it: a Prometheus template picked in the editor, others kept. */
  source?: TargetSource;
}

/** Start status of a new agreement: a customer's requirement, or straight to a draft. */
export type InitialStatus = 'requirements' | 'draft';

/** The whole agreement as the editor holds it. */
export interface AgreementFormValues {
  entityRef: string;
  /** Set when editing: the version the agreement was read at. */
  version?: number;
  kind: AgreementKind;
  scope: AgreementScope | '';
  title: string;
  description: string;
  customer: string;
  provider: string;
  initialStatus: InitialStatus;
  /** Local dates (YYYY-MM-DD) from date inputs. */
  validFrom: string;
  validUntil: string;
  reviewInterval: string;
  targets: TargetFormValues[];
  /** Not editable here; carried over unchanged. */
  maintenanceWindows?: MaintenanceWindow[];
  /** The stored instants, reused when the date was not changed. */
  storedValidFrom?: string;
  storedValidUntil?: string;
}

let keySequence = 0;
function nextKey(): string {
  keySequence += 1;
  return `target-${keySequence}`;
}

function defaultTimeZone(): string {
  return DateTime.local().zoneName ?? 'UTC';
}

/** A blank target with the most common choices preselected. */
export function newTargetFormValues(): TargetFormValues {
  return {
    key: nextKey(),
    name: '',
    aspect: 'availability',
    metric: '',
    sliKind: 'ratio',
    operator: 'lte',
    threshold: '',
    unit: 'ms',
    timeslice: '',
    maxDuration: 'PT4H',
    priority: '',
    measure: 'resolution',
    objective: '',
    windowType: 'rolling',
    windowDuration: 'P28D',
    windowUnit: 'month',
    windowTimeZone: defaultTimeZone(),
  };
}

/** The form for a new agreement on `entityRef`, with no targets yet. */
export function emptyAgreementFormValues(
  entityRef: string,
): AgreementFormValues {
  return {
    entityRef,
    kind: 'SLA',
    scope: 'service',
    title: '',
    description: '',
    customer: '',
    provider: '',
    initialStatus: 'requirements',
    validFrom: '',
    validUntil: '',
    reviewInterval: '',
    targets: [],
  };
}

function instantToDate(instant: string | undefined): string {
  if (!instant) return '';
  // The editor writes validity at UTC day boundaries, so read it back in UTC.
  const date = DateTime.fromISO(instant, { zone: 'utc' });
  return date.isValid ? date.toISODate()! : instant;
}

/** The form for editing a stored agreement. */
export function agreementToFormValues(
  agreement: Agreement,
): AgreementFormValues {
  const targets = agreement.targets.map(target => {
    const values: TargetFormValues = {
      ...newTargetFormValues(),
      id: target.id,
      name: target.name,
      aspect: target.aspect,
      metric: target.metric,
      sliKind: target.sli.kind,
      objective: String(target.objective),
      timeslice: target.timeslice ?? '',
      calendar: target.calendar,
      source: target.source,
    };
    if (target.sli.kind === 'threshold') {
      values.operator = target.sli.operator;
      values.threshold = String(target.sli.threshold);
      values.unit = target.sli.unit ?? '';
    } else if (target.sli.kind === 'duration') {
      values.maxDuration = target.sli.maxDuration;
      values.priority = target.sli.priority ?? '';
    } else if (target.sli.kind === 'ticket') {
      values.measure = target.sli.measure;
      values.maxDuration = target.sli.maxDuration;
      values.priority = target.sli.priority ?? '';
      values.pauseStates = target.sli.pauseStates;
    }
    if (target.window.type === 'rolling') {
      values.windowType = 'rolling';
      values.windowDuration = target.window.duration;
      // Business hours are counted in their zone, which the editor shows as the target's.
      if (target.calendar) values.windowTimeZone = target.calendar.timeZone;
    } else {
      values.windowType = 'calendar';
      values.windowUnit = target.window.unit;
      values.windowTimeZone = target.window.timeZone;
    }
    return values;
  });
  return {
    entityRef: agreement.entityRef,
    version: agreement.version,
    kind: agreement.kind,
    scope: agreement.scope ?? '',
    title: agreement.title,
    description: agreement.description ?? '',
    customer: agreement.customer ?? '',
    provider: agreement.provider ?? '',
    initialStatus: 'requirements',
    validFrom: instantToDate(agreement.validFrom),
    validUntil: instantToDate(agreement.validUntil),
    reviewInterval: agreement.reviewInterval ?? '',
    targets,
    maintenanceWindows: agreement.maintenanceWindows,
    storedValidFrom: agreement.validFrom,
    storedValidUntil: agreement.validUntil,
  };
}

function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** '' → undefined (reported as required); anything else → a number, NaN when not one. */
function optionalNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/**
 * A date input's value as an instant: the start of the day for validFrom and
 * the end of the day for validUntil (an agreement valid until 31 Dec covers
 * that day), both in UTC. Text that is not a date is passed on so that
 * validation names the field.
 */
function dateToInstant(
  date: string,
  edge: 'start' | 'end',
  stored: string | undefined,
): string | undefined {
  const trimmed = date.trim();
  if (trimmed === '') return undefined;
  if (stored && instantToDate(stored) === trimmed) return stored;
  const day = DateTime.fromISO(trimmed, { zone: 'utc' });
  if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
  return (edge === 'start' ? day.startOf('day') : day.endOf('day')).toISO()!;
}

/** One target as sent: numbers parsed, empty optional fields left out. */
export function targetFormValuesToInput(
  values: TargetFormValues,
): AgreementInput['targets'][0] {
  let sli: AgreementInput['targets'][0]['sli'];
  if (values.sliKind === 'threshold') {
    sli = {
      kind: 'threshold',
      operator: values.operator,
      threshold: optionalNumber(values.threshold) as number,
      unit: optionalText(values.unit),
    };
  } else if (values.sliKind === 'duration') {
    sli = {
      kind: 'duration',
      maxDuration: values.maxDuration.trim(),
      priority: optionalText(values.priority),
    };
  } else if (values.sliKind === 'ticket') {
    sli = {
      kind: 'ticket',
      measure: values.measure,
      maxDuration: values.maxDuration.trim(),
      priority: optionalText(values.priority),
      ...(values.pauseStates ? { pauseStates: values.pauseStates } : {}),
    };
  } else {
    sli = { kind: 'ratio' };
  }
  const window: TargetWindow =
    values.windowType === 'rolling'
      ? { type: 'rolling', duration: values.windowDuration.trim() }
      : {
          type: 'calendar',
          unit: values.windowUnit,
          timeZone: values.windowTimeZone.trim(),
        };
  return dropUndefined({
    id: values.id,
    name: values.name.trim(),
    aspect: values.aspect,
    // Left out when empty, so that validation says it is required.
    metric: optionalText(values.metric) as string,
    sli: dropUndefined(sli),
    objective: optionalNumber(values.objective) as number,
    window,
    calendar: values.calendar,
    source: values.source,
    timeslice:
      values.sliKind === 'threshold'
        ? optionalText(values.timeslice)
        : undefined,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** What the editor sends: a create body, or an update body with `version`. */
export function formValuesToInput(values: AgreementFormValues): AgreementInput {
  const editing = values.version !== undefined;
  return dropUndefined<AgreementInput>({
    kind: values.kind,
    scope: values.scope === '' ? undefined : values.scope,
    entityRef: values.entityRef,
    title: values.title.trim(),
    description: optionalText(values.description),
    customer: optionalText(values.customer),
    provider: optionalText(values.provider),
    status: editing ? undefined : values.initialStatus,
    validFrom: dateToInstant(values.validFrom, 'start', values.storedValidFrom),
    validUntil: dateToInstant(
      values.validUntil,
      'end',
      values.storedValidUntil,
    ),
    reviewInterval: optionalText(values.reviewInterval),
    maintenanceWindows: values.maintenanceWindows,
    targets: values.targets.map(targetFormValuesToInput),
    version: values.version,
  });
}

/**
 * The field paths (as validateAgreementInput names them) that have an input
 * in the editor for these values; errors on other paths are listed above
 * the form instead.
 */
export function formFieldPaths(values: AgreementFormValues): string[] {
  const paths = [
    'kind',
    'scope',
    'title',
    'description',
    'customer',
    'provider',
    'validFrom',
    'validUntil',
    'reviewInterval',
    'targets',
  ];
  if (values.version === undefined) paths.push('status');
  values.targets.forEach((target, index) => {
    const prefix = `targets[${index}]`;
    paths.push(
      prefix,
      `${prefix}.name`,
      `${prefix}.aspect`,
      `${prefix}.metric`,
      `${prefix}.sli.kind`,
      `${prefix}.objective`,
      `${prefix}.window.type`,
    );
    if (target.sliKind === 'threshold') {
      paths.push(
        `${prefix}.sli.operator`,
        `${prefix}.sli.threshold`,
        `${prefix}.sli.unit`,
        `${prefix}.timeslice`,
      );
    } else if (target.sliKind === 'duration') {
      paths.push(`${prefix}.sli.maxDuration`, `${prefix}.sli.priority`);
    } else if (target.sliKind === 'ticket') {
      paths.push(
        `${prefix}.sli.measure`,
        `${prefix}.sli.maxDuration`,
        `${prefix}.sli.priority`,
        `${prefix}.sli.pauseStates`,
      );
    }
    for (const name of Object.keys(target.source?.parameters ?? {})) {
      paths.push(`${prefix}.source.parameters.${name}`);
    }
    if (target.windowType === 'rolling') {
      paths.push(`${prefix}.window.duration`);
    } else {
      paths.push(`${prefix}.window.unit`, `${prefix}.window.timeZone`);
    }
  });
  return paths;
}
