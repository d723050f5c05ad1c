import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  Agreement,
  FieldError,
  Improvement,
  ImprovementInput,
  ImprovementSource,
  ImprovementStatus,
} from '@opensla/backstage-plugin-sla-common';
import { DateTime } from 'luxon';
import { slaApiRef } from '../../api';
import { useApiForm } from '../../form/useApiForm';
import { FieldTextField } from '../FieldTextField';
import { FormDialogShell } from '../FormDialogShell';
import {
  IMPROVEMENT_MOVES,
  IMPROVEMENT_STATUS_LABELS,
  SOURCE_LABELS,
  toDateInput,
} from './reviewWords';

/** The inputs of the form; field errors are placed by these paths. */
const FIELD_PATHS = [
  'title',
  'description',
  'source',
  'sourceId',
  'owner',
  'status',
  'progress',
  'due',
  'targets',
];

/** `targets[2].targetId` belongs to the targets list. */
const toListField = (e: FieldError): FieldError => ({
  ...e,
  field: e.field.replace(/^targets\[\d+\].*$/, 'targets'),
});

const SOURCE_ID_HINTS: Record<ImprovementSource, string> = {
  review: 'The id of the review it came from (optional)',
  breach: 'The id of the breach it came from (optional)',
  complaint: 'The id of the complaint (feedback) it came from (optional)',
  feedback: 'The id of the feedback it came from (optional)',
};

const targetKey = (t: { agreementId: string; targetId: string }) =>
  `${t.agreementId}/${t.targetId}`;

/** What a new initiative starts with, e.g. from a review's "Create initiative". */
export type ImprovementPrefill = Partial<
  Pick<
    ImprovementInput,
    'title' | 'description' | 'source' | 'sourceId' | 'owner' | 'due'
  >
>;

type Values = {
  title: string;
  description: string;
  source: ImprovementSource;
  sourceId: string;
  owner: string;
  status: ImprovementStatus;
  progress: string;
  due: string;
  targets: string[];
};

/** The due day is the end of that day in UTC: overdue once the day has passed. */
function dueInstant(value: string): string | undefined {
  if (!value) return undefined;
  const day = DateTime.fromISO(value, { zone: 'utc' });
  return day.isValid ? day.endOf('day').toISO()! : value;
}

/**
 * Starts an improvement initiative of the service (or changes `improvement`,
 * sent with the version it was read at): title, description, where it came
 * from, owner, status, progress, due day and the agreement targets it
 * improves. The backend's 400 messages appear at their fields; a 409 (changed
 * meanwhile, or a move the backend refuses) offers a reload.
 */
