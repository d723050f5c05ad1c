import { FormEvent, useCallback, useId, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  Agreement,
  FieldError,
  isEditableStatus,
  parseFieldErrors,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';
import {
  AgreementFormValues,
  agreementToFormValues,
  emptyAgreementFormValues,
  formFieldPaths,
  formValuesToInput,
  newTargetFormValues,
  TargetFormValues,
} from '../form/agreementForm';
import { placeFieldErrors } from '../form/placeFieldErrors';
import { describeApiError } from '../lib/describeApiError';
import { STATUS_LABELS } from './AgreementStatusChip';
import { FieldTextField } from './FieldTextField';
import { TargetFields } from './TargetFields';
import { CatalogEntityPicker } from './editor/CatalogEntityPicker';
import { DurationChoiceField } from './editor/DurationFields';
import {
  REVIEW_INTERVAL_PRESETS,
  REVIEW_INTERVAL_UNITS,
} from '../form/durationChoices';
import { useMetricSuggestions } from '../hooks/useMetricSuggestions';

/** Who can be a party of an agreement: a team (group) or a person (user). */
const PARTY_KINDS = ['Group', 'User'];
import { ViabilityHint } from './viability/ViabilityHint';

/**
 * Creates an agreement on `entityRef`, or edits `agreement`. Checks the
 * input with the same rules as the backend before sending it, shows every
 * problem at its field (the backend's 400 messages too), and explains a 409
 * when someone else saved first.
 */
export function AgreementEditorDialog(props: {
  entityRef: string;
  agreement?: Agreement;
  onClose: () => void;
  onSaved: (agreement: Agreement) => void;
}) {
  const { entityRef, onClose, onSaved } = props;
  const slaApi = useApi(slaApiRef);
  const idPrefix = `sla-editor${useId().replace(/:/g, '')}`;
  const [editing, setEditing] = useState(props.agreement);
  const [values, setValues] = useState<AgreementFormValues>(() =>
    props.agreement
      ? agreementToFormValues(props.agreement)
      : emptyAgreementFormValues(entityRef),
  );
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [generalError, setGeneralError] = useState<string>();
  const [conflict, setConflict] = useState<Agreement>();
  const [saving, setSaving] = useState(false);
  const suggestions = useMetricSuggestions(editing?.entityRef ?? entityRef);

  const title = editing ? 'Edit agreement' : 'Create agreement';
  const noLongerEditable = editing && !isEditableStatus(editing.status);
  // Keyed on the set of inputs, not the values, so that typing keeps the
  // same errors object and the memoised target inputs do not re-render.
  const fieldPathsKey = formFieldPaths(values).join('|');
  const placed = useMemo(
    () => placeFieldErrors(fieldErrors, fieldPathsKey.split('|')),
    [fieldErrors, fieldPathsKey],
  );
  const errors = placed.byField;
  const common = { errors, idPrefix };

  const update = (patch: Partial<AgreementFormValues>) =>
    setValues(current => ({ ...current, ...patch }));
  const updateTarget = useCallback(
    (index: number, patch: Partial<TargetFormValues>) =>
      setValues(current => ({
        ...current,
        targets: current.targets.map((t, i) =>
          i === index ? { ...t, ...patch } : t,
        ),
      })),
    [],
  );
  const removeTarget = useCallback((index: number) => {
    setValues(current => ({
      ...current,
      targets: current.targets.filter((_, i) => i !== index),
    }));
    // Messages name targets by position; after a removal they would point at the wrong one.
    setFieldErrors([]);
  }, []);

  const explainSaveFailure = async (error: unknown) => {
    const { status, message } = describeApiError(error);
    if (status === 400) {
      const parsed = parseFieldErrors(message);
      if (parsed.length > 0) {
        setFieldErrors(parsed);
      } else {
        setGeneralError(message);
      }
      return;
    }
    if (status === 409 && editing) {
      try {
        const latest = await slaApi.getAgreement(editing.id);
        if (latest.version !== values.version) {
          setConflict(latest);
          return;
        }
      } catch {
        // Fall through to the backend's own message.
      }
    }
    setGeneralError(message);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneralError(undefined);
    setConflict(undefined);
    const input = formValuesToInput(values);
    const problems = validateAgreementInput(
      input,
      editing ? 'update' : 'create',
    );
    setFieldErrors(problems);
    if (problems.length > 0) return;
    setSaving(true);
    try {
      const saved = editing
        ? await slaApi.updateAgreement(editing.id, input)
        : await slaApi.createAgreement(input);
      onSaved(saved);
    } catch (error) {
      await explainSaveFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const reloadLatest = () => {
    if (!conflict) return;
    setEditing(conflict);
    setValues(agreementToFormValues(conflict));
    setFieldErrors([]);
    setGeneralError(undefined);
    setConflict(undefined);
  };

  return (
    <Dialog
      open
      onClose={saving ? undefined : onClose}
      maxWidth="md"
      fullWidth
      scroll="body"
      aria-labelledby={`${idPrefix}-dialog-title`}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={`${idPrefix}-dialog-title`}>{title}</DialogTitle>
        <DialogContent>
          {conflict && (
            <Box mb={2}>
              <Alert
                severity="warning"
                action={
                  <Button color="inherit" size="small" onClick={reloadLatest}>
                    Reload
                  </Button>
                }
              >
                Someone else changed this agreement since you opened it (now
                version {conflict.version}, by {conflict.updatedBy}). Reload to
                edit the latest version; the changes in this form will be
                replaced.
              </Alert>
            </Box>
          )}
          {noLongerEditable && editing && (
            <Box mb={2}>
              <Alert severity="info">
                This agreement is now {STATUS_LABELS[editing.status]} and can no
                longer be edited. Start a review to change its terms.
              </Alert>
            </Box>
          )}
          {generalError && (
            <Box mb={2}>
              <Alert severity="error">{generalError}</Alert>
            </Box>
          )}
          {placed.unplaced.length > 0 && (
            <Box mb={2}>
              <Alert severity="error">
                {placed.unplaced.map(e => (
                  <div key={`${e.field} ${e.message}`}>
                    {e.field} {e.message}
                  </div>
                ))}
              </Alert>
            </Box>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} sm={4}>
              <FieldTextField
                {...common}
                path="kind"
                label="Kind"
                select
                value={values.kind}
                onChange={e =>
                  update({
                    kind: e.target.value as AgreementFormValues['kind'],
                  })
                }
              >
                <option value="SLA">SLA: with customers</option>
                <option value="OLA">OLA: with an internal team</option>
                <option value="UC">UC: with a supplier</option>
              </FieldTextField>
            </Grid>
            <Grid item xs={12} sm={4}>
              <FieldTextField
                {...common}
                path="scope"
                label="Scope"
                select
                value={values.scope}
                onChange={e =>
                  update({
                    scope: e.target.value as AgreementFormValues['scope'],
                  })
                }
              >
                <option value="">Not set</option>
                <option value="service">Service: all its users</option>
                <option value="customer">Customer: one customer</option>
                <option value="multi-level">Multi-level</option>
              </FieldTextField>
            </Grid>
            {!editing && (
              <Grid item xs={12} sm={4}>
                <FieldTextField
                  {...common}
                  path="status"
                  label="Start as"
                  select
                  value={values.initialStatus}
                  onChange={e =>
                    update({
                      initialStatus: e.target
                        .value as AgreementFormValues['initialStatus'],
                    })
                  }
                >
                  <option value="requirements">
                    Requirements (SLR) to be drafted
                  </option>
                  <option value="draft">Draft, ready to propose</option>
                </FieldTextField>
              </Grid>
            )}
            <Grid item xs={12}>
              <FieldTextField
                {...common}
                path="title"
                label="Title"
                required
                value={values.title}
                onChange={e => update({ title: e.target.value })}
              />
            </Grid>
            <Grid item xs={12}>
              <FieldTextField
                {...common}
                path="description"
                label="Description"
                multiline
                minRows={2}
                value={values.description}
                onChange={e => update({ description: e.target.value })}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <CatalogEntityPicker
                {...common}
                path="customer"
                label="Customer"
                hint="The team or person the service is for: type to search the catalog"
                kinds={PARTY_KINDS}
                value={values.customer}
                onChange={customer => update({ customer })}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <CatalogEntityPicker
                {...common}
                path="provider"
                label="Provider"
                hint="The team that delivers the service: type to search the catalog"
                kinds={PARTY_KINDS}
                value={values.provider}
                onChange={provider => update({ provider })}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <FieldTextField
                {...common}
                path="validFrom"
                label="Valid from"
                type="date"
                InputLabelProps={{ shrink: true }}
                value={values.validFrom}
                onChange={e => update({ validFrom: e.target.value })}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <FieldTextField
                {...common}
                path="validUntil"
                label="Valid until"
                type="date"
                InputLabelProps={{ shrink: true }}
                hint="Through the end of that day (UTC)"
                value={values.validUntil}
                onChange={e => update({ validUntil: e.target.value })}
              />
            </Grid>
            <Grid item xs={12} sm={4}>
              <DurationChoiceField
                {...common}
                path="reviewInterval"
                label="Review interval"
                hint="How often the agreement itself is reviewed"
                value={values.reviewInterval}
                onChange={reviewInterval => update({ reviewInterval })}
                presets={REVIEW_INTERVAL_PRESETS}
                units={REVIEW_INTERVAL_UNITS}
                defaultUnit="months"
                emptyLabel="not set (every year)"
                customLabel="custom interval…"
                wordsBefore="every"
              />
            </Grid>
          </Grid>
          <Box mt={3} mb={1}>
            <Typography variant="h6" component="h2">
              Targets
            </Typography>
            {errors.targets && (
              <Typography color="error" variant="body2">
                {errors.targets}
              </Typography>
            )}
          </Box>
          {values.targets.map((target, index) => (
            <Box key={target.key} mb={2}>
              <TargetFields
                index={index}
                values={target}
                errors={errors}
                idPrefix={`${idPrefix}-t${target.key}`}
                onChange={updateTarget}
                onRemove={removeTarget}
                suggestions={suggestions}
              />
              {target.aspect === 'availability' && (
                <ViabilityHint
                  entityRef={editing?.entityRef ?? entityRef}
                  objective={target.objective}
                  savedObjective={
                    editing?.targets.find(t => t.id && t.id === target.id)
                      ?.objective
                  }
                  label={`Viability of target ${index + 1}`}
                />
              )}
            </Box>
          ))}
          <Button
            variant="outlined"
            onClick={() =>
              update({ targets: [...values.targets, newTargetFormValues()] })
            }
          >
            Add target
          </Button>
        </DialogContent>
        <DialogActions>
          {saving && <CircularProgress size={20} aria-label="Saving" />}
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving || noLongerEditable}
          >
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
