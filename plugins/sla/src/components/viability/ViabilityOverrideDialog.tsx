import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';

/** Whether a refused transition was refused for viability (the backend's 409). */
export function isViabilityRefusal(
  status: number | undefined,
  message: string,
) {
  return status === 409 && message.includes('is not viable');
}

/**
 * After the backend refused to agree a target its dependencies cannot
 * support: shows the shortfall and lets the owner agree anyway with a
 * reason, which the history keeps.
 */
export function ViabilityOverrideDialog(props: {
  agreement: Agreement;
  shortfall: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { agreement, shortfall, busy, onCancel, onConfirm } = props;
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onConfirm(reason.trim());
  };
  return (
    <Dialog open onClose={onCancel} aria-labelledby="sla-override-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="sla-override-title">
          Agree “{agreement.title}” although it is not viable?
        </DialogTitle>
        <DialogContent>
          <Alert severity="warning">{shortfall}</Alert>
          <TextField
            id="sla-override-reason"
            label="Reason"
            required
            helperText="Why agree it anyway, e.g. the plan to strengthen the weakest link; kept in the history"
            value={reason}
            onChange={e => setReason(e.target.value)}
            fullWidth
            multiline
            margin="dense"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="secondary"
            variant="contained"
            disabled={busy || !reason.trim()}
          >
            Agree anyway
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
