import {
  parseInstant,
  type FieldError,
} from '@opensla/backstage-plugin-sla-common';
import { REVIEW_DECISIONS } from './decisions';
import { serviceReviewIntervalProblem } from './schedule';

export const REVIEW_KINDS = ['service', 'agreement', 'event'];
const MAX_PERIOD_MS = 400 * 86_400_000;

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInstant = (v: unknown): v is string => parseInstant(v) !== undefined;

function text(
  errors: FieldError[],
  field: string,
  value: unknown,
  max: number,
  required = false,
) {
  if (value === undefined || value === null) {
    if (required) errors.push({ field, message: 'is required' });
  } else if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string' });
  } else if (required && !value.trim()) {
    errors.push({ field, message: 'must not be empty' });
  } else if (value.length > max) {
    errors.push({ field, message: `must be at most ${max} characters` });
  }
}

function instant(errors: FieldError[], field: string, value: unknown) {
  if (value !== undefined && !isInstant(value)) {
    errors.push({ field, message: 'must be an ISO 8601 instant' });
  }
}

/**
 * Checks a review body field by field: POST /reviews (`create`) or
 * PUT /reviews/{id} (`update`, which needs `version` and cannot move the
 * review to another agreement). A held review (the default on create) needs
 * its period and at least one participant; a decision is only taken when a
 * review is held.
 */
export function validateReviewInput(
  input: unknown,
  mode: 'create' | 'update',
): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    return [{ field: 'body', message: 'must be an object' }];
  }
  if (mode === 'create') {
    text(errors, 'agreementId', input.agreementId, 64, true);
    if (input.kind !== undefined && !REVIEW_KINDS.includes(input.kind)) {
      errors.push({
        field: 'kind',
        message: `must be one of ${REVIEW_KINDS.join(', ')}`,
      });
    }
    text(errors, 'reason', input.reason, 2000);
  } else {
    if (!Number.isInteger(input.version)) {
      errors.push({ field: 'version', message: 'is required (an integer)' });
    }
    for (const field of ['agreementId', 'kind']) {
      if (input[field] !== undefined) {
        errors.push({ field, message: 'cannot change' });
      }
    }
  }
  if (input.status !== undefined && !['open', 'held'].includes(input.status)) {
    errors.push({ field: 'status', message: 'must be open or held' });
  }
  const held = input.status === 'held' || (mode === 'create' && !input.status);

  if (input.period !== undefined || (held && mode === 'create')) {
    const p = input.period;
    if (!isObject(p)) {
      errors.push({
        field: 'period',
        message: 'is required: { start, end } of the reviewed period',
      });
    } else if (!isInstant(p.start)) {
      errors.push({
        field: 'period.start',
        message: 'must be an ISO 8601 instant',
      });
    } else if (!isInstant(p.end)) {
      errors.push({
        field: 'period.end',
        message: 'must be an ISO 8601 instant',
      });
    } else if (Date.parse(p.end) <= Date.parse(p.start)) {
      errors.push({
        field: 'period.end',
        message: 'must be after period.start',
      });
    } else if (Date.parse(p.end) - Date.parse(p.start) > MAX_PERIOD_MS) {
      errors.push({
        field: 'period',
        message: 'must be at most 400 days long',
      });
    }
  }
  instant(errors, 'heldAt', input.heldAt);

  if (input.participants !== undefined || (held && mode === 'create')) {
    const ps = input.participants;
    if (!Array.isArray(ps) || (held && ps.length === 0)) {
      errors.push({
        field: 'participants',
        message: 'must list who took part (at least one)',
      });
    } else if (ps.length > 100) {
      errors.push({
        field: 'participants',
        message: 'must have at most 100 entries',
      });
    } else {
      ps.forEach((p, i) => text(errors, `participants[${i}]`, p, 255, true));
    }
  }
  text(errors, 'minutes', input.minutes, 20_000);

  if (input.decision !== undefined) {
    const d = input.decision;
    if (!held && mode === 'create') {
      errors.push({
        field: 'decision',
        message: 'can only be taken when the review is held (status: held)',
      });
    } else if (!isObject(d) || !REVIEW_DECISIONS.includes(d.type)) {
      errors.push({
        field: 'decision.type',
        message: `must be one of ${REVIEW_DECISIONS.join(', ')}`,
      });
    } else {
      if (d.validUntil !== undefined) {
        if (d.type !== 'prolong') {
          errors.push({
            field: 'decision.validUntil',
            message: 'can only be given with type prolong',
          });
        } else instant(errors, 'decision.validUntil', d.validUntil);
      }
      text(errors, 'decision.comment', d.comment, 2000);
      if (d.viabilityOverride !== undefined) {
        if (d.type !== 'prolong') {
          errors.push({
            field: 'decision.viabilityOverride',
            message: 'can only be given with type prolong (it re-agrees)',
          });
        } else if (!isObject(d.viabilityOverride)) {
          errors.push({
            field: 'decision.viabilityOverride',
            message: 'must be an object with a reason',
          });
        } else {
          text(
            errors,
            'decision.viabilityOverride.reason',
            d.viabilityOverride.reason,
            2000,
            true,
          );
        }
      }
    }
  }

  if (input.actions !== undefined) {
    if (!Array.isArray(input.actions) || input.actions.length > 100) {
      errors.push({
        field: 'actions',
        message: 'must be a list of at most 100 actions',
      });
    } else {
      input.actions.forEach((a: unknown, i: number) => {
        if (!isObject(a)) {
          errors.push({ field: `actions[${i}]`, message: 'must be an object' });
          return;
        }
        text(errors, `actions[${i}].title`, a.title, 500, true);
        text(errors, `actions[${i}].owner`, a.owner, 255);
        instant(errors, `actions[${i}].due`, a.due);
        if (a.done !== undefined && typeof a.done !== 'boolean') {
          errors.push({
            field: `actions[${i}].done`,
            message: 'must be a boolean',
          });
        }
      });
    }
  }

  if (input.serviceReviewInterval !== undefined) {
    const problem = serviceReviewIntervalProblem(input.serviceReviewInterval);
    if (problem)
      errors.push({ field: 'serviceReviewInterval', message: problem });
  }
  return errors;
}
