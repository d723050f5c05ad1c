import type { FieldError } from '@opensla/backstage-plugin-sla-common';
import { isDurationShorthand } from './durationShorthand';

/** The kinds of OpenSLO v1 (README "General Schema"). */
export const OPENSLO_KINDS = [
  'DataSource',
  'SLO',
  'SLI',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
  'Service',
];

/**
 * RFC 1123 labels as every implementation must support them, widened to
 * what the spec encourages (up to 255 characters, also `.`, `|`, `/`, `\`).
 */
const NAME = /^[a-z0-9](?:[a-z0-9\-.|/\\]{0,253}[a-z0-9])?$/;
const MAX_DESCRIPTION = 1050;

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly errors: FieldError[] = [];
  add(field: string, message: string) {
    this.errors.push({ field, message });
  }
  description(field: string, value: unknown) {
    if (value === undefined) return;
    if (typeof value !== 'string') this.add(field, 'must be a string');
    else if (value.length > MAX_DESCRIPTION) {
      this.add(field, `must be at most ${MAX_DESCRIPTION} characters`);
    }
  }
  string(field: string, value: unknown, required: boolean) {
    if (value === undefined) {
      if (required) this.add(field, 'is required');
    } else if (typeof value !== 'string' || value.trim() === '') {
      this.add(field, 'must be a non-empty string');
    }
  }
  shorthand(field: string, value: unknown, required: boolean) {
    if (value === undefined) {
      if (required) this.add(field, 'is required (e.g. 5m, 1h, 28d)');
    } else if (!isDurationShorthand(value)) {
      this.add(
        field,
        'must be a duration shorthand: a positive integer and one of m h d w M Q Y (e.g. 5m, 28d, 1M)',
      );
    }
  }
}

function validateMetadata(p: Problems, field: string, metadata: unknown) {
  if (!isObject(metadata)) {
    p.add(field, 'is required (an object with a name)');
    return;
  }
  if (metadata.name === undefined) {
    p.add(`${field}.name`, 'is required');
  } else if (typeof metadata.name !== 'string' || !NAME.test(metadata.name)) {
    p.add(
      `${field}.name`,
      'must be lower-case letters, digits and dashes (RFC 1123), starting and ending with a letter or digit',
    );
  }
  if (metadata.displayName !== undefined) {
    p.string(`${field}.displayName`, metadata.displayName, false);
  }
  if (metadata.annotations !== undefined) {
    if (!isObject(metadata.annotations)) {
      p.add(`${field}.annotations`, 'must be a map of strings');
    } else {
      for (const [key, value] of Object.entries(metadata.annotations)) {
        if (typeof value !== 'string') {
          p.add(`${field}.annotations["${key}"]`, 'must be a string');
        }
      }
    }
  }
}

function validateMetricSource(p: Problems, field: string, value: unknown) {
  if (!isObject(value) || !isObject(value.metricSource)) {
    p.add(`${field}.metricSource`, 'is required (with type and spec)');
    return;
  }
  const source = value.metricSource;
  const f = `${field}.metricSource`;
  if (source.metricSourceRef !== undefined) {
    p.string(`${f}.metricSourceRef`, source.metricSourceRef, false);
  }
  if (source.type === undefined && source.metricSourceRef === undefined) {
    p.add(`${f}.type`, 'is required when there is no metricSourceRef');
  } else if (source.type !== undefined) {
    p.string(`${f}.type`, source.type, false);
  }
  if (!isObject(source.spec)) {
    p.add(`${f}.spec`, 'is required (an object, e.g. { query: ... })');
  }
}

