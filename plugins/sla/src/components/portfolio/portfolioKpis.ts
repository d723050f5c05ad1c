import type {
  PortfolioKpi,
  PortfolioKpis,
} from '@opensla/backstage-plugin-sla-common';
import { formatCount } from '../../lib/formatAttainment';

/** Which way a KPI should move: up is good, down is good, or neither. */
export type KpiDirection = 'higher-is-better' | 'lower-is-better' | 'neutral';

/** One tile of the portfolio page. */
export type KpiDefinition = {
  id: string;
  label: string;
  /** What it counts, for the tile's tooltip. */
  description: string;
  unit: 'percent' | 'count' | 'duration';
  direction: KpiDirection;
  /** A figure of the moment of the request, with no previous period. */
  snapshot?: boolean;
  pick: (kpis: PortfolioKpis) => PortfolioKpi | undefined;
};

/** The KPIs of seed 000 Table 2.4, in the order the page shows them. */
export const KPI_DEFINITIONS: KpiDefinition[] = [
  {
    id: 'services',
    label: 'Services',
    description: 'Services with agreements (withdrawn ones left out)',
    unit: 'count',
    direction: 'neutral',
    pick: k => k.services,
  },
  {
    id: 'targetsMetPercent',
    label: 'Targets met',
    description:
      'Targets in force at the end of the period that meet their objective, of those with data',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: k => k.targetsMetPercent,
  },
  {
    id: 'breaches',
    label: 'Breaches',
    description: 'Breaches open at some time in the period',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.total,
  },
  {
    id: 'breachesCritical',
    label: 'Critical breaches',
    description: 'Breaches of critical severity',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.critical,
  },
  {
    id: 'breachesMajor',
    label: 'Major breaches',
    description: 'Breaches of major severity',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.major,
  },
  {
    id: 'breachesMinor',
    label: 'Minor breaches',
    description: 'Breaches of minor severity',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.minor,
  },
  {
    id: 'breachesThirdParty',
    label: 'Caused by third parties (UC)',
    description:
      'Breaches caused by a dependency under an underpinning contract',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.thirdParty,
  },
  {
    id: 'breachesInternal',
    label: 'Caused by internal teams (OLA)',
    description:
      'Breaches caused by a dependency under an operational level agreement',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.internal,
  },
  {
    id: 'breachesOwn',
    label: 'Caused by the service itself',
    description: 'Breaches not caused by a dependency under an OLA or a UC',
    unit: 'count',
    direction: 'lower-is-better',
    pick: k => k.breaches.own,
  },
  {
    id: 'slaAgreedInDatePercent',
    label: 'Services with an agreed, in-date SLA',
    description:
      'Services with an SLA that is agreed and valid at the end of the period',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: k => k.slaAgreedInDatePercent,
  },
  {
    id: 'timelyReviewsPercent',
    label: 'Services with timely reviews',
    description:
      'Services whose agreements in force all have their next review after the end of the period',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: k => k.timelyReviewsPercent,
  },
  {
    id: 'timelyReportsPercent',
    label: 'Services with timely reports',
    description:
      "Services whose last month's service report was published within the grace days after the month ended",
    unit: 'percent',
    direction: 'higher-is-better',
    pick: k => k.timelyReportsPercent,
  },
  {
    id: 'slasOverdueForReviewPercent',
    label: 'SLAs overdue for review',
    description: 'SLAs in force whose review was due by the end of the period',
    unit: 'percent',
    direction: 'lower-is-better',
    pick: k => k.slasOverdueForReviewPercent,
  },
  {
    id: 'targetsWithoutMeasurementPercent',
    label: 'Targets without a measurement source',
    description:
      'Targets in force with nothing measured in their window at the end of the period',
    unit: 'percent',
    direction: 'lower-is-better',
    pick: k => k.targetsWithoutMeasurementPercent,
  },
  {
    id: 'csat',
    label: 'CSAT',
    description:
      'Answers scoring 4 or 5 of all CSAT answers in the period, one voice per user',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: k => k.csat,
  },
  {
    id: 'awaitingSignature',
    label: 'Awaiting signature',
    description:
      'Agreements in negotiation, or under review with signatures asked for or given, waiting for a party to sign (now)',
    unit: 'count',
    direction: 'lower-is-better',
    snapshot: true,
    pick: k => k.awaitingSignature,
  },
  {
    id: 'averageTimeToAgreeMs',
    label: 'Average time to agree',
    description:
      'Mean time from the proposal to the second signature of the agreements both parties signed in the period',
    unit: 'duration',
    direction: 'lower-is-better',
    pick: k => k.averageTimeToAgreeMs,
  },
];

const round1 = (value: number) => Math.round(value * 10) / 10;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "45 min", "5.5 h", "2.3 days" (a duration in milliseconds). */
export function formatDurationMs(ms: number): string {
  if (ms >= DAY_MS) {
    const days = round1(ms / DAY_MS);
    return `${formatCount(days)} day${days === 1 ? '' : 's'}`;
  }
  if (ms >= HOUR_MS) return `${formatCount(round1(ms / HOUR_MS))} h`;
  return `${formatCount(Math.round(ms / 60_000))} min`;
}

/** "87.5 %", "12", or "–" when there is no figure. */
export function formatKpiValue(
  value: number | null,
  unit: KpiDefinition['unit'],
): string {
  if (value === null || value === undefined) return '–';
  if (unit === 'duration') return formatDurationMs(value);
  return unit === 'percent'
    ? `${formatCount(round1(value))} %`
    : formatCount(value);
}

/** How a KPI moved against the previous period. */
export type KpiChange = {
  /** "+2.5 pp", "−3", "no change", "no comparison". */
  text: string;
  trend: 'up' | 'down' | 'flat' | 'none';
  /** Whether the move is good news for this KPI. */
  judgement: 'better' | 'worse' | 'neutral';
};

/**
 * The change of a KPI in words: percentages change in percentage points
 * ("pp"), counts in units; the judgement follows the KPI's direction
 * (more breaches are worse, more targets met better).
 */
export function describeKpiChange(
  kpi: PortfolioKpi,
  definition: Pick<KpiDefinition, 'unit' | 'direction'>,
): KpiChange {
  if (kpi.change === null || kpi.change === undefined) {
    return { text: 'no comparison', trend: 'none', judgement: 'neutral' };
  }
  const change =
    definition.unit === 'percent' ? round1(kpi.change) : kpi.change;
  if (change === 0) {
    return { text: 'no change', trend: 'flat', judgement: 'neutral' };
  }
  const trend = change > 0 ? 'up' : 'down';
  const magnitude =
    definition.unit === 'duration'
      ? formatDurationMs(Math.abs(change))
      : formatCount(Math.abs(change));
  const text = `${change > 0 ? '+' : '−'}${magnitude}${
    definition.unit === 'percent' ? ' pp' : ''
  }`;
  let judgement: KpiChange['judgement'] = 'neutral';
  if (definition.direction === 'higher-is-better') {
    judgement = change > 0 ? 'better' : 'worse';
  } else if (definition.direction === 'lower-is-better') {
    judgement = change < 0 ? 'better' : 'worse';
  }
  return { text, trend, judgement };
}
