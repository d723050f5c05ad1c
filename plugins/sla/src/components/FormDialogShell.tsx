import { FormEvent, ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import type { ApiFormState } from '../form/useApiForm';

/**
 * The frame every editing dialog of the plugin shares: a title, the
 * conflict (409) warning with Reload, the errors no field can show, the
 * form, and Cancel/Save with a busy state. The dialog cannot be closed
 * while saving. `onSubmit` runs on Save and on Enter.
 */
export function FormDialogShell(props: {
  idPrefix: string;
  title: ReactNode;
  form: ApiFormState;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  /** Loads the latest data; the form keeps its input. Without it, no Reload button. */
  onReload?: () => void;
  /** After the conflict message, e.g. "Reload to see the latest initiatives; your input stays in the form." */
  conflictHint?: string;
  /** Shown above the alerts, e.g. why a review was opened. */
  intro?: ReactNode;
  maxWidth?: 'sm' | 'md' | 'lg';
  children: ReactNode;
}) {
  const { idPrefix, form, onClose, onReload } = props;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  const reload = () => {
    form.clearConflict();
    onReload?.();
  };
  return (
    <Dialog
      open
      onClose={form.saving ? undefined : onClose}
      maxWidth={props.maxWidth ?? 'md'}
      fullWidth
      scroll="body"
      aria-labelledby={`${idPrefix}-dialog-title`}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={`${idPrefix}-dialog-title`}>{props.title}</DialogTitle>
        <DialogContent>
          {props.intro}
          {form.conflict && (
            <Box mb={2}>
              <Alert
                severity="warning"
                action={
                  onReload && (
                    <Button color="inherit" size="small" onClick={reload}>
                      Reload
                    </Button>
                  )
                }
              >
                {form.conflict}
                {props.conflictHint ? `. ${props.conflictHint}` : ''}
              </Alert>
            </Box>
          )}
          {form.generalError && (
            <Box mb={2}>
              <Alert severity="error">{form.generalError}</Alert>
            </Box>
          )}
          {form.placed.unplaced.length > 0 && (
            <Box mb={2}>
              <Alert severity="error">
                {form.placed.unplaced.map(e => (
                  <div key={`${e.field} ${e.message}`}>
                    {e.field} {e.message}
                  </div>
                ))}
              </Alert>
            </Box>
          )}
          {props.children}
        </DialogContent>
        <DialogActions>
          {form.saving && <CircularProgress size={20} aria-label="Saving" />}
          <Button onClick={onClose} disabled={form.saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={form.saving}
          >
            {props.submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
