import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import type { TargetSource } from '@opensla/backstage-plugin-sla-common';
import type { MetricSuggestions } from '../../hooks/useMetricSuggestions';
import { describeApiError } from '../../lib/describeApiError';
import { FieldTextField } from '../FieldTextField';

type SliKind = 'ratio' | 'threshold' | 'duration' | 'ticket';

/** A suggestion: a series the entity reports, or a Prometheus template. */
type MetricOption =
  | { type: 'series'; metric: string; kind: SliKind; latestAt?: string }
  | { type: 'template'; name: string; description?: string };

const KIND_WORDS: Record<SliKind, string> = {
  ratio: 'good and total counts',
  threshold: 'values',
  duration: 'events',
  ticket: 'tickets',
};

function label(option: MetricOption | string): string {
  if (typeof option === 'string') return option;
  return option.type === 'series' ? option.metric : option.name;
}

const filter = createFilterOptions<MetricOption>({
  stringify: option =>
    option.type === 'series'
      ? option.metric
      : `${option.name} ${option.description ?? ''}`,
});

/**
 * The metric of a target: the series name its measurements use. Suggests
 * the series the entity already reports with data of the target's SLI
 * kind and, where the Prometheus module is configured, its query
 * templates (picking one measures the target with it). Any name can be
 * typed, e.g. for a series whose first measurement is still to come.
 */
export function MetricField(props: {
  /** `targets[i]` */
  prefix: string;
  idPrefix: string;
  errors: Record<string, string>;
  metric: string;
  sliKind: SliKind;
  source?: TargetSource;
  suggestions: MetricSuggestions;
  onChange: (patch: { metric?: string; source?: TargetSource }) => void;
}) {
  const { prefix, idPrefix, errors, metric, sliKind, source, suggestions } =
    props;
  const path = `${prefix}.metric`;
  const id = `${idPrefix}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const options: MetricOption[] = [
    ...suggestions.series
      .filter(s => s.kind === sliKind)
      .map(s => ({ type: 'series' as const, ...s })),
    ...(sliKind === 'duration' || sliKind === 'ticket'
      ? []
      : suggestions.templates
          .filter(t => t.sliKinds.includes(sliKind))
          .map(t => ({
            type: 'template' as const,
            name: t.name,
            description: t.description,
          }))),
  ];
  const template =
    source?.type === 'prometheus' && source.template
      ? suggestions.templates.find(t => t.name === source.template)
      : undefined;

  let hint: string;
  if (suggestions.error) {
    hint = `Could not load suggestions (${
      describeApiError(suggestions.error).message
    }); type the series name`;
  } else if (suggestions.loading) {
    hint = "Loading this entity's series…";
  } else if (options.length === 0) {
    hint = `This entity reports no series of ${KIND_WORDS[sliKind]} yet: type the name its measurements will use`;
  } else {
    hint = 'Pick a series this entity reports, or type a new name';
  }
  const message = errors[path];

  const pick = (option: MetricOption | string | null) => {
    if (option === null) {
      props.onChange({ metric: '' });
    } else if (typeof option === 'string') {
      props.onChange({ metric: option });
    } else if (option.type === 'series') {
      props.onChange({ metric: option.metric });
    } else {
      // Every parameter the template reads starts empty, so that saving
      // without it names the field.
      const parameters = suggestions.templates.find(
        t => t.name === option.name,
      )?.parameters;
      props.onChange({
        metric: option.name,
        source: {
          type: 'prometheus',
          template: option.name,
          ...(parameters?.length
            ? { parameters: Object.fromEntries(parameters.map(n => [n, ''])) }
            : {}),
        },
      });
    }
  };

  return (
    <>
      <Autocomplete<MetricOption, false, false, true>
        id={id}
        freeSolo
        options={options}
        filterOptions={filter}
        groupBy={option =>
          option.type === 'series'
            ? 'Series this entity reports'
            : 'Prometheus query templates'
        }
        getOptionLabel={label}
        inputValue={metric}
        onInputChange={(_event, text, reason) => {
          if (reason === 'input' || reason === 'clear') {
            props.onChange({ metric: text });
          }
        }}
        onChange={(_event, option) => pick(option)}
        loading={suggestions.loading}
        loadingText="Loading this entity's series…"
        renderOption={option => (
          <div>
            <Typography variant="body2">{label(option)}</Typography>
            <Typography variant="caption" color="textSecondary">
              {option.type === 'series'
                ? `${KIND_WORDS[option.kind]}${
                    option.latestAt
                      ? `, latest ${new Date(option.latestAt).toLocaleString()}`
                      : ''
                  }`
                : `Measured by Prometheus${
                    option.description ? `: ${option.description}` : ''
                  }`}
            </Typography>
          </div>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label="Metric"
            required
            margin="dense"
            fullWidth
            error={Boolean(message)}
            helperText={message ?? hint}
          />
        )}
      />
      {source && (
        <Box mt={1}>
          <Typography variant="body2" color="textSecondary">
            {source.template
              ? `Measured by the Prometheus template ${source.template}${
                  template?.description ? ` (${template.description})` : ''
                }`
              : `Measured by ${source.type}, as configured on this target`}
          </Typography>
          {template?.parameters.map(name => (
            <FieldTextField
              key={name}
              path={`${prefix}.source.parameters.${name}`}
              idPrefix={idPrefix}
              errors={errors}
              label={`Template parameter ${name}`}
              required
              value={source.parameters?.[name] ?? ''}
              onChange={e =>
                props.onChange({
                  source: {
                    ...source,
                    parameters: {
                      ...source.parameters,
                      [name]: e.target.value,
                    },
                  },
                })
              }
            />
          ))}
          <Button
            size="small"
            onClick={() => props.onChange({ source: undefined })}
          >
            Measure without {source.template ? 'the template' : source.type}
          </Button>
        </Box>
      )}
    </>
  );
}
