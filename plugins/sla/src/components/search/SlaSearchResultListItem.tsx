import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import type {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import type { SlaAgreementSearchDocument } from '@opensla/backstage-plugin-sla-common';
import { TargetStatusChip } from '../attainment/TargetStatusChip';
import { AgreementStatusChip } from '../AgreementStatusChip';

const useStyles = makeStyles(theme => ({
  item: { display: 'flex' },
  body: { flexWrap: 'wrap', width: '100%' },
  text: {
    width: '100%',
    wordBreak: 'break-word',
    marginBottom: theme.spacing(1),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    alignItems: 'center',
    marginBottom: theme.spacing(1),
  },
}));

/** Props of {@link SlaSearchResultListItem}. @public */
export type SlaSearchResultListItemProps = {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
  lineClamp?: number;
};

function highlighted(
  highlight: ResultHighlight | undefined,
  field: string,
  fallback: string,
) {
  const text = highlight?.fields[field];
  return text ? (
    <HighlightedSearchResultText
      text={text}
      preTag={highlight!.preTag}
      postTag={highlight!.postTag}
    />
  ) : (
    fallback
  );
}

/**
 * A search result of type `sla-agreement`: the agreement's title linking to
 * the entity's Service levels tab, its status now (the worst of its targets),
 * its lifecycle status, kind, entity and owners.
 * @public
 */
export function SlaSearchResultListItem(props: SlaSearchResultListItemProps) {
  const classes = useStyles();
  const result = props.result as SlaAgreementSearchDocument | undefined;
  if (!result) return null;
  const owners = result.owners ?? [];
  return (
    <div className={classes.item} data-testid="sla-search-result">
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <div className={classes.body}>
        <ListItemText
          className={classes.text}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {highlighted(props.highlight, 'title', result.title)}
            </Link>
          }
          secondary={
            <Typography
              component="span"
              color="textSecondary"
              variant="body2"
              style={{
                display: '-webkit-box',
                WebkitBoxOrient: 'vertical',
                WebkitLineClamp: props.lineClamp ?? 3,
                overflow: 'hidden',
              }}
            >
              {highlighted(props.highlight, 'text', result.text)}
            </Typography>
          }
        />
        <Box className={classes.chips}>
          {result.status ? (
            <TargetStatusChip status={result.status} />
          ) : (
            <Chip size="small" label="Not in force" />
          )}
          {result.lifecycleStatus && (
            <AgreementStatusChip status={result.lifecycleStatus} />
          )}
          {result.kind && <Chip size="small" label={`Kind: ${result.kind}`} />}
          {result.entityName && (
            <Chip size="small" label={`Service: ${result.entityName}`} />
          )}
          {owners.length > 0 && (
            <Chip size="small" label={`Owner: ${owners.join(', ')}`} />
          )}
        </Box>
      </div>
    </div>
  );
}
