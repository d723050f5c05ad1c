import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { useApi } from '@backstage/core-plugin-api';
import { formatPercent } from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../../api';

const validObjective = (text: string) => {
  const value = Number(text);
  return text.trim() !== '' &&
    Number.isFinite(value) &&
    value > 0 &&
    value <= 100
    ? value
    : undefined;
};

/**
 * Under an availability target in the editor: what the dependencies
 * support, updated as the owner types the objective (before saving); a
 * warning with the weakest link when the objective is above it; and when
 * the objective is lowered, the dependents' targets that would lose
 * viability (blast radius).
 */
export function ViabilityHint(props: {
  entityRef: string;
  objective: string;
  /** The objective as saved, to tell a lowered target. */
  savedObjective?: number;
  label: string;
}) {
  const { entityRef, savedObjective, label } = props;
  const slaApi = useApi(slaApiRef);
  const [objective, setObjective] = useState(() =>
    validObjective(props.objective),
  );
  useDebounce(() => setObjective(validObjective(props.objective)), 300, [
    props.objective,
  ]);
  const viability = useAsync(async () => {
    if (objective === undefined) return undefined;
    return slaApi.getViability({ entityRef, objective });
  }, [slaApi, entityRef, objective]);
  const lowered =
    objective !== undefined &&
    savedObjective !== undefined &&
    objective < savedObjective;
  const blast = useAsync(async () => {
    if (!lowered) return undefined;
    return slaApi.getBlastRadius({ entityRef, objective });
  }, [slaApi, entityRef, objective, lowered]);

  if (objective === undefined) return null;
  const item = viability.value?.items[0];
  const report = viability.value;
  return (
    <Box mt={1} role="status" aria-label={label}>
      {viability.error && (
        <Typography variant="body2" color="error">
          Could not check viability: {viability.error.message}
        </Typography>
      )}
      {!viability.error && !item && (
        <Typography variant="body2" color="textSecondary">
          Checking what the dependencies support…
        </Typography>
      )}
      {report && item && item.viable && (
        <Typography variant="body2" color="textSecondary">
          Viable: the dependencies support up to{' '}
          {formatPercent(report.supportable)} % (
          {formatPercent(item.headroom ?? 0)} points to spare).
        </Typography>
      )}
      {report && item && !item.viable && (
        <Alert severity="warning">
          {formatPercent(objective)} % is above what the dependencies can
          support: at most {formatPercent(report.supportable)} %.
          {report.weakestLink &&
            (report.weakestLink.bound === undefined
              ? ` Weakest link: ${report.weakestLink.entityRef} (restricted).`
              : ` Weakest link: ${
                  report.weakestLink.entityRef
                } at ${formatPercent(report.weakestLink.bound)} %.`)}{' '}
          Agreeing it will need an override with a reason.
        </Alert>
      )}
      {lowered && blast.value && blast.value.items.length > 0 && (
        <Box mt={1}>
          <Alert severity="warning">
            Lowering to {formatPercent(objective)} % makes these targets of
            dependents not viable:{' '}
            {blast.value.items
              .map(
                i =>
                  i.restricted
                    ? `${i.entityRef} (restricted, via ${i.path.join(' → ')})`
                    : `${i.entityRef} (${i.targetId}, ${formatPercent(
                        i.objective ?? 0,
                      )} %, via ${i.path.join(' → ')})`,
              )
              .join('; ')}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
