import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles, Theme } from '@material-ui/core/styles';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  formatPercent,
  Target,
  TargetAttainment,
  TargetStatus,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';
import { useEntityAttainment } from '../hooks/useEntityAttainment';
import { describeApiError } from '../lib/describeApiError';
import { TARGET_STATUS_LABELS, worstStatus } from '../lib/formatAttainment';
import {
  TargetStatusChip,
  TargetStatusIndicator,
} from './attainment/TargetStatusChip';
import { SatisfactionCardSection } from './satisfaction/SatisfactionCardSection';

/** "Availability 99.9 %, Latency 95 %": a target list in short form. */
function shortTargets(targets: Target[]): string {
  if (targets.length === 0) return 'No targets';
  const count = `${targets.length} ${
    targets.length === 1 ? 'target' : 'targets'
  }`;
  return `${count}: ${targets
    .map(t => `${t.name} ${formatPercent(t.objective)} %`)
    .join(', ')}`;
}

const TONES = {
  breached: 'error',
  'at-risk': 'warning',
  met: 'ok',
  'no-data': 'none',
} as const;

const useStyles = makeStyles((theme: Theme) => ({
  overall: {
    borderLeft: `4px solid`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
  },
  error: {
    borderLeftColor: theme.palette.error.main,
    backgroundColor: alpha(theme.palette.error.main, 0.08),
  },
  warning: {
    borderLeftColor: theme.palette.warning.main,
    backgroundColor: alpha(theme.palette.warning.main, 0.1),
  },
  ok: {
    borderLeftColor: theme.palette.success.main,
    backgroundColor: alpha(theme.palette.success.main, 0.08),
  },
  none: {
    borderLeftColor: theme.palette.text.disabled,
    backgroundColor: theme.palette.action.hover,
  },
  /** The status icon grows with the text. */
  big: { '& svg': { width: '0.9em', height: '0.9em' } },
}));

const SUMMARY_ORDER: TargetStatus[] = ['breached', 'at-risk', 'met', 'no-data'];

/** "1 breached, 1 at risk, 2 met of 4 targets in force". */
function summarize(items: TargetAttainment[]): string {
  const counts = SUMMARY_ORDER.flatMap(status => {
    const n = items.filter(i => i.status === status).length;
    if (n === 0) return [];
    return [
      status === 'no-data'
        ? `${n} without data`
        : `${n} ${TARGET_STATUS_LABELS[status].toLocaleLowerCase('en-GB')}`,
    ];
  });
  return `${counts.join(', ')} of ${items.length} ${
    items.length === 1 ? 'target' : 'targets'
  } in force`;
}

/** The worst status of all targets in force, shown large. */
function OverallStatus(props: {
  attainment: ReturnType<typeof useEntityAttainment>;
}) {
  const classes = useStyles();
  const { value, error } = props.attainment;
  if (error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load how the targets stand"
        message={describeApiError(error).message}
      />
    );
  }
  if (!value) return <Progress />;
  const worst = worstStatus(value.items.map(i => i.status)) ?? 'no-data';
  return (
    <Box
      mb={1}
      aria-label="Overall service level"
      role="group"
      className={`${classes.overall} ${classes[TONES[worst]]}`}
    >
      <Typography variant="h5" component="p" className={classes.big}>
        <TargetStatusIndicator status={worst} />
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {value.items.length > 0
          ? summarize(value.items)
          : 'No measurements yet for the targets in force'}
      </Typography>
    </Box>
  );
}

/**
 * The agreements in force (agreed) on an entity, at a glance, for its
 * overview page: the worst status of their targets, the worst per agreement;
 * links to the "Service levels" tab.
 * @public
 */
export function EntitySlaCard(props: {
  /** Path of the "Service levels" tab below the entity page. */
  contentPath?: string;
}) {
  const { contentPath = 'service-levels' } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const slaApi = useApi(slaApiRef);
  const entityLink = useEntityRefLink();
  const { value, loading, error } = useAsync(
    () => slaApi.listAgreements({ entityRef, status: 'agreed' }),
    [slaApi, entityRef],
  );
  const attainment = useEntityAttainment(entityRef);

  const renderBody = () => {
    if (loading) return <Progress />;
    if (error) return <ResponseErrorPanel error={error} />;
    const agreements = value?.items ?? [];
    if (agreements.length === 0) {
      return (
        <Typography variant="body2" color="textSecondary">
          No agreement is in force for this entity. Agreements count once they
          are agreed.
        </Typography>
      );
    }
    const items = attainment.value?.items;
    return (
      <>
        <OverallStatus attainment={attainment} />
        <List dense disablePadding>
          {agreements.map(agreement => {
            const worst =
              items &&
              (worstStatus(
                items
                  .filter(i => i.agreementId === agreement.id)
                  .map(i => i.status),
              ) ??
                'no-data');
            return (
              <ListItem
                key={agreement.id}
                disableGutters
                aria-label={agreement.title}
              >
                <ListItemText
                  primary={
                    <Box
                      component="span"
                      display="flex"
                      alignItems="center"
                      flexWrap="wrap"
                      style={{ gap: 6 }}
                    >
                      {agreement.title}
                      <Chip
                        size="small"
                        label={agreement.kind}
                        component="span"
                      />
                      {worst && <TargetStatusChip status={worst} />}
                    </Box>
                  }
                  secondary={shortTargets(agreement.targets)}
                />
              </ListItem>
            );
          })}
        </List>
      </>
    );
  };

  return (
    <InfoCard
      title="Service levels"
      subheader="Agreements in force"
      deepLink={{
        title: 'View service levels',
        link: `${entityLink(entity)}/${contentPath}`,
      }}
    >
      {renderBody()}
      <SatisfactionCardSection entityRef={entityRef} />
    </InfoCard>
  );
}
