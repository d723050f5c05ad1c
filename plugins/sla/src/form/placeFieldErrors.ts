import type { FieldError } from '@opensla/backstage-plugin-sla-common';

/** Field errors split into those an input can show and the rest. */
export interface PlacedFieldErrors {
  /** Message per field path, several joined with "; ". */
  byField: Record<string, string>;
  /** Errors on fields the form has no input for. */
  unplaced: FieldError[];
}

/** Puts each error at the input for its field path, when there is one. */
export function placeFieldErrors(
  errors: FieldError[],
  fieldPaths: string[],
): PlacedFieldErrors {
  const known = new Set(fieldPaths);
  const byField: Record<string, string> = {};
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    if (known.has(error.field)) {
      byField[error.field] = byField[error.field]
        ? `${byField[error.field]}; ${error.message}`
        : error.message;
    } else {
      unplaced.push(error);
    }
  }
  return { byField, unplaced };
}
