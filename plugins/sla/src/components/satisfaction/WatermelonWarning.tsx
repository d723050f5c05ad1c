import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import {
  formatPercent,
  Watermelon,
} from '@opensla/backstage-plugin-sla-common';

const percent = (v: number | null) =>
  v === null ? 'no data' : `${formatPercent(Math.round(v * 100) / 100)} %`;

/**
 * The watermelon effect, with its evidence: which targets are green, which
 * satisfaction figures are red. Renders nothing when the entity is not one.
 */
export function WatermelonWarning(props: {
  watermelon: Watermelon;
  /** A short form for the overview card. */
  compact?: boolean;
}) {
  const { watermelon } = props;
  if (!watermelon.watermelon) return null;
  const green = watermelon.green
    .map(t => `${t.name ?? t.targetId} ${percent(t.attainment)}`)
    .join(', ');
  const red = watermelon.red
    .map(
      r =>
        `${r.name} ${percent(r.value)} (objective ${formatPercent(
          r.objective,
        )} %${r.responses ? `, ${r.responses} answers` : ''})`,
    )
    .join(', ');
  return (
    <WarningPanel
      severity="warning"
      title="Watermelon: targets green, users unhappy"
      defaultExpanded={!props.compact}
    >
      <Typography variant="body2" component="div">
        <p>
          Service levels are met, but satisfaction is not: green on the outside,
          red inside. Talk to the users before the next review.
        </p>
        <p>
          <strong>Green targets:</strong> {green}
        </p>
        <p>
          <strong>Red satisfaction:</strong> {red}
        </p>
      </Typography>
    </WarningPanel>
  );
}
