import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { InfoCard } from '@backstage/core-components';
import {
  Agreement,
  formatPercent,
  Review,
} from '@opensla/backstage-plugin-sla-common';
import { formatDate } from '../../lib/formatDates';
import { STATUS_LABELS } from '../AgreementStatusChip';
import { DECISION_LABELS, REVIEW_KIND_LABELS } from './reviewWords';
import type { ImprovementPrefill } from './ImprovementDialog';
import { ReviewSnapshotView } from './ReviewSnapshotView';

const heldAt = (r: Review) => Date.parse(r.heldAt ?? r.createdAt);

/**
 * "Prolong until 31 Aug 2028 → Agreed", "Amend → Negotiation", "Prolong →
 * Under review, awaiting both signatures", "No decision".
 */
export function describeDecision(review: Review): string {
  const d = review.decision;
  if (!d) return 'No decision';
  const moved = d.transitions[d.transitions.length - 1];
  const to = moved ? ` → ${STATUS_LABELS[moved as Agreement['status']] ?? moved}` : '';
  const awaiting = d.awaitingSignatures ?? [];
  let signatures = '';
  if (awaiting.length > 1) signatures = ', awaiting both signatures';
  else if (awaiting.length === 1) {
    signatures = `, awaiting the ${awaiting[0]}'s signature`;
  }
  return `${DECISION_LABELS[d.type]}${
    d.validUntil ? ` until ${formatDate(d.validUntil)}` : ''
  }${to}${signatures}`;
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/**
 * Held reviews, newest first: at a glance the period, the decision, targets
 * met and CSAT; opened, the participants, minutes, actions and the frozen
 * snapshot. The newest is open. Owners (`onCreateInitiative`) turn the
 * review, or one of its actions, into an improvement initiative.
 */
export function HeldReviewsCard(props: {
  reviews: Review[];
  agreements: Agreement[];
  onCreateInitiative?: (prefill: ImprovementPrefill) => void;
}) {
  const { onCreateInitiative } = props;
  const held = props.reviews
    .filter(r => r.status === 'held')
    .sort((a, b) => heldAt(b) - heldAt(a));
  const titleOf = (id: string) =>
    props.agreements.find(a => a.id === id)?.title ?? id;
  return (
    <InfoCard title="Held reviews">
      {held.length === 0 && (
        <Typography color="textSecondary">
          No review has been held yet. Owners record reviews from the schedule
          above.
        </Typography>
      )}
      {held.map((review, index) => {
        const period = review.period
          ? `${formatDate(review.period.start)} – ${formatDate(
              review.period.end,
            )}`
          : '';
        const name = `${REVIEW_KIND_LABELS[review.kind]} of ${titleOf(
          review.agreementId,
        )}, held ${formatDate(review.heldAt ?? review.createdAt)}`;
        const snapshot = review.snapshot;
        return (
          <Accordion
            key={review.id}
            defaultExpanded={index === 0}
            TransitionProps={{ unmountOnExit: false }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-label={name}
            >
              <Box display="flex" flexWrap="wrap" alignItems="center">
                <Box mr={2}>
                  <Typography variant="body1" component="h3">
                    <strong>{name}</strong>
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    Period {period}
                  </Typography>
                </Box>
                <Box mr={1}>
                  <Chip size="small" label={describeDecision(review)} />
                </Box>
                {snapshot && (
                  <Typography variant="body2" color="textSecondary">
                    {snapshot.targetsMet} of {snapshot.targetsMeasured} targets
                    met · CSAT{' '}
                    {snapshot.satisfaction.csat === null
                      ? '–'
                      : `${formatPercent(
                          Math.round(snapshot.satisfaction.csat * 10) / 10,
                        )} %`}
                  </Typography>
                )}
              </Box>
            </AccordionSummary>
            <AccordionDetails>
              <Box width="100%" role="region" aria-label={`Review: ${name}`}>
                {review.reason && (
                  <Typography variant="body2">Reason: {review.reason}</Typography>
                )}
                <Section title="Participants">
                  <Typography variant="body2">
                    {review.participants.join(', ') || '–'}
                  </Typography>
                </Section>
                <Section title="Decision">
                  <Typography variant="body2">
                    {describeDecision(review)}
                    {review.decision?.comment
                      ? ` (${review.decision.comment})`
                      : ''}
                  </Typography>
                </Section>
                {review.minutes && (
                  <Section title="Minutes">
                    <Typography
                      variant="body2"
                      style={{ whiteSpace: 'pre-wrap' }}
                    >
                      {review.minutes}
                    </Typography>
                  </Section>
                )}
                <Section title="Actions">
                  {review.actions.length === 0 ? (
                    <Typography variant="body2">–</Typography>
                  ) : (
                    <ul>
                      {review.actions.map((a, i) => (
                        <li key={i}>
                          <Typography variant="body2">
                            {a.done ? '✓ ' : ''}
                            {a.title}
                            {a.owner ? ` (${a.owner})` : ''}
                            {a.due ? `, due ${formatDate(a.due)}` : ''}
                            {onCreateInitiative && !a.done && (
                              <Button
                                size="small"
                                color="primary"
                                aria-label={`Create initiative: ${a.title}`}
                                onClick={() =>
                                  onCreateInitiative({
                                    title: a.title,
                                    source: 'review',
                                    sourceId: review.id,
                                    ...(a.owner ? { owner: a.owner } : {}),
                                    ...(a.due ? { due: a.due } : {}),
                                  })
                                }
                              >
                                Create initiative
                              </Button>
                            )}
                          </Typography>
                        </li>
                      ))}
                    </ul>
                  )}
                  {onCreateInitiative && (
                    <Button
                      size="small"
                      variant="outlined"
                      color="primary"
                      aria-label={`Create initiative from review: ${name}`}
                      onClick={() =>
                        onCreateInitiative({
                          source: 'review',
                          sourceId: review.id,
                        })
                      }
                    >
                      Create initiative from this review
                    </Button>
                  )}
                </Section>
                {snapshot && (
                  <Section title="Figures of the period (frozen when held)">
                    <ReviewSnapshotView
                      snapshot={snapshot}
                      label={`Snapshot: ${name}`}
                    />
                  </Section>
                )}
              </Box>
            </AccordionDetails>
          </Accordion>
        );
      })}
    </InfoCard>
  );
}
