import { ReactNode, useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import {
  DurationPreset,
  DurationUnit,
  UNIT_LABELS,
  amountToIso,
  durationInWords,
  findPreset,
  isoToAmount,
} from '../../form/durationChoices';
import { FieldTextField } from '../FieldTextField';

type FieldProps = {
  /** The field path of the ISO value, e.g. `reviewInterval`. */
  path: string;
  idPrefix: string;
  errors: Record<string, string>;
};

/**
 * A length as "number + unit". Validation speaks of ISO 8601 durations;
 * here the owner typed a number, so the message says what to type.
 */
function amountMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return /ISO 8601/.test(message)
    ? 'must be a whole number above zero'
    : message;
}

/**
 * The "custom" part of a length choice: a number and a unit, sent as the
 * ISO 8601 duration they spell ("28" days → P28D).
 */
function CustomDurationInputs(
  props: FieldProps & {
    label: string;
    amount: string;
    unit: DurationUnit;
    units: DurationUnit[];
    onChange: (amount: string, unit: DurationUnit) => void;
  },
) {
  const { path, idPrefix, errors, label, amount, unit, units } = props;
  const amountPath = `${path}.amount`;
  return (
    <Box display="flex" style={{ gap: 8 }}>
      <FieldTextField
        path={amountPath}
        idPrefix={idPrefix}
        errors={{ [amountPath]: amountMessage(errors[path]) } as any}
        label={`${label}: number`}
        type="number"
        required
        inputProps={{ min: 1, step: 1 }}
        value={amount}
        onChange={e => props.onChange(e.target.value, unit)}
      />
      <FieldTextField
        path={`${path}.unit`}
        idPrefix={idPrefix}
        errors={{}}
        label={`${label}: unit`}
        select
        value={unit}
        onChange={e => props.onChange(amount, e.target.value as DurationUnit)}
      >
        {units.map(u => (
          <option key={u} value={u}>
            {UNIT_LABELS[u]}
          </option>
        ))}
      </FieldTextField>
    </Box>
  );
}

/**
 * Whether the custom inputs are shown: chosen by the owner, or because the
 * value matches no preset. A value set from outside (a target preset, a
 * reload) decides afresh; what the owner types does not.
 */
function useCustomMode(value: string, isPreset: (value: string) => boolean) {
  const emitted = useRef<string>(value);
  const [custom, setCustom] = useState(() => !isPreset(value));
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setCustom(!isPreset(value));
    }
    // isPreset is a pure function of the presets the caller passes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return {
    custom,
    setCustom,
    /** Records a value the field itself sends, so it does not reset the mode. */
    emit: (next: string) => {
      emitted.current = next;
      return next;
    },
  };
}

function initialAmount(
  value: string,
  units: DurationUnit[],
  unit: DurationUnit,
) {
  return isoToAmount(value, units) ?? { amount: '', unit };
}

/**
 * A length chosen from presets in plain words ("every 3 months"), with
 * "custom" for a number and a unit, and optionally "not set". Sends the
 * ISO 8601 duration the API takes; a stored value that fits neither is
 * kept and shown in words.
 */
