import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  Agreement,
  AgreementStatus,
  allowedTransitions,
  TransitionRequest,
  transitionLabel,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';
import { describeApiError } from '../lib/describeApiError';
import { ConfirmedTransition, TransitionDialog } from './TransitionDialog';
import {
  ViabilityOverrideDialog,
  isViabilityRefusal,
} from './viability/ViabilityOverrideDialog';

function confirmationFor(
  from: AgreementStatus,
  to: AgreementStatus,
): ConfirmedTransition | undefined {
  if (to === 'withdrawn') return 'withdraw';
  if (from === 'under-review' && to === 'agreed') return 'prolong';
  return undefined;
}

/**
 * One button per lifecycle move the agreement's status allows (Propose,
 * Agree, Start review, Withdraw, ...). The backend has the last word: a 409
 * (someone moved it first) is shown with the backend's message.
 */
export function AgreementLifecycleActions(props: {
  agreement: Agreement;
  onChanged: () => void;
  /** Other actions to show in the same row, before the lifecycle moves. */
  children?: ReactNode;
  /**
   * The customer signs too (the negotiation names a customer party that
   * must sign): the agreement is agreed by the two signatures, so "Agree"
   * and "Prolong" are not offered here and a note points to "Sign".
   */
  customerSigns?: boolean;
}) {
  const { agreement, onChanged, children, customerSigns = false } = props;
  const slaApi = useApi(slaApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState<ConfirmedTransition>();
  const [refused, setRefused] = useState<{
    request: TransitionRequest;
    message: string;
  }>();

  const transition = async (request: TransitionRequest, label: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await slaApi.transitionAgreement(agreement.id, request);
      setConfirming(undefined);
      setRefused(undefined);
      onChanged();
    } catch (e) {
      const { status, message } = describeApiError(e);
      setConfirming(undefined);
      if (isViabilityRefusal(status, message) && !request.viabilityOverride) {
        setRefused({ request, message });
        return;
      }
      setRefused(undefined);
      setError(`Could not ${label.toLocaleLowerCase('en-US')}: ${message}`);
      setConfirming(undefined);
      // A 409 means the agreement moved on meanwhile: show where it is now.
      if (status === 409) onChanged();
    } finally {
      setBusy(false);
    }
  };

  const signsInstead =
    customerSigns &&
    (agreement.status === 'negotiation' ||
      agreement.status === 'under-review');
  const moves = allowedTransitions(agreement.status).filter(
    to => !(signsInstead && to === 'agreed'),
  );

  return (
    <Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {children}
        {moves.map(to => {
          const label = transitionLabel(agreement.status, to);
          const confirmation = confirmationFor(agreement.status, to);
          return (
            <Button
              key={to}
              variant="outlined"
              color={to === 'withdrawn' ? 'secondary' : 'primary'}
              disabled={busy}
              onClick={() =>
                confirmation
                  ? setConfirming(confirmation)
                  : transition({ to }, label)
              }
            >
              {label}
            </Button>
          );
        })}
      </Box>
      {signsInstead && (
        <Box mt={1}>
          <Typography variant="body2" color="textSecondary">
            This agreement is agreed when both parties have signed: use the
            Sign buttons in Negotiation above.
          </Typography>
        </Box>
      )}
      {error && (
        <Box mt={1}>
          <Alert severity="error" onClose={() => setError(undefined)}>
            {error}
          </Alert>
        </Box>
      )}
      {refused && (
        <ViabilityOverrideDialog
          agreement={agreement}
          shortfall={refused.message}
          busy={busy}
          onCancel={() => setRefused(undefined)}
          onConfirm={reason =>
            transition(
              { ...refused.request, viabilityOverride: { reason } },
              'Agree',
            )
          }
        />
      )}
      {confirming && (
        <TransitionDialog
          agreement={agreement}
          transition={confirming}
          busy={busy}
          onCancel={() => setConfirming(undefined)}
          onConfirm={request =>
            transition(
              request,
              confirming === 'withdraw' ? 'Withdraw' : 'Prolong',
            )
          }
        />
      )}
    </Box>
  );
}
