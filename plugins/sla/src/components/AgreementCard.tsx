import { ReactNode, useState } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { DateTime } from 'luxon';
import { InfoCard, StatusWarning } from '@backstage/core-components';
import {
  Agreement,
  AgreementKind,
  AgreementNegotiation,
  AgreementScope,
  isEditableStatus,
  nextReviewDue,
} from '@opensla/backstage-plugin-sla-common';
import { formatDate, formatValidity } from '../lib/formatDates';
import { AgreementExpiry } from './AgreementExpiry';
import { AgreementHistory } from './AgreementHistory';
import { AgreementLifecycleActions } from './AgreementLifecycleActions';
import { AgreementStatusChip } from './AgreementStatusChip';
import { AgreementTargetsTable } from './AgreementTargetsTable';
import { ExportOpenSloButton } from './openslo/ExportOpenSloButton';
import { ManagedAgreementNote } from './openslo/ManagedAgreementNote';
import { AgreementNegotiationPanel } from './negotiation/AgreementNegotiationPanel';

const KIND_NAMES: Record<AgreementKind, string> = {
  SLA: 'Service level agreement',
  OLA: 'Operational level agreement',
  UC: 'Underpinning contract',
};

const SCOPE_NAMES: Record<AgreementScope, string> = {
  service: 'service-based',
  customer: 'customer-based',
  'multi-level': 'multi-level',
};

function NextReview(props: { agreement: Agreement }) {
  const due = props.agreement.nextReviewDue ?? nextReviewDue(props.agreement);
  if (!due) return <>once agreed</>;
  if (DateTime.fromISO(due) < DateTime.now()) {
    return <StatusWarning>{formatDate(due)} (overdue)</StatusWarning>;
  }
  return <>{formatDate(due)}</>;
}

function Detail(props: { label: string; children: ReactNode }) {
  return (
    <Grid item xs={6} md={3}>
      <Typography variant="overline" component="div" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}

/**
 * One agreement on the entity's "Service levels" tab: its terms, targets in
 * plain words, lifecycle controls for owners, and its version history.
 */
export function AgreementCard(props: {
  agreement: Agreement;
  canEdit: boolean;
  onEdit: (agreement: Agreement) => void;
  onChanged: () => void;
}) {
  const { agreement, canEdit, onEdit, onChanged } = props;
  const [negotiation, setNegotiation] = useState<AgreementNegotiation>();
  const customerSigns = Boolean(
    negotiation?.parties.some(p => p.party === 'customer' && p.mustSign),
  );
  const subheader = [
    KIND_NAMES[agreement.kind],
    agreement.scope && SCOPE_NAMES[agreement.scope],
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <section aria-label={agreement.title}>
      <InfoCard
        title={agreement.title}
        subheader={`${agreement.kind}: ${subheader}`}
        action={
          <Box pt={1} pr={1}>
            <AgreementStatusChip status={agreement.status} />
          </Box>
        }
      >
        {agreement.managed && (
          <ManagedAgreementNote managed={agreement.managed} />
        )}
        {agreement.description && (
          <Box mb={2}>
            <Typography variant="body1">{agreement.description}</Typography>
          </Box>
        )}
        <Box mb={2}>
          <Grid container spacing={2}>
            <Detail label="Customer">
              {agreement.customer ?? 'not named'}
            </Detail>
            <Detail label="Provider">
              {agreement.provider ?? 'not named'}
            </Detail>
            <Detail label="Valid">
              {formatValidity(agreement.validFrom, agreement.validUntil)}
              <AgreementExpiry agreement={agreement} />
            </Detail>
            <Detail label="Next review">
              <NextReview agreement={agreement} />
            </Detail>
          </Grid>
        </Box>
        <AgreementTargetsTable targets={agreement.targets} />
        <AgreementNegotiationPanel
          agreement={agreement}
          onChanged={onChanged}
          onView={setNegotiation}
        />
        {/* Managed agreements change only through their files. */}
        {canEdit && !agreement.managed && (
          <Box mt={2}>
            <AgreementLifecycleActions
              agreement={agreement}
              onChanged={onChanged}
              customerSigns={customerSigns}
            >
              {isEditableStatus(agreement.status) && (
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => onEdit(agreement)}
                >
                  Edit
                </Button>
              )}
            </AgreementLifecycleActions>
          </Box>
        )}
        <Box mt={2}>
          <ExportOpenSloButton agreement={agreement} />
        </Box>
        <Box mt={2}>
          <Accordion TransitionProps={{ unmountOnExit: true }}>
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Typography>
                Version history (version {agreement.version}, last changed{' '}
                {formatDate(agreement.updatedAt)} by {agreement.updatedBy})
              </Typography>
            </AccordionSummary>
            <AccordionDetails>
              <Box width="100%">
                <AgreementHistory
                  agreementId={agreement.id}
                  version={agreement.version}
                />
              </Box>
            </AccordionDetails>
          </Accordion>
        </Box>
      </InfoCard>
    </section>
  );
}