export function DurationChoiceField(
  props: FieldProps & {
    label: string;
    hint?: string;
    value: string;
    onChange: (iso: string) => void;
    presets: DurationPreset[];
    units: DurationUnit[];
    /** The unit the custom inputs start with. */
    defaultUnit: DurationUnit;
    /** When given, "" is a choice with this label (e.g. the default). */
    emptyLabel?: string;
    customLabel?: string;
    /** Words before a custom length in the option list, e.g. "every". */
    wordsBefore?: string;
  },
) {
  const { path, idPrefix, errors, label, value, presets, units } = props;
  const isPreset = (v: string) =>
    (v === '' && props.emptyLabel !== undefined) ||
    findPreset(presets, v) !== undefined;
  const representable = (v: string) =>
    v === '' || isoToAmount(v, units) !== undefined;
  // Custom inputs for what they can spell; a stored value they cannot is kept as it is.
  const mode = useCustomMode(value, v => isPreset(v) || !representable(v));
  const [parts, setParts] = useState(() =>
    initialAmount(value, units, props.defaultUnit),
  );

  const preset = findPreset(presets, value);
  let selected: string;
  if (mode.custom) selected = 'custom';
  else if (value === '' && props.emptyLabel !== undefined) selected = 'none';
  else if (preset) selected = `iso:${preset.iso}`;
  else selected = 'stored';

  const choose = (key: string) => {
    if (key === 'custom') {
      const next = initialAmount(value, units, props.defaultUnit);
      setParts(next);
      mode.setCustom(true);
      if (!representable(value)) {
        props.onChange(mode.emit(amountToIso(next.amount, next.unit)));
      }
      return;
    }
    mode.setCustom(false);
    if (key === 'none') props.onChange(mode.emit(''));
    else if (key.startsWith('iso:')) props.onChange(mode.emit(key.slice(4)));
  };

  const words = (iso: string) =>
    `${props.wordsBefore ? `${props.wordsBefore} ` : ''}${durationInWords(
      iso,
    )}`;

  return (
    <>
      <FieldTextField
        path={path}
        idPrefix={idPrefix}
        errors={selected === 'custom' ? {} : errors}
        label={label}
        hint={props.hint}
        select
        value={selected}
        onChange={e => choose(e.target.value)}
      >
        {props.emptyLabel !== undefined && (
          <option value="none">{props.emptyLabel}</option>
        )}
        {presets.map(p => (
          <option key={p.iso} value={`iso:${p.iso}`}>
            {p.label}
          </option>
        ))}
        {selected === 'stored' && (
          <option value="stored">{words(value)} (as stored)</option>
        )}
        <option value="custom">{props.customLabel ?? 'custom…'}</option>
      </FieldTextField>
      {selected === 'custom' && (
        <CustomDurationInputs
          path={path}
          idPrefix={idPrefix}
          errors={errors}
          label={label}
          amount={parts.amount}
          unit={parts.unit}
          units={units}
          onChange={(amount, unit) => {
            setParts({ amount, unit });
            props.onChange(mode.emit(amountToIso(amount, unit)));
          }}
        />
      )}
    </>
  );
}

/** A window as the target holds it (type, rolling length, calendar period). */
export type WindowValues = {
  windowType: 'rolling' | 'calendar';
  windowDuration: string;
  windowUnit: 'week' | 'month' | 'quarter' | 'year';
};

/**
 * The target's window in one choice: "rolling 28 days", "calendar month",
 * …, or a custom rolling window as a number and a unit.
 */