export function ImprovementDialog(props: {
  entityRef: string;
  /** Owner of a new initiative: the service's owner. */
  defaultOwner: string;
  /** The service's agreements: their targets can be linked. */
  agreements: Agreement[];
  improvement?: Improvement;
  prefill?: ImprovementPrefill;
  onClose: () => void;
  onSaved: (improvement: Improvement) => void;
  /** Loads the latest initiatives; the form keeps its input. */
  onReload: () => void;
}) {
  const { entityRef, agreements, improvement, prefill, onSaved } = props;
  const slaApi = useApi(slaApiRef);
  const idPrefix = `sla-improvement${useId().replace(/:/g, '')}`;
  const form = useApiForm(FIELD_PATHS, toListField);
  const errors = form.placed.byField;
  const common = { errors, idPrefix };
  const [values, setValues] = useState<Values>(() => ({
    title: improvement?.title ?? prefill?.title ?? '',
    description: improvement?.description ?? prefill?.description ?? '',
    source: improvement?.source ?? prefill?.source ?? 'review',
    sourceId: improvement?.sourceId ?? prefill?.sourceId ?? '',
    owner: improvement?.owner ?? prefill?.owner ?? props.defaultOwner,
    status: improvement?.status ?? 'proposed',
    progress:
      improvement?.progress !== undefined ? String(improvement.progress) : '',
    due: (improvement ?? prefill)?.due
      ? toDateInput((improvement ?? prefill)!.due!)
      : '',
    targets: improvement?.targets.map(targetKey) ?? [],
  }));
  const update = (patch: Partial<Values>) =>
    setValues(current => ({ ...current, ...patch }));

  const statuses = IMPROVEMENT_MOVES[improvement?.status ?? 'proposed'];
  const targetOptions = agreements.flatMap(a =>
    a.targets
      .filter(t => t.id)
      .map(t => ({
        key: targetKey({ agreementId: a.id, targetId: t.id! }),
        agreementId: a.id,
        targetId: t.id!,
        label: `${a.title}: ${t.name}`,
        withdrawn: a.status === 'withdrawn',
      })),
  );
  // Targets of withdrawn agreements only while they are still linked.
  const shownTargets = targetOptions.filter(
    t => !t.withdrawn || values.targets.includes(t.key),
  );
  const toggleTarget = (key: string, on: boolean) =>
    update({
      targets: on
        ? [...values.targets, key]
        : values.targets.filter(k => k !== key),
    });

  const body = (): Omit<ImprovementInput, 'entityRef'> => {
    const progress = values.progress.trim();
    const due = dueInstant(values.due);
    return {
      title: values.title,
      ...(values.description.trim()
        ? { description: values.description.trim() }
        : {}),
      source: values.source,
      ...(values.sourceId.trim() ? { sourceId: values.sourceId.trim() } : {}),
      owner: values.owner.trim(),
      status: values.status,
      ...(progress ? { progress: Number(progress) } : {}),
      ...(due ? { due } : {}),
      targets: values.targets.map(key => {
        const option = targetOptions.find(t => t.key === key);
        const [agreementId, targetId] = key.split('/');
        return option
          ? { agreementId: option.agreementId, targetId: option.targetId }
          : { agreementId, targetId };
      }),
    };
  };

  const save = () =>
    form.run(async () => {
      const saved = improvement
        ? await slaApi.updateImprovement(improvement.id, {
            ...body(),
            version: improvement.version,
          })
        : await slaApi.createImprovement({ entityRef, ...body() });
      onSaved(saved);
    });

  return (
    <FormDialogShell
      idPrefix={idPrefix}
      title={
        improvement ? `Edit initiative: ${improvement.title}` : 'New initiative'
      }
      form={form}
      submitLabel={improvement ? 'Save initiative' : 'Create initiative'}
      onSubmit={save}
      onClose={props.onClose}
      onReload={props.onReload}
      conflictHint="Reload to see the latest initiatives; your input stays in the form."
    >
      <Grid container spacing={2}>
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
            hint="What changes, and how success is measured"
            value={values.description}
            onChange={e => update({ description: e.target.value })}
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <FieldTextField
            {...common}
            path="source"
            label="Source"
            select
            value={values.source}
            onChange={e =>
              update({ source: e.target.value as ImprovementSource })
            }
          >
            {(Object.keys(SOURCE_LABELS) as ImprovementSource[]).map(s => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </FieldTextField>
        </Grid>
        <Grid item xs={12} sm={8}>
          <FieldTextField
            {...common}
            path="sourceId"
            label="Source id"
            hint={SOURCE_ID_HINTS[values.source]}
            value={values.sourceId}
            onChange={e => update({ sourceId: e.target.value })}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <FieldTextField
            {...common}
            path="owner"
            label="Owner"
            required
            hint="An entity ref, e.g. group:default/payments-team or user:default/jane"
            value={values.owner}
            onChange={e => update({ owner: e.target.value })}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <FieldTextField
            {...common}
            path="status"
            label="Status"
            select
            hint={
              values.status === 'done' || values.status === 'cancelled'
                ? 'Final: the initiative cannot change afterwards'
                : undefined
            }
            value={values.status}
            onChange={e =>
              update({ status: e.target.value as ImprovementStatus })
            }
          >
            {statuses.map(s => (
              <option key={s} value={s}>
                {IMPROVEMENT_STATUS_LABELS[s]}
              </option>
            ))}
          </FieldTextField>
        </Grid>
        <Grid item xs={6} sm={6}>
          <FieldTextField
            {...common}
            path="progress"
            label="Progress (%)"
            type="number"
            inputProps={{ min: 0, max: 100, step: 5 }}
            hint="0 to 100; done counts as 100 in the plan"
            value={values.progress}
            onChange={e => update({ progress: e.target.value })}
          />
        </Grid>
        <Grid item xs={6} sm={6}>
          <FieldTextField
            {...common}
            path="due"
            label="Due"
            type="date"
            InputLabelProps={{ shrink: true }}
            hint="Overdue after the end of that day (UTC) while still open"
            value={values.due}
            onChange={e => update({ due: e.target.value })}
          />
        </Grid>
        <Grid item xs={12}>
          <FormControl
            component="fieldset"
            error={Boolean(errors.targets)}
            fullWidth
          >
            <FormLabel component="legend">Linked targets</FormLabel>
            {shownTargets.length === 0 ? (
              <Box mt={1}>
                <Alert severity="info">
                  The service has no agreement targets to link yet.
                </Alert>
              </Box>
            ) : (
              <FormGroup>
                {shownTargets.map(t => (
                  <FormControlLabel
                    key={t.key}
                    control={
                      <Checkbox
                        size="small"
                        checked={values.targets.includes(t.key)}
                        onChange={e => toggleTarget(t.key, e.target.checked)}
                      />
                    }
                    label={t.label}
                  />
                ))}
              </FormGroup>
            )}
            <FormHelperText>
              {errors.targets ?? 'The targets this initiative should improve'}
            </FormHelperText>
          </FormControl>
        </Grid>
      </Grid>
    </FormDialogShell>
  );
}
