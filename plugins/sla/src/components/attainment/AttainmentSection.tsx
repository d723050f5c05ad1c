import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type {
  Agreement,
  TargetAttainment,
} from '@opensla/backstage-plugin-sla-common';
import { formatShortDateTime } from '../../lib/formatDates';
import { TargetAttainmentTable } from './TargetAttainmentTable';

/**
 * How the targets of the entity's agreements in force stand now, per
 * agreement. Its own loading and error states: a failure here leaves the
 * agreements below on screen.
 */
export function AttainmentSection(props: {
  entityRef: string;
  agreements: Agreement[];
  attainment: {
    value?: { items: TargetAttainment[] };
    loading: boolean;
    error?: Error;
  };
}) {
  const { entityRef, agreements, attainment } = props;
  const inForce = agreements.filter(a => a.status === 'agreed');
  const items = attainment.value?.items ?? [];
  const asOf = items[0]?.window.end;

  const body = () => {
    if (inForce.length === 0) {
      return (
        <Typography variant="body2" color="textSecondary">
          No agreement is in force yet. Targets are measured against their
          objectives from the moment an agreement is agreed.
        </Typography>
      );
    }
    if (attainment.error) {
      return (
        <ResponseErrorPanel
          title="Could not load how the targets stand"
          error={attainment.error}
        />
      );
    }
    if (!attainment.value) return <Progress />;
    return inForce.map((agreement, index) => {
      const own = items.filter(i => i.agreementId === agreement.id);
      return (
        <Box
          key={agreement.id}
          component="section"
          aria-label={`Attainment of ${agreement.title}`}
          mt={index === 0 ? 0 : 3}
        >
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            mb={1}
            style={{ gap: 8 }}
          >
            <Typography variant="h6" component="h3">
              {agreement.title}
            </Typography>
            <Chip size="small" label={agreement.kind} />
          </Box>
          <TargetAttainmentTable
            agreement={agreement}
            items={own}
            entityRef={entityRef}
          />
        </Box>
      );
    });
  };

  return (
    <InfoCard
      title="Service levels now"
      subheader={
        asOf
          ? `Targets of the agreements in force, as of ${formatShortDateTime(
              asOf,
            )}`
          : 'Targets of the agreements in force'
      }
    >
      {body()}
    </InfoCard>
  );
}
