import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  AgreementKind,
  PortfolioStatus,
} from '@opensla/backstage-plugin-sla-common';
import { TARGET_STATUS_LABELS } from '../../lib/formatAttainment';
import type { PortfolioPeriodOption } from './portfolioPeriods';

/** The page's choices; empty strings mean "all". */
export type PortfolioFilterValues = {
  periodId: string;
  owner: string;
  kind: AgreementKind | '';
  status: PortfolioStatus | '';
  /** 'true': only services with an agreement awaiting a signature. */
  awaitingSignature: 'true' | '';
};

const KINDS: AgreementKind[] = ['SLA', 'OLA', 'UC'];
const STATUSES: PortfolioStatus[] = ['breached', 'at-risk', 'met', 'no-data'];

function ownerLabel(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' });
  } catch {
    return ref;
  }
}

function Choice(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  all?: string;
}) {
  return (
    <TextField
      id={`sla-portfolio-${props.id}`}
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      style={{ minWidth: 180 }}
    >
      {props.all !== undefined && <option value="">{props.all}</option>}
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

/**
 * Period, owner, kind and status. The filters go to GET /portfolio, so the
 * KPIs follow them too; the period list comes from `portfolioPeriodOptions`.
 */
export function PortfolioFilters(props: {
  values: PortfolioFilterValues;
  onChange: (values: PortfolioFilterValues) => void;
  periods: PortfolioPeriodOption[];
  owners: string[];
}) {
  const { values, onChange } = props;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 16 }}
      role="group"
      aria-label="Portfolio filters"
    >
      <Choice
        id="period"
        label="Period"
        value={values.periodId}
        onChange={periodId => onChange({ ...values, periodId })}
        options={props.periods.map(p => ({ value: p.id, label: p.label }))}
      />
      <Choice
        id="owner"
        label="Owner"
        value={values.owner}
        onChange={owner => onChange({ ...values, owner })}
        all="All owners"
        options={props.owners.map(o => ({ value: o, label: ownerLabel(o) }))}
      />
      <Choice
        id="kind"
        label="Kind"
        value={values.kind}
        onChange={kind =>
          onChange({ ...values, kind: kind as PortfolioFilterValues['kind'] })
        }
        all="All kinds"
        options={KINDS.map(k => ({ value: k, label: k }))}
      />
      <Choice
        id="status"
        label="Status"
        value={values.status}
        onChange={status =>
          onChange({
            ...values,
            status: status as PortfolioFilterValues['status'],
          })
        }
        all="All statuses"
        options={STATUSES.map(s => ({
          value: s,
          label: TARGET_STATUS_LABELS[s],
        }))}
      />
      <Choice
        id="signatures"
        label="Signatures"
        value={values.awaitingSignature}
        onChange={awaiting =>
          onChange({
            ...values,
            awaitingSignature: awaiting === 'true' ? 'true' : '',
          })
        }
        all="All services"
        options={[{ value: 'true', label: 'Awaiting signature' }]}
      />
    </Box>
  );
}
