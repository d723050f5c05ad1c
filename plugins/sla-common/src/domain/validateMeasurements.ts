import { batchItems, normalizeItemRef } from './batchInput';
import type { FieldError } from './validateAgreement';
import { parseInstant } from './parseInput';

/** The most items one POST /measurements may carry. @public */
export const MAX_MEASUREMENTS_PER_BATCH = 10_000;

/** @public */
export type MeasurementKind = 'ratio' | 'threshold' | 'duration';

/** A validated measurement with its instants as epoch milliseconds. @public */
export type ParsedMeasurement =
  | {
      kind: 'ratio';
      entityRef: string;
      metric: string;
      ts: number;
      good: number;
      total: number;
    }
  | {
      kind: 'threshold';
      entityRef: string;
      metric: string;
      ts: number;
      value: number;
    }
  | {
      kind: 'duration';
      entityRef: string;
      metric: string;
      eventId: string;
      start: number;
      end?: number;
      priority?: string;
    };

const METRIC = /^[A-Za-z0-9_.:/-]{1,200}$/;

const instant = parseInstant;

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Checks a batch for POST /measurements. Either every item is valid and
 * parsed, or the errors name each bad item's index and field.
 * @public
 */
export function validateMeasurements(items: unknown): {
  errors: FieldError[];
  parsed: ParsedMeasurement[];
} {
  const errors: FieldError[] = [];
  const parsed: ParsedMeasurement[] = [];
  const batch = batchItems(items, MAX_MEASUREMENTS_PER_BATCH);
  if ('error' in batch) return { errors: [batch.error], parsed };
  batch.items.forEach((item: any, i) => {
    const f = (name: string) => `items[${i}].${name}`;
    const before = errors.length;
    const add = (field: string, message: string) =>
      errors.push({ field: f(field), message });
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: `items[${i}]`, message: 'must be an object' });
      return;
    }
    const entityRef = normalizeItemRef(item.entityRef);
    if (!entityRef) {
      add('entityRef', 'must be an entity ref of the form kind:namespace/name');
    }
    if (typeof item.metric !== 'string' || !METRIC.test(item.metric)) {
      add('metric', 'must be a series name of letters, digits and _ . : / -');
    }
    const shapes = [
      item.eventId !== undefined,
      item.value !== undefined,
      item.good !== undefined || item.total !== undefined,
    ].filter(Boolean).length;
    if (shapes !== 1) {
      errors.push({
        field: `items[${i}]`,
        message:
          'must carry exactly one of: good and total (ratio), value (threshold), eventId and start (duration)',
      });
      return;
    }
    if (item.eventId !== undefined) {
      if (
        typeof item.eventId !== 'string' ||
        item.eventId.length < 1 ||
        item.eventId.length > 200
      ) {
        add('eventId', 'must be a string of 1 to 200 characters');
      }
      const start = instant(item.start);
      if (start === undefined) add('start', 'must be an ISO 8601 instant');
      const end = item.end === undefined ? undefined : instant(item.end);
      if (item.end !== undefined && end === undefined) {
        add('end', 'must be an ISO 8601 instant');
      } else if (end !== undefined && start !== undefined && end < start) {
        add('end', 'must not be before start');
      }
      if (
        item.priority !== undefined &&
        (typeof item.priority !== 'string' || item.priority.length > 20)
      ) {
        add('priority', 'must be a string of at most 20 characters');
      }
      if (errors.length === before) {
        parsed.push({
          kind: 'duration',
          entityRef: entityRef!,
          metric: item.metric,
          eventId: item.eventId,
          start: start!,
          ...(end !== undefined ? { end } : {}),
          ...(item.priority !== undefined ? { priority: item.priority } : {}),
        });
      }
      return;
    }
    const ts = instant(item.timestamp);
    if (ts === undefined) add('timestamp', 'must be an ISO 8601 instant');
    if (item.value !== undefined) {
      if (typeof item.value !== 'number' || !Number.isFinite(item.value)) {
        add('value', 'must be a finite number');
      }
      if (errors.length === before) {
        parsed.push({
          kind: 'threshold',
          entityRef: entityRef!,
          metric: item.metric,
          ts: ts!,
          value: item.value,
        });
      }
      return;
    }
    if (!isCount(item.good)) add('good', 'must be a number ≥ 0');
    if (!isCount(item.total)) add('total', 'must be a number ≥ 0');
    if (isCount(item.good) && isCount(item.total) && item.good > item.total) {
      add('good', 'must not exceed total');
    }
    if (errors.length === before) {
      parsed.push({
        kind: 'ratio',
        entityRef: entityRef!,
        metric: item.metric,
        ts: ts!,
        good: item.good,
        total: item.total,
      });
    }
  });
  return { errors, parsed: errors.length ? [] : parsed };
}
