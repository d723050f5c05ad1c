import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import { InfoCard } from '@backstage/core-components';
import { Agreement, Review } from '@opensla/backstage-plugin-sla-common';
import { formatDateTime } from '../../lib/formatDates';
import { REVIEW_KIND_LABELS } from './reviewWords';

/**
 * Reviews opened but not held yet, e.g. the event review a breach opens,
 * newest first. Owners hold them.
 */
export function OpenReviewsCard(props: {
  reviews: Review[];
  agreements: Agreement[];
  canHold: boolean;
  onHold: (review: Review) => void;
}) {
  const open = props.reviews
    .filter(r => r.status === 'open')
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  if (open.length === 0) return null;
  const titleOf = (id: string) =>
    props.agreements.find(a => a.id === id)?.title ?? id;
  return (
    <InfoCard
      title="Open reviews"
      subheader="Opened after a breach or on request; hold them to record what was decided."
    >
      <List dense aria-label="Open reviews">
        {open.map(review => {
          const name = `${REVIEW_KIND_LABELS[review.kind]} of ${titleOf(
            review.agreementId,
          )}`;
          return (
            <ListItem key={review.id}>
              <ListItemText
                primary={`${name}${review.reason ? `: ${review.reason}` : ''}`}
                secondary={`Opened ${formatDateTime(review.createdAt)}${
                  review.trigger?.type === 'breach'
                    ? ' automatically, when the breach opened'
                    : ` by ${review.createdBy}`
                }`}
              />
              {props.canHold && (
                <ListItemSecondaryAction>
                  <Button
                    variant="outlined"
                    color="primary"
                    size="small"
                    onClick={() => props.onHold(review)}
                    aria-label={`Hold review: ${name}`}
                  >
                    Hold review
                  </Button>
                </ListItemSecondaryAction>
              )}
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
}
