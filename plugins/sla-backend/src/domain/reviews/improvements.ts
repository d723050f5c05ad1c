import {
  parseInstant,
  type FieldError,
} from '@opensla/backstage-plugin-sla-common';

export const IMPROVEMENT_SOURCES = [
  'review',
  'breach',
  'complaint',
  'feedback',
];
export const IMPROVEMENT_STATUSES = [
  'proposed',
  'in-progress',
  'done',
  'cancelled',
];

const MOVES: Record<string, string[]> = {
  proposed: ['in-progress', 'done', 'cancelled'],
  'in-progress': ['proposed', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Whether an initiative may move `from` → `to` (staying is always allowed while open). */
export function isImprovementMoveAllowed(from: string, to: string): boolean {
  if (from === to) return MOVES[from]?.length > 0;
  return MOVES[from]?.includes(to) ?? false;
}

/** An initiative as the plan sees it. */
export type PlannedImprovement = {
  status: string;
  due?: string;
  progress?: number;
};

/** The service improvement plan of a service at `at` (ms). */
export type ImprovementPlan = {
  total: number;
  open: number;
  done: number;
  cancelled: number;
  overdue: number;
  /** Mean progress in percent over initiatives not cancelled (done = 100); null without any. */
  progress: number | null;
};

/**
 * Summarizes a service's initiatives: open ones are proposed or in progress,
 * overdue ones are open with a due instant not after `at`; progress is the
 * mean of the initiatives' progress (done counts 100, cancelled is left out).
 */
export function improvementPlan(
  items: PlannedImprovement[],
  at: number,
): ImprovementPlan {
  const open = items.filter(
    i => i.status === 'proposed' || i.status === 'in-progress',
  );
  const counted = items.filter(i => i.status !== 'cancelled');
  const sum = counted.reduce(
    (s, i) => s + (i.status === 'done' ? 100 : i.progress ?? 0),
    0,
  );
  return {
    total: items.length,
    open: open.length,
    done: items.filter(i => i.status === 'done').length,
    cancelled: items.filter(i => i.status === 'cancelled').length,
    overdue: open.filter(i => i.due && Date.parse(i.due) <= at).length,
    progress: counted.length
      ? Math.round((sum / counted.length) * 10) / 10
      : null,
  };
}

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(
  errors: FieldError[],
  field: string,
  value: unknown,
  max: number,
  required: boolean,
) {
  if (value === undefined || value === null) {
    if (required) errors.push({ field, message: 'is required' });
  } else if (typeof value !== 'string' || (required && !value.trim())) {
    errors.push({ field, message: 'must be a non-empty string' });
  } else if (value.length > max) {
    errors.push({ field, message: `must be at most ${max} characters` });
  }
}

/**
 * Checks an improvement initiative body field by field: POST /improvements
 * (`create`) or PUT /improvements/{id} (`update`: the whole initiative with
 * the `version` it was read at; entityRef cannot change).
 */
export function validateImprovementInput(
  input: unknown,
  mode: 'create' | 'update',
): FieldError[] {
  if (!isObject(input))
    return [{ field: 'body', message: 'must be an object' }];
  const errors: FieldError[] = [];
  if (mode === 'create') {
    text(errors, 'entityRef', input.entityRef, 255, true);
  } else {
    if (!Number.isInteger(input.version)) {
      errors.push({ field: 'version', message: 'is required (an integer)' });
    }
    if (input.entityRef !== undefined) {
      errors.push({ field: 'entityRef', message: 'cannot change' });
    }
  }
  text(errors, 'title', input.title, 200, true);
  text(errors, 'description', input.description, 5000, false);
  text(errors, 'owner', input.owner, 255, true);
  text(errors, 'sourceId', input.sourceId, 64, false);
  if (!IMPROVEMENT_SOURCES.includes(input.source)) {
    errors.push({
      field: 'source',
      message: `must be one of ${IMPROVEMENT_SOURCES.join(', ')}`,
    });
  }
  if (
    input.status !== undefined &&
    !IMPROVEMENT_STATUSES.includes(input.status)
  ) {
    errors.push({
      field: 'status',
      message: `must be one of ${IMPROVEMENT_STATUSES.join(', ')}`,
    });
  }
  if (
    input.due !== undefined &&
    parseInstant(input.due) === undefined
  ) {
    errors.push({ field: 'due', message: 'must be an ISO 8601 instant' });
  }
  if (
    input.progress !== undefined &&
    !(
      Number.isInteger(input.progress) &&
      input.progress >= 0 &&
      input.progress <= 100
    )
  ) {
    errors.push({
      field: 'progress',
      message: 'must be a whole percentage from 0 to 100',
    });
  }
  if (input.targets !== undefined) {
    if (!Array.isArray(input.targets) || input.targets.length > 100) {
      errors.push({
        field: 'targets',
        message: 'must be a list of at most 100 { agreementId, targetId }',
      });
    } else {
      input.targets.forEach((t: unknown, i: number) => {
        if (!isObject(t)) {
          errors.push({ field: `targets[${i}]`, message: 'must be an object' });
          return;
        }
        text(errors, `targets[${i}].agreementId`, t.agreementId, 64, true);
        text(errors, `targets[${i}].targetId`, t.targetId, 64, true);
      });
    }
  }
  return errors;
}
