import { parseEntityRef } from '@backstage/catalog-model';
import type { FieldError } from './validateAgreement';
import { parseInstant } from './parseInput';

const KINDS = ['survey', 'impromptu', 'complaint', 'compliment'];
const SCALES = ['csat', 'nps'];
const STATES = ['open', 'acknowledged', 'resolved'];
const RANGE: Record<string, [number, number]> = { csat: [1, 5], nps: [0, 10] };
const MAX_COMMENT = 2000;

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function entityRef(errors: FieldError[], value: unknown) {
  if (typeof value !== 'string' || !value) {
    errors.push({ field: 'entityRef', message: 'is required' });
    return;
  }
  try {
    parseEntityRef(value);
    if (!value.includes(':')) throw new Error();
  } catch {
    errors.push({
      field: 'entityRef',
      message: 'must be an entity ref, e.g. component:default/checkout',
    });
  }
}

function text(
  errors: FieldError[],
  field: string,
  value: unknown,
  opts: { required?: boolean; max: number },
) {
  if (value === undefined || value === null) {
    if (opts.required) errors.push({ field, message: 'is required' });
  } else if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string' });
  } else if (opts.required && !value.trim()) {
    errors.push({ field, message: 'must not be empty' });
  } else if (value.length > opts.max) {
    errors.push({ field, message: `must be at most ${opts.max} characters` });
  }
}

/** Whether `score` is a whole number on `scale` (csat 1–5, nps 0–10). @public */
export function isScoreOnScale(scale: string, score: unknown): boolean {
  const [min, max] = RANGE[scale] ?? [1, 5];
  return (
    typeof score === 'number' &&
    Number.isInteger(score) &&
    score >= min &&
    score <= max
  );
}

function checkScore(
  errors: FieldError[],
  field: string,
  scale: string,
  value: unknown,
) {
  if (!isScoreOnScale(scale, value)) {
    const [min, max] = RANGE[scale] ?? [1, 5];
    errors.push({
      field,
      message: `must be a whole number from ${min} to ${max} on the ${scale} scale`,
    });
  }
}

/**
 * Checks feedback (POST /feedback) field by field. Campaign answers are
 * checked against their campaign by the backend.
 * @public
 */
export function validateFeedbackInput(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    return [{ field: 'body', message: 'must be a JSON object' }];
  }
  entityRef(errors, input.entityRef);
  if (!KINDS.includes(input.kind)) {
    errors.push({
      field: 'kind',
      message: `must be one of ${KINDS.join(', ')}`,
    });
  }
  const scale = input.scale ?? 'csat';
  if (!SCALES.includes(scale)) {
    errors.push({ field: 'scale', message: 'must be one of csat, nps' });
  }
  if (input.score !== undefined)
    checkScore(errors, 'score', scale, input.score);
  else if (input.kind === 'survey' && input.campaignId === undefined) {
    errors.push({ field: 'score', message: 'is required for a survey answer' });
  }
  text(errors, 'comment', input.comment, {
    required: input.kind === 'complaint' || input.kind === 'compliment',
    max: MAX_COMMENT,
  });
  for (const f of ['agreementId', 'targetId', 'campaignId']) {
    text(errors, f, input[f], { max: 64 });
  }
  if (input.targetId !== undefined && input.agreementId === undefined) {
    errors.push({ field: 'agreementId', message: 'is required with targetId' });
  }
  if (input.campaignId !== undefined && input.kind !== 'survey') {
    errors.push({
      field: 'kind',
      message: 'must be survey to answer a campaign',
    });
  }
  if (input.anonymous !== undefined && typeof input.anonymous !== 'boolean') {
    errors.push({ field: 'anonymous', message: 'must be true or false' });
  }
  if (input.answers !== undefined) {
    if (input.campaignId === undefined) {
      errors.push({
        field: 'answers',
        message: 'are only for campaign answers (campaignId)',
      });
    } else if (!Array.isArray(input.answers) || input.answers.length === 0) {
      errors.push({ field: 'answers', message: 'must be a non-empty list' });
    } else {
      input.answers.forEach((a: unknown, i: number) => {
        if (!isObject(a) || typeof a.questionId !== 'string') {
          errors.push({
            field: `answers[${i}].questionId`,
            message: 'is required',
          });
        }
        if (
          !isObject(a) ||
          typeof a.score !== 'number' ||
          !Number.isInteger(a.score)
        ) {
          errors.push({
            field: `answers[${i}].score`,
            message: 'must be a whole number',
          });
        }
      });
    }
  } else if (input.campaignId !== undefined) {
    errors.push({
      field: 'answers',
      message: 'are required to answer a campaign',
    });
  }
  return errors;
}

/** Checks a survey campaign (POST /campaigns). @public */
export function validateCampaignInput(
  input: unknown,
  now: number,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    return [{ field: 'body', message: 'must be a JSON object' }];
  }
  entityRef(errors, input.entityRef);
  text(errors, 'title', input.title, { required: true, max: 200 });
  text(errors, 'description', input.description, { max: 2000 });
  if (!Array.isArray(input.questions) || input.questions.length === 0) {
    errors.push({
      field: 'questions',
      message: 'must list at least one question',
    });
  } else if (input.questions.length > 20) {
    errors.push({
      field: 'questions',
      message: 'must list at most 20 questions',
    });
  } else {
    input.questions.forEach((q: unknown, i: number) => {
      if (!isObject(q)) {
        errors.push({
          field: `questions[${i}]`,
          message: 'must be an object with text and scale',
        });
        return;
      }
      text(errors, `questions[${i}].text`, q.text, {
        required: true,
        max: 500,
      });
      if (!SCALES.includes(q.scale)) {
        errors.push({
          field: `questions[${i}].scale`,
          message: 'must be one of csat, nps',
        });
      }
      if (
        q.id !== undefined &&
        (typeof q.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(q.id))
      ) {
        errors.push({
          field: `questions[${i}].id`,
          message: 'must be lower-case letters, digits and dashes',
        });
      }
    });
  }
  const instant = (field: string, value: unknown, required: boolean) => {
    if (value === undefined) {
      if (required)
        errors.push({ field, message: 'is required (an ISO 8601 instant)' });
      return undefined;
    }
    const t = parseInstant(value);
    if (t === undefined) {
      errors.push({
        field,
        message: 'must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z',
      });
      return undefined;
    }
    return t;
  };
  const start = instant('start', input.start, false) ?? now;
  const end = instant('end', input.end, true);
  if (end !== undefined && end <= Math.max(start, now)) {
    errors.push({
      field: 'end',
      message: 'must be after the start and in the future',
    });
  }
  return errors;
}

/** Checks an owner's response to a complaint. @public */
export function validateComplaintResponse(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    return [{ field: 'body', message: 'must be a JSON object' }];
  }
  text(errors, 'message', input.message, { required: true, max: MAX_COMMENT });
  if (input.state !== undefined && !STATES.includes(input.state)) {
    errors.push({
      field: 'state',
      message: `must be one of ${STATES.join(', ')}`,
    });
  }
  if (!Number.isInteger(input.version)) {
    errors.push({
      field: 'version',
      message: 'is required (the version the complaint was read at)',
    });
  }
  return errors;
}
