import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import type {
  Agreement,
  TransitionRequest,
} from '@opensla/backstage-plugin-sla-common';

/** The moves that need a second thought or extra input before they are made. */
export type ConfirmedTransition = 'withdraw' | 'prolong';

function utcDate(instant?: string): string {
  return instant
    ? DateTime.fromISO(instant, { zone: 'utc' }).toISODate() ?? ''
    : '';
}

/**
 * Asks before a lifecycle move that cannot be undone (withdraw) or that may
 * change the terms (prolong: agreed again, optionally with a later end date).
 */
export function TransitionDialog(props: {
  agreement: Agreement;
  transition: ConfirmedTransition;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (request: TransitionRequest) => void;
}) {
  const { agreement, transition, busy, onCancel, onConfirm } = props;
  const [comment, setComment] = useState('');
  const [validUntil, setValidUntil] = useState(utcDate(agreement.validUntil));
  const withdrawing = transition === 'withdraw';
  const actionLabel = withdrawing ? 'Withdraw' : 'Prolong';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request: TransitionRequest = {
      to: withdrawing ? 'withdrawn' : 'agreed',
    };
    if (comment.trim()) request.comment = comment.trim();
    if (
      !withdrawing &&
      validUntil &&
      validUntil !== utcDate(agreement.validUntil)
    ) {
      // Same end-of-day convention as the editor: valid through that date.
      request.validUntil = DateTime.fromISO(validUntil, { zone: 'utc' })
        .endOf('day')
        .toISO()!;
    }
    onConfirm(request);
  };

  return (
    <Dialog open onClose={onCancel} aria-labelledby="sla-transition-title">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="sla-transition-title">
          {actionLabel} “{agreement.title}”?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {withdrawing
              ? 'A withdrawn agreement is no longer in force and cannot be changed again. It stays in the history.'
              : 'The reviewed agreement is agreed again. Move its end date forward if it should run longer.'}
          </DialogContentText>
          {!withdrawing && (
            <TextField
              id="sla-transition-valid-until"
              label="Valid until"
              type="date"
              value={validUntil}
              onChange={e => setValidUntil(e.target.value)}
              InputLabelProps={{ shrink: true }}
              fullWidth
              margin="dense"
            />
          )}
          <TextField
            id="sla-transition-comment"
            label="Comment"
            helperText="Recorded in the version history"
            value={comment}
            onChange={e => setComment(e.target.value)}
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
            color={withdrawing ? 'secondary' : 'primary'}
            variant="contained"
            disabled={busy}
          >
            {actionLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
