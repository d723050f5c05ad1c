import { memo } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  describeTarget,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import {
  TargetFormValues,
  targetFormValuesToInput,
} from '../form/agreementForm';
import { FieldTextField } from './FieldTextField';

const ASPECTS: Array<[TargetFormValues['aspect'], string]> = [
  ['availability', 'Availability'],
  ['performance', 'Performance'],
  ['timeliness', 'Timeliness'],
  ['support', 'Support'],
  ['accuracy', 'Accuracy'],
  ['functionality', 'Functionality'],
  ['experience', 'Experience (XLA)'],
];

const SLI_KINDS: Array<[TargetFormValues['sliKind'], string]> = [
  ['ratio', 'Ratio: good events out of all events'],
  ['threshold', 'Threshold: a value per time slice'],
  ['duration', 'Duration: events finished in time'],
  ['ticket', 'Ticket: response or resolution clock, paused while waiting'],
];

const CALENDAR_UNITS: Array<TargetFormValues['windowUnit']> = [
  'week',
  'month',
  'quarter',
  'year',
];

/**
 * The plain-words reading of a target while it is typed, shown once the
 * target is complete and valid (a half-typed one would read as nonsense).
 */
function preview(values: TargetFormValues): string | undefined {
  const target = targetFormValuesToInput(values);
  const problems = validateAgreementInput({
    kind: 'SLA',
    entityRef: 'component:default/preview',
    title: 'preview',
    targets: [target],
  });
  return problems.length === 0 ? describeTarget(target) : undefined;
}