/** The spec of an SLI, inline (`indicator`) or as an SLI document. */
function validateSliSpec(p: Problems, field: string, spec: unknown) {
  if (!isObject(spec)) {
    p.add(field, 'is required (with thresholdMetric or ratioMetric)');
    return;
  }
  p.description(`${field}.description`, spec.description);
  const hasThreshold = spec.thresholdMetric !== undefined;
  const hasRatio = spec.ratioMetric !== undefined;
  if (hasThreshold === hasRatio) {
    p.add(field, 'must have exactly one of thresholdMetric or ratioMetric');
    return;
  }
  if (hasThreshold) {
    validateMetricSource(p, `${field}.thresholdMetric`, spec.thresholdMetric);
    return;
  }
  const ratio = spec.ratioMetric;
  const f = `${field}.ratioMetric`;
  if (!isObject(ratio)) {
    p.add(f, 'must be an object');
    return;
  }
  if (ratio.counter !== undefined && typeof ratio.counter !== 'boolean') {
    p.add(`${f}.counter`, 'must be true or false');
  }
  if (ratio.raw !== undefined) {
    for (const key of ['good', 'bad', 'total']) {
      if (ratio[key] !== undefined) {
        p.add(`${f}.${key}`, 'cannot be used together with raw');
      }
    }
    if (!['success', 'failure'].includes(ratio.rawType)) {
      p.add(`${f}.rawType`, 'is required with raw (success or failure)');
    }
    validateMetricSource(p, `${f}.raw`, ratio.raw);
    return;
  }
  if (ratio.rawType !== undefined) {
    p.add(`${f}.rawType`, 'is only used with raw');
  }
  if (ratio.total === undefined) {
    p.add(`${f}.total`, 'is required (or raw with rawType)');
  } else {
    validateMetricSource(p, `${f}.total`, ratio.total);
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    p.add(f, 'must have exactly one of good or bad, with total');
  }
  for (const key of ['good', 'bad']) {
    if (ratio[key] !== undefined) {
      validateMetricSource(p, `${f}.${key}`, ratio[key]);
    }
  }
}

function validateObjective(
  p: Problems,
  field: string,
  objective: unknown,
  budgetingMethod: unknown,
) {
  if (!isObject(objective)) {
    p.add(field, 'must be an object');
    return;
  }
  if (objective.displayName !== undefined) {
    p.string(`${field}.displayName`, objective.displayName, false);
  }
  const hasTarget = objective.target !== undefined;
  const hasPercent = objective.targetPercent !== undefined;
  if (hasTarget && hasPercent) {
    p.add(field, 'must have target or targetPercent, not both');
  } else if (!hasTarget && !hasPercent) {
    p.add(`${field}.target`, 'is required (or targetPercent)');
  } else if (hasTarget) {
    const t = objective.target;
    if (typeof t !== 'number' || !(t >= 0 && t < 1)) {
      p.add(
        `${field}.target`,
        'must be a number from 0 up to (not including) 1',
      );
    }
  } else {
    const t = objective.targetPercent;
    if (typeof t !== 'number' || !(t >= 0 && t < 100)) {
      p.add(
        `${field}.targetPercent`,
        'must be a number from 0 up to (not including) 100',
      );
    }
  }
  if (
    objective.op !== undefined &&
    !['lte', 'gte', 'lt', 'gt'].includes(objective.op)
  ) {
    p.add(`${field}.op`, 'must be one of lte, gte, lt, gt');
  }
  if (objective.value !== undefined && typeof objective.value !== 'number') {
    p.add(`${field}.value`, 'must be a number');
  }
  const timeslices =
    budgetingMethod === 'Timeslices' || budgetingMethod === 'RatioTimeslices';
  if (objective.timeSliceTarget !== undefined) {
    const t = objective.timeSliceTarget;
    if (typeof t !== 'number' || !(t > 0 && t <= 1)) {
      p.add(`${field}.timeSliceTarget`, 'must be a number above 0, at most 1');
    }
  } else if (budgetingMethod === 'Timeslices') {
    p.add(`${field}.timeSliceTarget`, 'is required with Timeslices');
  }
  const w = objective.timeSliceWindow;
  if (w === undefined) {
    if (timeslices) {
      p.add(`${field}.timeSliceWindow`, `is required with ${budgetingMethod}`);
    }
  } else if (
    !(typeof w === 'number' && Number.isInteger(w) && w > 0) &&
    !isDurationShorthand(w)
  ) {
    p.add(
      `${field}.timeSliceWindow`,
      'must be whole minutes (e.g. 5) or a duration shorthand (e.g. 1m, 5m)',
    );
  }
}

function validateTimeWindow(p: Problems, field: string, timeWindow: unknown) {
  if (timeWindow === undefined) return;
  if (!Array.isArray(timeWindow) || timeWindow.length !== 1) {
    p.add(field, 'must be a list of exactly one time window');
    return;
  }
  const w = timeWindow[0];
  const f = `${field}[0]`;
  if (!isObject(w)) {
    p.add(f, 'must be an object');
    return;
  }
  p.shorthand(`${f}.duration`, w.duration, true);
  if (w.isRolling !== undefined && typeof w.isRolling !== 'boolean') {
    p.add(`${f}.isRolling`, 'must be true or false');
  }
  if (w.calendar !== undefined) {
    if (w.isRolling === true) {
      p.add(`${f}.isRolling`, 'must be false (or left out) with a calendar');
    }
    if (!isObject(w.calendar)) {
      p.add(`${f}.calendar`, 'must be an object with startTime and timeZone');
    } else {
      p.string(`${f}.calendar.timeZone`, w.calendar.timeZone, true);
      if (
        w.calendar.startTime !== undefined &&
        typeof w.calendar.startTime !== 'string'
      ) {
        p.add(
          `${f}.calendar.startTime`,
          'must be a local date and time, e.g. "2024-01-01 00:00:00"',
        );
      }
    }
  } else if (w.isRolling !== true) {
    p.add(field, 'must be rolling (isRolling: true) or have a calendar');
  }
}

