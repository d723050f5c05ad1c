import { memo } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import {
  BusinessCalendar,
  describeTarget,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import {
  TargetFormValues,
  targetFormValuesToInput,
} from '../form/agreementForm';
import {
  CALENDAR_WINDOW_PRESETS,
  MAX_DURATION_PRESETS,
  MAX_DURATION_UNITS,
  ROLLING_WINDOW_PRESETS,
  ROLLING_WINDOW_UNITS,
  TIMESLICE_CHOICES,
  findTimeslice,
} from '../form/durationChoices';
import {
  TARGET_PRESETS,
  isStandardBusinessHours,
  standardBusinessHours,
} from '../form/targetPresets';
import type { MetricSuggestions } from '../hooks/useMetricSuggestions';
import { FieldTextField } from './FieldTextField';
import {
  DurationChoiceField,
  TimesliceField,
  WindowChoiceField,
} from './editor/DurationFields';
import { MetricField } from './editor/MetricField';

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

/** How a duration target counts time: always, standard business hours, or others kept. */
function clockOf(
  calendar: BusinessCalendar | undefined,
): 'always' | 'business' | 'kept' {
  if (!calendar) return 'always';
  return isStandardBusinessHours(calendar) ? 'business' : 'kept';
}

const WEEKDAY_WORDS: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** "Mon 09:00–17:00, Tue …, Europe/Berlin", or nothing without a calendar. */
function describeCalendar(calendar: BusinessCalendar | undefined) {
  if (!calendar) return 'Elapsed time counts day and night';
  if (isStandardBusinessHours(calendar)) {
    return `Only opening hours count, in ${calendar.timeZone}`;
  }
  const days = Object.entries(calendar.openingHours)
    .map(
      ([day, hours]) =>
        `${WEEKDAY_WORDS[day] ?? day} ${(hours ?? [])
          .map(([from, to]) => `${from}–${to}`)
          .join(', ')}`,
    )
    .join('; ');
  const holidays = calendar.holidays?.length
    ? `, ${calendar.holidays.length} holiday(s)`
    : '';
  return `${days} (${calendar.timeZone}${holidays})`;
}

/** The zone presets and business hours use: the target's, else the browser's. */
function zoneOf(values: TargetFormValues): string {
  return values.windowTimeZone.trim() || DateTime.local().zoneName || 'UTC';
}

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
  /** The metric names the editor suggests (the entity's series, templates). */
  suggestions: MetricSuggestions;
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
          <Grid item xs={12}>
            <FieldTextField
              {...common}
              path={`${prefix}.preset`}
              label="Preset"
              hint="Fills the fields below with a common target; change any of them after"
              select
              value=""
              onChange={e => {
                const preset = TARGET_PRESETS.find(
                  p => p.id === e.target.value,
                );
                if (preset) onChange(preset.values(zoneOf(values)));
              }}
            >
              <option value="">Choose a common target…</option>
              {TARGET_PRESETS.map(p => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </FieldTextField>
          </Grid>
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
          <Grid item xs={12} sm={6}>
            <MetricField
              prefix={prefix}
              idPrefix={props.idPrefix}
              errors={errors}
              metric={values.metric}
              sliKind={values.sliKind}
              source={values.source}
              suggestions={props.suggestions}
              onChange={onChange}
            />
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
                <TimesliceField
                  {...common}
                  path={`${prefix}.timeslice`}
                  value={values.timeslice}
                  onChange={timeslice => onChange({ timeslice })}
                  choices={TIMESLICE_CHOICES}
                  find={findTimeslice}
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
              <Grid item xs={12} sm={4}>
                <DurationChoiceField
                  {...common}
                  path={`${prefix}.sli.maxDuration`}
                  label="Maximum duration"
                  value={values.maxDuration}
                  onChange={maxDuration => onChange({ maxDuration })}
                  presets={MAX_DURATION_PRESETS}
                  units={MAX_DURATION_UNITS}
                  defaultUnit="hours"
                  customLabel="custom length…"
                />
              </Grid>
              <Grid item xs={6} sm={4}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.sli.priority`}
                  label="Priority"
                  hint="Only events of this priority, e.g. P1; empty for all"
                  value={values.priority}
                  onChange={e => onChange({ priority: e.target.value })}
                />
              </Grid>
              <Grid item xs={6} sm={4}>
                <FieldTextField
                  {...common}
                  path={`${prefix}.calendar`}
                  label="Time counted"
                  select
                  value={clockOf(values.calendar)}
                  hint={describeCalendar(values.calendar)}
                  onChange={e => {
                    if (e.target.value === 'business') {
                      onChange({
                        calendar: standardBusinessHours(zoneOf(values)),
                      });
                    } else if (e.target.value === 'always') {
                      onChange({ calendar: undefined });
                    }
                  }}
                >
                  <option value="always">around the clock</option>
                  <option value="business">
                    business hours (Mon–Fri 09:00–17:00)
                  </option>
                  {clockOf(values.calendar) === 'kept' && (
                    <option value="kept">the agreed business hours</option>
                  )}
                </FieldTextField>
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
          <Grid item xs={12} sm={5}>
            <WindowChoiceField
              prefix={prefix}
              idPrefix={props.idPrefix}
              errors={errors}
              values={values}
              onChange={onChange}
              rollingPresets={ROLLING_WINDOW_PRESETS}
              calendarPresets={CALENDAR_WINDOW_PRESETS}
              units={ROLLING_WINDOW_UNITS}
            />
          </Grid>
          {(values.windowType === 'calendar' ||
            clockOf(values.calendar) === 'business') && (
            <Grid item xs={12} sm={4}>
              <FieldTextField
                {...common}
                path={`${prefix}.window.timeZone`}
                label="Time zone"
                required
                hint="Where the periods and business hours are counted, e.g. Europe/Berlin"
                value={values.windowTimeZone}
                onChange={e => {
                  const windowTimeZone = e.target.value;
                  onChange({
                    windowTimeZone,
                    // Standard business hours follow the target's zone.
                    ...(clockOf(values.calendar) === 'business'
                      ? {
                          calendar: standardBusinessHours(
                            windowTimeZone.trim(),
                          ),
                        }
                      : {}),
                  });
                }}
              />
            </Grid>
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
