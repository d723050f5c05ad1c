import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatPercent,
  Satisfaction,
} from '@opensla/backstage-plugin-sla-common';
import { useSatisfaction } from '../../hooks/useSatisfaction';
import { CampaignsSection } from './CampaignsSection';
import { ComplaintsAndComments } from './ComplaintsAndComments';
import { GiveFeedbackButton } from './GiveFeedbackDialog';
import { SatisfactionCharts } from './SatisfactionCharts';
import { WatermelonWarning } from './WatermelonWarning';

const oneDecimal = (v: number) => formatPercent(Math.round(v * 10) / 10);

function Figure(props: { label: string; value: string; hint?: string }) {
  return (
    <Grid item xs={6} sm={4} md={2}>
      <Box role="group" aria-label={props.label}>
        <Typography variant="h4" component="p">
          {props.value}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {props.label}
        </Typography>
        {props.hint && (
          <Typography variant="caption" color="textSecondary">
            {props.hint}
          </Typography>
        )}
      </Box>
    </Grid>
  );
}

function Figures(props: { satisfaction: Satisfaction }) {
  const s = props.satisfaction;
  return (
    <InfoCard title="Satisfaction, last 30 days">
      <Grid container spacing={2}>
        <Figure
          label="CSAT"
          value={s.csat === null ? '–' : `${oneDecimal(s.csat)} %`}
          hint="answers scoring 4–5"
        />
        <Figure
          label="Mean score"
          value={s.meanScore === null ? '–' : `${oneDecimal(s.meanScore)} / 5`}
        />
        <Figure
          label="NPS"
          value={s.nps === null ? '–' : oneDecimal(s.nps)}
          hint="promoters − detractors"
        />
        <Figure label="Responses" value={String(s.responses)} />
        <Figure
          label="Open complaints"
          value={String(s.complaints.open + s.complaints.acknowledged)}
          hint={`${s.complaints.resolved} resolved`}
        />
        <Figure label="Compliments" value={String(s.compliments)} />
      </Grid>
    </InfoCard>
  );
}

/**
 * The "Satisfaction" tab of an entity page: the watermelon warning, CSAT,
 * NPS and their trend, the score distribution, recent comments, complaints
 * and compliments with their state, and the survey campaigns. Everyone can
 * give feedback; owners manage campaigns and answer complaints.
 * @public
 */
export function EntitySatisfactionContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const [generation, setGeneration] = useState(0);
  const { value, error } = useSatisfaction(entityRef, generation);
  const reload = () => setGeneration(g => g + 1);

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return <Progress />;
  const { satisfaction, campaigns, access } = value;
  const giveFeedback = (
    <GiveFeedbackButton
      entityRef={entityRef}
      campaigns={campaigns}
      onGiven={reload}
    />
  );
  const isEmpty =
    satisfaction.responses === 0 && satisfaction.latest.length === 0;

  return (
    <>
      <Box
        mb={2}
        display="flex"
        alignItems="center"
        justifyContent="space-between"
      >
        <Typography variant="h5" component="h2">
          Satisfaction and experience
        </Typography>
        {giveFeedback}
      </Box>
      <WatermelonWarning watermelon={satisfaction.watermelon} />
      {isEmpty ? (
        <EmptyState
          missing="data"
          title="No feedback yet"
          description="A met SLA is not a happy customer. Tell the owners how this service works for you: a score, a comment, a complaint or a compliment."
          action={giveFeedback}
        />
      ) : (
        <>
          <Box mt={2} mb={3}>
            <Figures satisfaction={satisfaction} />
          </Box>
          <Box mb={3}>
            <SatisfactionCharts satisfaction={satisfaction} />
          </Box>
          <Box mb={3}>
            <ComplaintsAndComments
              entityRef={entityRef}
              latest={satisfaction.latest}
              canRespond={access.update}
              reloadKey={generation}
              onChanged={reload}
            />
          </Box>
        </>
      )}
      <Box mt={3}>
        <CampaignsSection
          entityRef={entityRef}
          campaigns={campaigns}
          canManage={access.update}
          onChanged={reload}
        />
      </Box>
    </>
  );
}