function TargetFieldsInputs(props: {
  index: number;
  values: TargetFormValues;
  errors: Record<string, string>;
  idPrefix: string;
  onChange: (index: number, patch: Partial<TargetFormValues>) => void;
  onRemove: (index: number) => void;
}) {
  const { index, values, errors } = props;
  const onChange = (patch: Partial<TargetFormValues>) =>
    props.onChange(index, patch);
  const onRemove = () => props.onRemove(index);
  const prefix = `targets[${index}]`;
  const common = { errors, idPrefix: props.idPrefix };
  const heading = `Target ${index + 1}`;
  const reading = preview(values);

  return (
    <Paper variant="outlined" role="group" aria-label={heading}>
      <Box p={2}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="subtitle1" component="h3">
            {heading}
          </Typography>
          <Button size="small" color="secondary" onClick={onRemove}>
            Remove target
          </Button>
        </Box>
        {errors[prefix] && (
          <Typography color="error" variant="body2">
            {errors[prefix]}
          </Typography>
        )}
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <FieldTextField
              {...common}
              path={`${prefix}.name`}
              label="Target name"
              required
              value={values.name}
              onChange={e => onChange({ name: e.target.value })}
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <FieldTextField
              {...common}
              path={`${prefix}.aspect`}
              label="Aspect"
              select
              value={values.aspect}
              onChange={e =>
                onChange({
                  aspect: e.target.value as TargetFormValues['aspect'],
                })
              }
            >
              {ASPECTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </FieldTextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <FieldTextField
              {...common}
              path={`${prefix}.metric`}
              label="Metric"
              required
              hint="The measurement series, e.g. http_requests"
              value={values.metric}
              onChange={e => onChange({ metric: e.target.value })}
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <FieldTextField
              {...common}
              path={`${prefix}.sli.kind`}
              label="SLI kind"
              select
              value={values.sliKind}
              onChange={e =>
                onChange({
                  sliKind: e.target.value as TargetFormValues['sliKind'],
                })
              }
            >
              {SLI_KINDS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </FieldTextField>
          </Grid>
          {values.sliKind === 'threshold' && (
            <>
              <Grid item xs={6} sm={3}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.operator`}
                  label="Operator"
                  select
                  value={values.operator}
                  onChange={e =>
                    onChange({
                      operator: e.target.value as TargetFormValues['operator'],
                    })
                  }
                >
                  <option value="lte">at most (≤)</option>
                  <option value="gte">at least (≥)</option>
                </FieldTextField>
              </Grid>
              <Grid item xs={6} sm={3}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.threshold`}
                  label="Threshold"
                  type="number"
                  required
                  value={values.threshold}
                  onChange={e => onChange({ threshold: e.target.value })}
                />
              </Grid>
              <Grid item xs={6} sm={3}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.unit`}
                  label="Unit"
                  hint="e.g. ms"
                  value={values.unit}
                  onChange={e => onChange({ unit: e.target.value })}
                />
              </Grid>
              <Grid item xs={6} sm={3}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.timeslice`}
                  label="Time slice"
                  hint="Divides an hour, PT1M–PT1H (default PT1M)"
                  value={values.timeslice}
                  onChange={e => onChange({ timeslice: e.target.value })}
                />
              </Grid>
            </>
          )}
          {values.sliKind === 'ticket' && (
            <Grid item xs={12}>
              <FieldTextField
                {...common}
                select
                path={`${prefix}.sli.measure`}
                label="Measure"
                required
                hint="Response: until the first move out of new. Resolution: until resolved, paused while waiting on the customer or a vendor."
                value={values.measure}
                onChange={e =>
                  onChange({
                    measure: e.target.value as TargetFormValues['measure'],
                  })
                }
              >
                <option value="response">Response</option>
                <option value="resolution">Resolution</option>
              </FieldTextField>
            </Grid>
          )}
          {(values.sliKind === 'duration' || values.sliKind === 'ticket') && (
            <>
              <Grid item xs={6}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.maxDuration`}
                  label="Maximum duration"
                  required
                  hint="ISO 8601, e.g. PT4H"
                  value={values.maxDuration}
                  onChange={e => onChange({ maxDuration: e.target.value })}
                />
              </Grid>
              <Grid item xs={6}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.priority`}
                  label="Priority"
                  hint="Only events of this priority, e.g. P1"
                  value={values.priority}
                  onChange={e => onChange({ priority: e.target.value })}
                />
              </Grid>
            </>
          )}
          <Grid item xs={12} sm={3}>
            <FieldTextField
              {...common}
              path={`${prefix}.objective`}
              label="Objective (%)"
              type="number"
              required
              placeholder="99.9"
              inputProps={{ step: 'any' }}
              value={values.objective}
              onChange={e => onChange({ objective: e.target.value })}
            />
          </Grid>
          <Grid item xs={12} sm={3}>
            <FieldTextField
              {...common}
              path={`${prefix}.window.type`}
              label="Window"
              select
              value={values.windowType}
              onChange={e =>
                onChange({
                  windowType: e.target.value as TargetFormValues['windowType'],
                })
              }
            >
              <option value="rolling">Rolling</option>
              <option value="calendar">Calendar period</option>
            </FieldTextField>
          </Grid>
          {values.windowType === 'rolling' ? (
            <Grid item xs={12} sm={6}>
              <FieldTextField
                {...common}
                path={`${prefix}.window.duration`}
                label="Window length"
                required
                hint="ISO 8601, e.g. P28D"
                value={values.windowDuration}
                onChange={e => onChange({ windowDuration: e.target.value })}
              />
            </Grid>
          ) : (
            <>
              <Grid item xs={6} sm={2}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.window.unit`}
                  label="Period"
                  select
                  value={values.windowUnit}
                  onChange={e =>
                    onChange({
                      windowUnit: e.target
                        .value as TargetFormValues['windowUnit'],
                    })
                  }
                >
                  {CALENDAR_UNITS.map(unit => (
                    <option key={unit} value={unit}>
                      {unit}
                    </option>
                  ))}
                </FieldTextField>
              </Grid>
              <Grid item xs={6} sm={4}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.window.timeZone`}
                  label="Time zone"
                  required
                  hint="IANA, e.g. Europe/Berlin"
                  value={values.windowTimeZone}
                  onChange={e => onChange({ windowTimeZone: e.target.value })}
                />
              </Grid>
            </>
          )}
        </Grid>
        {reading && (
          <Typography variant="body2" color="textSecondary">
            Reads as: {reading}
          </Typography>
        )}
      </Box>
    </Paper>
  );
}

/**
 * The inputs of one target of the agreement editor, grouped as "Target N".
 * Memoised: typing in one target leaves the others alone.
 */
export const TargetFields = memo(TargetFieldsInputs);
