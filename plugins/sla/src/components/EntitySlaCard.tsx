import useAsync from 'react-use/esm/useAsync';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { formatPercent, Target } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';

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

/**
 * The agreements in force (agreed) on an entity, at a glance, for its
 * overview page; links to the "Service levels" tab.
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
    return (
      <List dense disablePadding>
        {agreements.map(agreement => (
          <ListItem key={agreement.id} disableGutters>
            <ListItemText
              primary={
                <>
                  {agreement.title}{' '}
                  <Chip size="small" label={agreement.kind} component="span" />
                </>
              }
              secondary={shortTargets(agreement.targets)}
            />
          </ListItem>
        ))}
      </List>
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
    </InfoCard>
  );
}
