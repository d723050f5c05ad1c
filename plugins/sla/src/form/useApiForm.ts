import { useCallback, useMemo, useState } from 'react';
import {
  FieldError,
  parseFieldErrors,
} from '@opensla/backstage-plugin-sla-common';
import { describeApiError } from '../lib/describeApiError';
import { PlacedFieldErrors, placeFieldErrors } from './placeFieldErrors';

/** What a form knows about its last save: busy, and how it failed. */
export interface ApiFormState {
  saving: boolean;
  /** A 400's messages, each at the input of its field path where there is one. */
  placed: PlacedFieldErrors;
  /** A failure that belongs to no field (network, 403, 404, 5xx, unparsed 400). */
  generalError?: string;
  /** A 409's message: someone changed it meanwhile, or the move is refused. */
  conflict?: string;
  clearConflict: () => void;
  /**
   * Runs `save`, clearing the previous errors; a 400 goes to the fields, a
   * 409 to `conflict`, anything else to `generalError`. Resolves to whether
   * the save succeeded.
   */
  run: (save: () => Promise<void>) => Promise<boolean>;
}

/**
 * The save half of a form dialog: the backend's 400 message names fields
 * (`title is required; progress must be …`), so they are parsed and placed at
 * `fieldPaths`; `toField` maps a path to the input that shows it (e.g.
 * `targets[2].targetId` → `targets`).
 */
const asIs = (e: FieldError) => e;

export function useApiForm(
  fieldPaths: string[],
  toField: (e: FieldError) => FieldError = asIs,
): ApiFormState {
  const [saving, setSaving] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [generalError, setGeneralError] = useState<string>();
  const [conflict, setConflict] = useState<string>();
  // Pass module constants: the placement is computed when the errors change.
  const placed = useMemo(
    () => placeFieldErrors(fieldErrors.map(toField), fieldPaths),
    [fieldErrors, fieldPaths, toField],
  );
  const run = useCallback(async (save: () => Promise<void>) => {
    setFieldErrors([]);
    setGeneralError(undefined);
    setConflict(undefined);
    setSaving(true);
    try {
      await save();
      return true;
    } catch (error) {
      const { status, message } = describeApiError(error);
      if (status === 400) {
        const parsed = parseFieldErrors(message);
        if (parsed.length) setFieldErrors(parsed);
        else setGeneralError(message);
      } else if (status === 409) {
        setConflict(message);
      } else {
        setGeneralError(message);
      }
      return false;
    } finally {
      setSaving(false);
    }
  }, []);
  const clearConflict = useCallback(() => setConflict(undefined), []);
  return { saving, placed, generalError, conflict, clearConflict, run };
}