export function WindowChoiceField(props: {
  /** `targets[i]` */
  prefix: string;
  idPrefix: string;
  errors: Record<string, string>;
  values: WindowValues;
  onChange: (patch: Partial<WindowValues>) => void;
  rollingPresets: DurationPreset[];
  calendarPresets: Array<{ unit: WindowValues['windowUnit']; label: string }>;
  units: DurationUnit[];
  /** Rendered after the choice, e.g. the time zone of calendar periods. */
  children?: ReactNode;
}) {
  const { prefix, idPrefix, errors, values, units } = props;
  const durationPath = `${prefix}.window.duration`;
  const isPreset = (v: string) =>
    findPreset(props.rollingPresets, v) !== undefined;
  const representable = (v: string) =>
    v === '' || isoToAmount(v, units) !== undefined;
  const rollingValue =
    values.windowType === 'rolling' ? values.windowDuration : '';
  const mode = useCustomMode(
    rollingValue,
    v => v === '' || isPreset(v) || !representable(v),
  );
  const [parts, setParts] = useState(() =>
    initialAmount(values.windowDuration, units, 'days'),
  );
  const preset = findPreset(props.rollingPresets, values.windowDuration);

  let selected: string;
  if (values.windowType === 'calendar') {
    selected = `calendar:${values.windowUnit}`;
  } else if (mode.custom) selected = 'custom';
  else if (preset) selected = `rolling:${preset.iso}`;
  else selected = 'stored';

  const choose = (key: string) => {
    if (key.startsWith('calendar:')) {
      mode.setCustom(false);
      props.onChange({
        windowType: 'calendar',
        windowUnit: key.slice(9) as WindowValues['windowUnit'],
      });
    } else if (key.startsWith('rolling:')) {
      mode.setCustom(false);
      props.onChange({
        windowType: 'rolling',
        windowDuration: mode.emit(key.slice(8)),
      });
    } else if (key === 'custom') {
      const next = initialAmount(values.windowDuration, units, 'days');
      setParts(next);
      mode.setCustom(true);
      props.onChange({
        windowType: 'rolling',
        windowDuration: mode.emit(amountToIso(next.amount, next.unit)),
      });
    }
  };

  return (
    <>
      <FieldTextField
        path={`${prefix}.window.type`}
        idPrefix={idPrefix}
        errors={
          selected === 'custom'
            ? errors
            : {
                ...errors,
                [`${prefix}.window.type`]:
                  errors[`${prefix}.window.type`] ?? errors[durationPath],
              }
        }
        label="Window"
        select
        value={selected}
        onChange={e => choose(e.target.value)}
      >
        {props.rollingPresets.map(p => (
          <option key={p.iso} value={`rolling:${p.iso}`}>
            {p.label}
          </option>
        ))}
        {props.calendarPresets.map(c => (
          <option key={c.unit} value={`calendar:${c.unit}`}>
            {c.label}
          </option>
        ))}
        {selected === 'stored' && (
          <option value="stored">
            rolling {durationInWords(values.windowDuration)} (as stored)
          </option>
        )}
        <option value="custom">custom rolling window…</option>
      </FieldTextField>
      {selected === 'custom' && (
        <CustomDurationInputs
          path={durationPath}
          idPrefix={idPrefix}
          errors={errors}
          label="Rolling window"
          amount={parts.amount}
          unit={parts.unit}
          units={units}
          onChange={(amount, unit) => {
            setParts({ amount, unit });
            props.onChange({
              windowType: 'rolling',
              windowDuration: mode.emit(amountToIso(amount, unit)),
            });
          }}
        />
      )}
      {props.children}
    </>
  );
}

/**
 * The timeslice of a threshold target: only the lengths the backend
 * accepts (TIMESLICE_CHOICES, built from its rule), whole minutes first.
 * Empty is the default, one minute.
 */
export function TimesliceField(
  props: FieldProps & {
    value: string;
    onChange: (iso: string) => void;
    choices: Array<DurationPreset & { wholeMinutes: boolean }>;
    find: (iso: string) => DurationPreset | undefined;
  },
) {
  const { path, idPrefix, errors, value, choices } = props;
  const match = value === '' ? undefined : props.find(value);
  let selected: string;
  if (value === '' || match?.iso === 'PT1M') selected = 'default';
  else if (match) selected = match.iso;
  else selected = 'stored';
  const minutes = choices.filter(c => c.wholeMinutes && c.iso !== 'PT1M');
  const others = choices.filter(c => !c.wholeMinutes);
  return (
    <FieldTextField
      path={path}
      idPrefix={idPrefix}
      errors={errors}
      label="Time slice"
      hint="How long each judged interval is"
      select
      value={selected}
      onChange={e =>
        props.onChange(e.target.value === 'default' ? '' : e.target.value)
      }
    >
      <option value="default">1 minute (the default)</option>
      {minutes.map(c => (
        <option key={c.iso} value={c.iso}>
          {c.label}
        </option>
      ))}
      {/* Not an optgroup: the target cards are the dialog's groups. */}
      {others.map(c => (
        <option key={c.iso} value={c.iso}>
          {c.label}
        </option>
      ))}
      {selected === 'stored' && (
        <option value="stored">{durationInWords(value)} (not accepted)</option>
      )}
    </FieldTextField>
  );
}
