import { parseEntityRef } from '@backstage/catalog-model';
import type { Agreement, Target } from '@opensla/backstage-plugin-sla-common';
import { stringify } from 'yaml';
import { BURN_ALERT_RULES } from '../evaluateBurnAlerts';
import {
  ALERT_POLICY_PREFIX,
  ANNOTATION,
  PUSHED_SOURCE_TYPE,
} from './annotations';
import { isoToShorthand } from './durationShorthand';

/** A target the export leaves out, and why. */
export type SkippedTarget = { targetId: string; name: string; reason: string };

export type OpenSloExport = {
  documents: Array<Record<string, unknown>>;
  skipped: SkippedTarget[];
};

/** Calendar windows start at local midnight of 2024-01-01, a Monday. */
const CALENDAR_START = '2024-01-01 00:00:00';
const CALENDAR_DURATION = {
  week: '1w',
  month: '1M',
  quarter: '1Q',
  year: '1Y',
};
const NOTIFICATION_TARGET = `${ALERT_POLICY_PREFIX}owners`;

/** An RFC 1123 name from any text (entity names may hold `_` or capitals). */
export function openSloName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'unnamed';
}

/** Percent → OpenSLO's fraction, without float noise (99.9 → 0.999). */
function fraction(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}

function alertPolicyName(rule: (typeof BURN_ALERT_RULES)[number]): string {
  return `${ALERT_POLICY_PREFIX}${rule.severity}-${rule.long}`;
}

function metricSource(
  target: Target,
  query: string | undefined,
  field: string,
) {
  return target.source && query !== undefined
    ? { metricSource: { type: target.source.type, spec: { query } } }
    : {
        metricSource: {
          type: PUSHED_SOURCE_TYPE,
          spec: { metric: target.metric, field },
        },
      };
}

/** Why a target has no OpenSLO form, or undefined when it has one. */
function unmappable(target: Target): string | undefined {
  if (target.sli.kind === 'duration') {
    return 'a duration SLI (events with a start and an end) has no OpenSLO form';
  }
  if (target.sli.kind === 'ticket') {
    return 'a ticket SLI (ticket clocks with pauses) has no OpenSLO form';
  }
  if (target.objective >= 100) {
    return 'an objective of 100 % has no OpenSLO form (target must be below 1)';
  }
  if (
    target.window.type === 'rolling' &&
    !isoToShorthand(target.window.duration)
  ) {
    return `its window ${target.window.duration} has no OpenSLO duration shorthand`;
  }
  if (target.timeslice && !isoToShorthand(target.timeslice)) {
    return `its timeslice ${target.timeslice} has no OpenSLO duration shorthand`;
  }
  return undefined;
}

function sloDocument(target: Target, service: string) {
  const annotations: Record<string, string> = {
    [ANNOTATION.aspect]: target.aspect,
    [ANNOTATION.metric]: target.metric,
  };
  if (target.sli.kind === 'threshold' && target.sli.unit) {
    annotations[ANNOTATION.unit] = target.sli.unit;
  }
  if (target.calendar) {
    annotations[ANNOTATION.businessCalendar] = JSON.stringify(target.calendar);
  }
  const threshold = target.sli.kind === 'threshold' ? target.sli : undefined;
  const indicatorSpec = threshold
    ? { thresholdMetric: metricSource(target, target.source?.value, 'value') }
    : {
        ratioMetric: {
          counter: false,
          good: metricSource(target, target.source?.good, 'good'),
          total: metricSource(target, target.source?.total, 'total'),
        },
      };
  const timeWindow =
    target.window.type === 'rolling'
      ? [{ duration: isoToShorthand(target.window.duration), isRolling: true }]
      : [
          {
            duration: CALENDAR_DURATION[target.window.unit],
            calendar: {
              startTime: CALENDAR_START,
              timeZone: target.window.timeZone,
            },
            isRolling: false,
          },
        ];
  const objective = threshold
    ? {
        displayName: target.name,
        op: threshold.operator,
        value: threshold.threshold,
        target: fraction(target.objective),
        // A slice is good when its worst value meets the threshold: all of it.
        timeSliceTarget: 1,
        timeSliceWindow: isoToShorthand(target.timeslice ?? 'PT1M'),
      }
    : { displayName: target.name, target: fraction(target.objective) };
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: target.id, displayName: target.name, annotations },
    spec: {
      service,
      indicator: {
        metadata: { name: `${target.id}-sli` },
        spec: indicatorSpec,
      },
      timeWindow,
      budgetingMethod: threshold ? 'Timeslices' : 'Occurrences',
      objectives: [objective],
      alertPolicies: BURN_ALERT_RULES.map(rule => ({
        alertPolicyRef: alertPolicyName(rule),
      })),
    },
  };
}

