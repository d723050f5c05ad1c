import { useCallback, useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Agreement,
  AgreementNegotiation,
  AgreementParty,
  AgreementSignature,
  isSigningOpen,
  partyLabel,
  signaturesOnTerms,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { describeApiError } from '../../lib/describeApiError';
import { formatDate } from '../../lib/formatDates';

const PARTY_NAMES: Record<AgreementParty, string> = {
  provider: 'Provider',
  customer: 'Customer',
};

/** "Awaiting the customer's signature", "… the provider's and the customer's signatures". */
export function awaitingText(awaiting: AgreementParty[]): string {
  return `Awaiting the ${awaiting.map(partyLabel).join(' and the ')} signature${
    awaiting.length > 1 ? 's' : ''
  }`;
}

function signedText(s: AgreementSignature): string {
  return `signed by ${s.signedBy} on ${formatDate(s.signedAt)}${
    s.onBehalf ? ' (on behalf)' : ''
  }${s.migrated ? ' (recorded when signatures were introduced)' : ''}`;
}

function partyState(p: AgreementNegotiation['parties'][number]): string {
  if (p.signature) return signedText(p.signature);
  return p.mustSign ? 'not signed yet' : 'does not sign (the provider itself)';
}

function TextDialog(props: {
  title: string;
  label: string;
  onCancel: () => void;
  onSubmit: (text: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open onClose={props.onCancel} fullWidth>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <TextField
          label={props.label}
          value={text}
          onChange={e => setText(e.target.value)}
          multiline
          minRows={3}
          fullWidth
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !text.trim()}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onSubmit(text.trim());
            } finally {
              setBusy(false);
            }
          }}
        >
          Send
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * The negotiation of one agreement on its card: which signatures are
 * awaited, who may sign for each party, the signatures given, the open
 * comments, and Sign / Request changes / Comment for the parties' members.
 * An agreed agreement shows the signatures that agreed it (no request).
 */
export function AgreementNegotiationPanel(props: {
  agreement: Agreement;
  onChanged: () => void;
  /** Told the negotiation as loaded (undefined while signing is closed). */
  onView?: (view: AgreementNegotiation | undefined) => void;
}) {
  const { agreement, onChanged, onView } = props;
  const slaApi = useApi(slaApiRef);
  const open = isSigningOpen(agreement.status);
  const [view, setView] = useState<AgreementNegotiation>();
  const [loadError, setLoadError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'comment' | 'changes'>();

  const load = useCallback(async () => {
    if (!open) return;
    try {
      setView(await slaApi.getAgreementNegotiation(agreement.id));
      setLoadError(undefined);
    } catch (e) {
      setLoadError(describeApiError(e).message);
    }
  }, [slaApi, agreement.id, open]);

  useEffect(() => {
    load();
  }, [load, agreement.version]);

  useEffect(() => {
    onView?.(open ? view : undefined);
  }, [onView, open, view]);

  const act = async (label: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setDialog(undefined);
      onChanged();
      await load();
    } catch (e) {
      const { status, message } = describeApiError(e);
      setError(`Could not ${label}: ${message}`);
      if (status === 409) onChanged();
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    const signed = signaturesOnTerms(agreement);
    if (agreement.status !== 'agreed' || !signed.length) return null;
    return (
      <Box mt={2} aria-label="Signatures">
        <Typography variant="subtitle2">Signatures</Typography>
        {signed.map(s => (
          <Typography variant="body2" key={s.party}>
            {PARTY_NAMES[s.party]}: {signedText(s)}
          </Typography>
        ))}
      </Box>
    );
  }
  if (loadError) {
    return (
      <Box mt={2}>
        <Alert severity="error">
          Could not load the negotiation: {loadError}
        </Alert>
      </Box>
    );
  }
  if (!view) return <Progress />;

  const speaks = view.parties.some(p => p.callerMaySign);
  return (
    <Box mt={2} component="section" aria-label="Negotiation">
      <Typography variant="subtitle2">Negotiation</Typography>
      {view.awaiting.length > 0 && (
        <Alert severity="info">{awaitingText(view.awaiting)}</Alert>
      )}
      {view.parties.map(p => (
        <Box key={p.party} mt={1}>
          <Typography variant="body2">
            {PARTY_NAMES[p.party]}
            {p.entityRef ? ` (${p.entityRef})` : ''}:{' '}
            {partyState(p)}
          </Typography>
          {!p.signature && p.mustSign && (
            <Typography variant="caption" color="textSecondary">
              Who can sign: {p.signers.length ? p.signers.join(', ') : 'its members'}
            </Typography>
          )}
          {!p.signature && p.mustSign && p.callerMaySign && (
            <Box mt={0.5}>
              <Button
                variant="contained"
                color="primary"
                size="small"
                disabled={busy}
                onClick={() =>
                  act('sign', () =>
                    slaApi.signAgreement(agreement.id, {
                      party: p.party,
                      version: agreement.version,
                    }),
                  )
                }
              >
                Sign for the {p.party}
              </Button>
            </Box>
          )}
        </Box>
      ))}
      {view.openComments.length > 0 && (
        <Box mt={1}>
          <Typography variant="subtitle2">Open comments</Typography>
          <ul aria-label="Open comments">
            {view.openComments.map(c => (
              <li key={c.id}>
                <Typography variant="body2">
                  {c.kind === 'change-request' ? 'Changes requested by ' : ''}
                  {c.author} ({c.party}, {formatDate(c.createdAt)}): {c.text}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
      {speaks && (
        <Box mt={1} display="flex" style={{ gap: 8 }}>
          {agreement.status === 'negotiation' && (
            <Button
              variant="outlined"
              size="small"
              disabled={busy}
              onClick={() => setDialog('changes')}
            >
              Request changes
            </Button>
          )}
          <Button
            variant="outlined"
            size="small"
            disabled={busy}
            onClick={() => setDialog('comment')}
          >
            Comment
          </Button>
        </Box>
      )}
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {dialog && (
        <TextDialog
          title={dialog === 'comment' ? 'Comment' : 'Request changes'}
          label={dialog === 'comment' ? 'Comment' : 'Changes requested'}
          onCancel={() => setDialog(undefined)}
          onSubmit={text =>
            act(dialog === 'comment' ? 'comment' : 'request changes', () =>
              dialog === 'comment'
                ? slaApi.commentAgreement(agreement.id, { text })
                : slaApi.requestAgreementChanges(agreement.id, { text }),
            )
          }
        />
      )}
    </Box>
  );
}