function validateSloSpec(p: Problems, field: string, spec: unknown) {
  if (!isObject(spec)) {
    p.add(field, 'is required');
    return;
  }
  p.description(`${field}.description`, spec.description);
  p.string(`${field}.service`, spec.service, true);
  const hasInline = spec.indicator !== undefined;
  const hasRef = spec.indicatorRef !== undefined;
  if (hasInline === hasRef) {
    p.add(field, 'must have exactly one of indicator or indicatorRef');
  } else if (hasRef) {
    p.string(`${field}.indicatorRef`, spec.indicatorRef, true);
  } else if (!isObject(spec.indicator)) {
    p.add(`${field}.indicator`, 'must be an object with metadata and spec');
  } else {
    validateMetadata(p, `${field}.indicator.metadata`, spec.indicator.metadata);
    validateSliSpec(p, `${field}.indicator.spec`, spec.indicator.spec);
  }
  validateTimeWindow(p, `${field}.timeWindow`, spec.timeWindow);
  const methods = ['Occurrences', 'Timeslices', 'RatioTimeslices'];
  if (!methods.includes(spec.budgetingMethod)) {
    p.add(
      `${field}.budgetingMethod`,
      spec.budgetingMethod === undefined
        ? `is required (one of ${methods.join(', ')})`
        : `must be one of ${methods.join(', ')}`,
    );
  }
  if (!Array.isArray(spec.objectives) || spec.objectives.length === 0) {
    p.add(`${field}.objectives`, 'is required (a list of at least one)');
  } else {
    spec.objectives.forEach((o: unknown, i: number) =>
      validateObjective(
        p,
        `${field}.objectives[${i}]`,
        o,
        spec.budgetingMethod,
      ),
    );
    const thresholdSli = hasInline
      ? isObject(spec.indicator?.spec) &&
        spec.indicator.spec.thresholdMetric !== undefined
      : false;
    if (thresholdSli && spec.objectives.length > 1) {
      p.add(
        `${field}.objectives`,
        'must have exactly one objective with a thresholdMetric',
      );
    }
  }
  if (spec.alertPolicies !== undefined) {
    if (!Array.isArray(spec.alertPolicies)) {
      p.add(`${field}.alertPolicies`, 'must be a list');
    } else {
      spec.alertPolicies.forEach((a: unknown, i: number) => {
        const f = `${field}.alertPolicies[${i}]`;
        if (!isObject(a)) p.add(f, 'must be an object');
        else if (a.alertPolicyRef !== undefined) {
          p.string(`${f}.alertPolicyRef`, a.alertPolicyRef, true);
        } else if (a.kind === 'AlertPolicy') {
          validateMetadata(p, `${f}.metadata`, a.metadata);
          validateAlertPolicySpec(p, `${f}.spec`, a.spec);
        } else {
          p.add(f, 'must have an alertPolicyRef or be an inline AlertPolicy');
        }
      });
    }
  }
}

function validateAlertConditionSpec(p: Problems, field: string, spec: any) {
  if (!isObject(spec)) {
    p.add(field, 'is required (severity and condition)');
    return;
  }
  p.description(`${field}.description`, spec.description);
  p.string(`${field}.severity`, spec.severity, true);
  const c = spec.condition;
  if (!isObject(c)) {
    p.add(`${field}.condition`, 'is required');
    return;
  }
  if (c.kind !== undefined && c.kind !== 'burnrate') {
    p.add(`${field}.condition.kind`, 'must be burnrate');
  }
  if (typeof c.threshold !== 'number') {
    p.add(`${field}.condition.threshold`, 'is required (a number)');
  }
  p.shorthand(`${field}.condition.lookbackWindow`, c.lookbackWindow, true);
  // alertAfter defaults to 0m, so zero is a valid length here.
  if (
    c.alertAfter !== undefined &&
    !(typeof c.alertAfter === 'string' && /^0[mhdwMQY]$/.test(c.alertAfter))
  ) {
    p.shorthand(`${field}.condition.alertAfter`, c.alertAfter, false);
  }
}

