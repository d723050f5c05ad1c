import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { formatPercent } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import { GiveFeedbackButton } from './GiveFeedbackDialog';
import { WatermelonWarning } from './WatermelonWarning';

/**
 * The satisfaction corner of the overview card: the watermelon warning when
 * targets are green and users unhappy, CSAT in a line, and "Give feedback",
 * so feedback is one click away on every service page.
 */
export function SatisfactionCardSection(props: { entityRef: string }) {
  const slaApi = useApi(slaApiRef);
  const { value, error } = useAsync(
    () => slaApi.getSatisfaction({ entityRef: props.entityRef }),
    [slaApi, props.entityRef],
  );
  return (
    <Box mt={2}>
      {value && <WatermelonWarning watermelon={value.watermelon} compact />}
      <Box
        mt={1}
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        style={{ gap: 8 }}
      >
        <Typography variant="body2" color="textSecondary">
          {error && 'Satisfaction is not available'}
          {value &&
            (value.csat === null
              ? 'No satisfaction scores in the last 30 days'
              : `CSAT ${formatPercent(
                  Math.round(value.csat * 10) / 10,
                )} % from ${value.csatResponses} answers in the last 30 days`)}
        </Typography>
        <GiveFeedbackButton entityRef={props.entityRef} variant="outlined" />
      </Box>
    </Box>
  );
}