/** The plugin's fixed multi-window burn-rate alerts, one policy per pair. */
function alertDocuments() {
  const policies = BURN_ALERT_RULES.map(rule => ({
    apiVersion: 'openslo/v1',
    kind: 'AlertPolicy',
    metadata: {
      name: alertPolicyName(rule),
      displayName: `${
        rule.severity === 'page' ? 'Page' : 'Ticket'
      }: burn rate ≥ ${rule.threshold} over ${rule.long} and ${rule.short}`,
      annotations: { [ANNOTATION.shortWindow]: rule.short },
    },
    spec: {
      description: `Fires when the error budget burns at ${rule.threshold}× or faster over both ${rule.long} and ${rule.short} (SRE workbook multi-window alert).`,
      alertWhenBreaching: true,
      alertWhenResolved: false,
      alertWhenNoData: false,
      conditions: [
        {
          kind: 'AlertCondition',
          metadata: { name: `${alertPolicyName(rule)}-condition` },
          spec: {
            severity: rule.severity,
            condition: {
              kind: 'burnrate',
              threshold: rule.threshold,
              lookbackWindow: rule.long,
              alertAfter: '0m',
            },
          },
        },
      ],
      notificationTargets: [{ targetRef: NOTIFICATION_TARGET }],
    },
  }));
  return [
    ...policies,
    {
      apiVersion: 'openslo/v1',
      kind: 'AlertNotificationTarget',
      metadata: { name: NOTIFICATION_TARGET },
      spec: {
        description: "The entity's owners, through Backstage notifications",
        target: 'backstage-notifications',
      },
    },
  ];
}

/**
 * An agreement's targets as OpenSLO v1 documents: a Service (the entity),
 * one SLO per target with its SLI inline, and the burn-rate AlertPolicies.
 * Targets without an OpenSLO form are listed in `skipped`.
 */
export function agreementToOpenSlo(agreement: Agreement): OpenSloExport {
  const service = openSloName(parseEntityRef(agreement.entityRef).name);
  const skipped: SkippedTarget[] = [];
  const slos: Array<Record<string, unknown>> = [];
  for (const target of agreement.targets) {
    const reason = unmappable(target);
    if (reason)
      skipped.push({ targetId: target.id, name: target.name, reason });
    else slos.push(sloDocument(target, service));
  }
  const serviceDocument = {
    apiVersion: 'openslo/v1',
    kind: 'Service',
    metadata: {
      name: service,
      displayName: agreement.title,
      annotations: {
        [ANNOTATION.entityRef]: agreement.entityRef,
        [ANNOTATION.agreementKind]: agreement.kind,
      },
    },
    spec: agreement.description
      ? { description: agreement.description.slice(0, 1050) }
      : {},
  };
  return {
    documents: [
      serviceDocument,
      ...slos,
      ...(slos.length ? alertDocuments() : []),
    ],
    skipped,
  };
}

/** The export as multi-document YAML, skipped targets named in a header. */
export function renderOpenSloYaml(agreement: Agreement): string {
  const { documents, skipped } = agreementToOpenSlo(agreement);
  const header = [
    `# OpenSLO v1 export of "${agreement.title}" (${agreement.entityRef}, agreement ${agreement.id}, version ${agreement.version})`,
  ];
  if (skipped.length) {
    header.push('# Not exported (no OpenSLO form):');
    for (const s of skipped) {
      header.push(`#   - ${s.targetId} (${s.name}): ${s.reason}`);
    }
  }
  const body = documents
    .map(doc => stringify(doc, { lineWidth: 0 }))
    .join('---\n');
  return `${header.join('\n')}\n${body}`;
}
