import TextField, { TextFieldProps } from '@material-ui/core/TextField';

/**
 * A TextField bound to one field path of the agreement (e.g.
 * `targets[0].objective`): it shows the validation message for that path in
 * place of its hint. Selects are native so that they are labelled <select>s.
 */
export function FieldTextField(
  props: Omit<TextFieldProps, 'error' | 'id' | 'variant'> & {
    path: string;
    idPrefix: string;
    errors: Record<string, string>;
    hint?: string;
  },
) {
  const { path, idPrefix, errors, hint, select, InputLabelProps, ...rest } =
    props;
  const message = errors[path];
  return (
    <TextField
      {...rest}
      id={`${idPrefix}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`}
      select={select}
      SelectProps={select ? { native: true } : undefined}
      InputLabelProps={
        select ? { shrink: true, ...InputLabelProps } : InputLabelProps
      }
      error={Boolean(message)}
      helperText={message ?? hint}
      fullWidth
      margin="dense"
    />
  );
}
