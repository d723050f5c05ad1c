import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Agreement,
  formatPercent,
  ViabilityReport,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';
import {
  DependencyTree,
  SOURCE_LABELS,
  missingDependencies,
} from './DependencyTree';

function Body(props: { report: ViabilityReport; agreements: Agreement[] }) {
  const { report, agreements } = props;
  const title = (id?: string) =>
    agreements.find(a => a.id === id)?.title ?? id ?? '';
  const missing = missingDependencies(report.dependencies);
  const link = report.weakestLink;
  if (!report.dependencies.length && !report.softDependencies.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        The catalog lists no dependencies of this entity (dependsOn, consumed
        APIs, System parts), so nothing limits its availability targets.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body1">
        Its dependencies can support at most{' '}
        <strong>{formatPercent(report.supportable)} %</strong> availability.
      </Typography>
      {link && (
        <Typography variant="body2">
          Weakest link: <EntityRefLink entityRef={link.entityRef} />
          {link.restricted || link.bound === undefined || !link.source ? (
            ' (restricted: you may not read its agreements)'
          ) : (
            <>
              {' '}
              at {formatPercent(link.bound)} % ({SOURCE_LABELS[link.source]}
              {link.group ? `, redundancy group ${link.group}` : ''})
            </>
          )}
        </Typography>
      )}
      {report.items.length > 0 && (
        <Table size="small" aria-label="Viability of the availability targets">
          <TableHead>
            <TableRow>
              <TableCell>Agreement</TableCell>
              <TableCell>Target</TableCell>
              <TableCell align="right">Objective</TableCell>
              <TableCell align="right">Headroom</TableCell>
              <TableCell>Viable</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.items.map(item => (
              <TableRow key={`${item.agreementId}/${item.targetId}`}>
                <TableCell>{title(item.agreementId)}</TableCell>
                <TableCell>{item.name ?? item.targetId}</TableCell>
                <TableCell align="right">
                  {formatPercent(item.objective)} %
                </TableCell>
                <TableCell align="right">
                  {item.headroom === null
                    ? '–'
                    : `${formatPercent(item.headroom)} points`}
                </TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    color={item.viable ? 'primary' : 'secondary'}
                    label={item.viable ? 'Viable' : 'Not viable'}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {missing.length > 0 && (
        <Box mt={2}>
          <Alert severity="warning">
            No agreement covers{' '}
            {missing.map((ref, i) => (
              <span key={ref}>
                {i ? ', ' : ''}
                <EntityRefLink entityRef={ref} />
              </span>
            ))}
            : they count as 100 % here. Ask their owners for an OLA or a
            contract with the supplier.
          </Alert>
        </Box>
      )}
      {report.misaligned.length > 0 && (
        <Box mt={2}>
          <Alert severity="warning">
            {report.misaligned.map(m => (
              <div key={`${m.kind} ${m.message}`}>{m.message}</div>
            ))}
          </Alert>
        </Box>
      )}
      {report.cycles.length > 0 && (
        <Box mt={2}>
          <Alert severity="info">
            Dependency cycles (each entity is counted once):{' '}
            {report.cycles.map(c => c.join(' → ')).join('; ')}
          </Alert>
        </Box>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Dependencies
        </Typography>
        <DependencyTree
          dependencies={report.dependencies}
          weakestLink={link?.entityRef}
        />
      </Box>
      {report.softDependencies.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Soft dependencies (it survives their failure; left out)
          </Typography>
          <DependencyTree dependencies={report.softDependencies} />
        </Box>
      )}
    </>
  );
}

/**
 * The "Viability" section of the tab: what the entity's dependencies can
 * support, whether each availability target is viable, the dependency tree
 * with each bound and its source, the weakest link, missing agreements,
 * misaligned targets and cycles. Its own loading and error states.
 */
export function ViabilitySection(props: {
  entityRef: string;
  agreements: Agreement[];
  reloadKey?: number;
}) {
  const { entityRef, agreements, reloadKey } = props;
  const slaApi = useApi(slaApiRef);
  const { value, error } = useAsync(
    () => slaApi.getViability({ entityRef }),
    [slaApi, entityRef, reloadKey],
  );
  let body;
  if (error) {
    body = (
      <ResponseErrorPanel title="Could not analyse viability" error={error} />
    );
  } else if (!value) {
    body = <Progress />;
  } else {
    body = <Body report={value} agreements={agreements} />;
  }
  return (
    <section aria-label="Viability">
      <InfoCard
        title="Viability"
        subheader="Can the dependencies' agreements support these targets?"
      >
        {body}
      </InfoCard>
    </section>
  );
}