function validateAlertPolicySpec(p: Problems, field: string, spec: unknown) {
  if (!isObject(spec)) {
    p.add(field, 'is required');
    return;
  }
  p.description(`${field}.description`, spec.description);
  for (const key of [
    'alertWhenNoData',
    'alertWhenResolved',
    'alertWhenBreaching',
  ]) {
    if (spec[key] !== undefined && typeof spec[key] !== 'boolean') {
      p.add(`${field}.${key}`, 'must be true or false');
    }
  }
  if (!Array.isArray(spec.conditions) || spec.conditions.length !== 1) {
    p.add(`${field}.conditions`, 'must be a list of exactly one condition');
  } else {
    const c = spec.conditions[0];
    const f = `${field}.conditions[0]`;
    if (!isObject(c)) p.add(f, 'must be an object');
    else if (c.conditionRef !== undefined) {
      p.string(`${f}.conditionRef`, c.conditionRef, true);
    } else {
      validateMetadata(p, `${f}.metadata`, c.metadata);
      validateAlertConditionSpec(p, `${f}.spec`, c.spec);
    }
  }
  if (!Array.isArray(spec.notificationTargets)) {
    p.add(`${field}.notificationTargets`, 'is required (a list)');
  } else {
    spec.notificationTargets.forEach((t: unknown, i: number) => {
      const f = `${field}.notificationTargets[${i}]`;
      if (!isObject(t)) p.add(f, 'must be an object');
      else if (t.targetRef !== undefined) {
        p.string(`${f}.targetRef`, t.targetRef, true);
      } else {
        p.string(`${f}.spec.target`, t.spec?.target, true);
      }
    });
  }
}

/**
 * Checks parsed OpenSLO documents against the v1 specification (the
 * OpenSLO README): shapes, required fields, enums and ranges. Every problem
 * names its place as `documents[i].spec...`. Whether a valid document maps
 * onto an agreement is the mapper's question, not this one's.
 */
export function validateOpenSlo(documents: unknown[]): FieldError[] {
  const p = new Problems();
  documents.forEach((doc, i) => {
    const field = `documents[${i}]`;
    if (!isObject(doc)) {
      p.add(field, 'must be an object (an OpenSLO document)');
      return;
    }
    if (doc.apiVersion !== 'openslo/v1') {
      p.add(
        `${field}.apiVersion`,
        typeof doc.apiVersion === 'string' && /openslo/i.test(doc.apiVersion)
          ? `is ${doc.apiVersion}: only openslo/v1 is supported (v1alpha and the v2alpha composite SLOs are not)`
          : 'must be openslo/v1',
      );
      return;
    }
    if (!OPENSLO_KINDS.includes(doc.kind)) {
      p.add(`${field}.kind`, `must be one of ${OPENSLO_KINDS.join(', ')}`);
      return;
    }
    validateMetadata(p, `${field}.metadata`, doc.metadata);
    const spec = `${field}.spec`;
    switch (doc.kind) {
      case 'SLO':
        validateSloSpec(p, spec, doc.spec);
        break;
      case 'SLI':
        validateSliSpec(p, spec, doc.spec);
        break;
      case 'DataSource':
        if (!isObject(doc.spec)) p.add(spec, 'is required');
        else {
          p.description(`${spec}.description`, doc.spec.description);
          p.string(`${spec}.type`, doc.spec.type, true);
        }
        break;
      case 'AlertPolicy':
        validateAlertPolicySpec(p, spec, doc.spec);
        break;
      case 'AlertCondition':
        validateAlertConditionSpec(p, spec, doc.spec);
        break;
      case 'AlertNotificationTarget':
        if (!isObject(doc.spec)) p.add(spec, 'is required');
        else {
          p.description(`${spec}.description`, doc.spec.description);
          p.string(`${spec}.target`, doc.spec.target, true);
        }
        break;
      default: // Service
        if (doc.spec !== undefined) {
          if (!isObject(doc.spec)) p.add(spec, 'must be an object');
          else p.description(`${spec}.description`, doc.spec.description);
        }
    }
  });
  const seen = new Set<string>();
  documents.forEach((doc: any, i) => {
    const name = doc?.metadata?.name;
    if (typeof doc?.kind !== 'string' || typeof name !== 'string') return;
    const key = `${doc.kind}/${name}`;
    if (seen.has(key)) {
      p.add(
        `documents[${i}].metadata.name`,
        `"${name}" is used by another ${doc.kind}`,
      );
    }
    seen.add(key);
  });
  return p.errors;
}
