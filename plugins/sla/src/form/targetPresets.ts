import type { BusinessCalendar } from '@opensla/backstage-plugin-sla-common';
import type { TargetFormValues } from './agreementForm';

/** Monday to Friday, 09:00–17:00 local time, in `timeZone`, no holidays. */
export function standardBusinessHours(timeZone: string): BusinessCalendar {
  const day: Array<[string, string]> = [['09:00', '17:00']];
  return {
    timeZone,
    openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
  };
}

/** Whether `calendar` is the editor's standard business hours (any zone). */
export function isStandardBusinessHours(
  calendar: BusinessCalendar | undefined,
): boolean {
  if (!calendar || (calendar.holidays?.length ?? 0) > 0) return false;
  const expected = standardBusinessHours(calendar.timeZone).openingHours;
  const days = Object.keys(calendar.openingHours);
  return (
    days.length === 5 &&
    days.every(
      d =>
        JSON.stringify(calendar.openingHours[d as 'mon']) ===
        JSON.stringify(expected[d as 'mon']),
    )
  );
}

/**
 * A common target the editor fills in one choice. Each sets every field
 * its reading depends on, so the same preset always reads the same; the
 * metric stays as chosen unless the preset names one the backend
 * measures itself (`csat`).
 */
export type TargetPreset = {
  id: string;
  label: string;
  /** The values it sets; `timeZone` is the target's (browser's) zone. */
  values: (timeZone: string) => Partial<TargetFormValues>;
};

const noSliDetails = {
  operator: 'lte' as const,
  threshold: '',
  unit: 'ms',
  timeslice: '',
  maxDuration: 'PT4H',
  priority: '',
};

const rolling = (duration: string) => ({
  windowType: 'rolling' as const,
  windowDuration: duration,
});

const calendarPeriod = (
  unit: TargetFormValues['windowUnit'],
  timeZone: string,
) => ({
  windowType: 'calendar' as const,
  windowUnit: unit,
  windowTimeZone: timeZone,
});

/**
 * The presets, in the order the editor lists them (availability, latency,
 * support, experience). Why these: they are the common SLOs of the SRE
 * workbook (99.9 % availability over 28 days, a p95/p99 latency bound)
 * and of ITIL service desks (incident resolution by priority in business
 * hours), plus the XLA the backend measures from feedback.
 */
export const TARGET_PRESETS: TargetPreset[] = [
  {
    id: 'availability-99.9-28d',
    label: 'Availability 99.9 % over rolling 28 days',
    values: () => ({
      name: 'Availability',
      aspect: 'availability',
      sliKind: 'ratio',
      ...noSliDetails,
      objective: '99.9',
      ...rolling('P28D'),
      calendar: undefined,
    }),
  },
  {
    id: 'availability-99.5-month',
    label: 'Availability 99.5 % per calendar month',
    values: timeZone => ({
      name: 'Availability',
      aspect: 'availability',
      sliKind: 'ratio',
      ...noSliDetails,
      objective: '99.5',
      ...calendarPeriod('month', timeZone),
      calendar: undefined,
    }),
  },
  {
    id: 'latency-p95-300ms',
    label: 'p95 latency at most 300 ms (99 % of minutes, rolling 28 days)',
    values: () => ({
      name: 'Latency (p95)',
      aspect: 'performance',
      sliKind: 'threshold',
      ...noSliDetails,
      operator: 'lte',
      threshold: '300',
      unit: 'ms',
      timeslice: '',
      objective: '99',
      ...rolling('P28D'),
      calendar: undefined,
    }),
  },
  {
    id: 'latency-p99-1s',
    label: 'p99 latency at most 1 s (99 % of 5-minute slices, rolling 28 days)',
    values: () => ({
      name: 'Latency (p99)',
      aspect: 'performance',
      sliKind: 'threshold',
      ...noSliDetails,
      operator: 'lte',
      threshold: '1000',
      unit: 'ms',
      timeslice: 'PT5M',
      objective: '99',
      ...rolling('P28D'),
      calendar: undefined,
    }),
  },
  {
    id: 'p1-resolution-4h-business',
    label: 'P1 incidents resolved within 4 business hours (95 % per month)',
    values: timeZone => ({
      name: 'P1 resolution',
      aspect: 'support',
      sliKind: 'duration',
      ...noSliDetails,
      maxDuration: 'PT4H',
      priority: 'P1',
      objective: '95',
      ...calendarPeriod('month', timeZone),
      calendar: standardBusinessHours(timeZone),
    }),
  },
  {
    id: 'p2-resolution-2d-business',
    label: 'P2 incidents resolved within 16 business hours (90 % per month)',
    values: timeZone => ({
      name: 'P2 resolution',
      aspect: 'support',
      sliKind: 'duration',
      ...noSliDetails,
      maxDuration: 'PT16H',
      priority: 'P2',
      objective: '90',
      ...calendarPeriod('month', timeZone),
      calendar: standardBusinessHours(timeZone),
    }),
  },
  {
    id: 'p1-response-30m',
    label:
      'P1 incidents answered within 30 minutes, around the clock (95 % over rolling 28 days)',
    values: () => ({
      name: 'P1 response',
      aspect: 'timeliness',
      sliKind: 'duration',
      ...noSliDetails,
      maxDuration: 'PT30M',
      priority: 'P1',
      objective: '95',
      ...rolling('P28D'),
      calendar: undefined,
    }),
  },
  {
    id: 'csat-80-quarter',
    label: 'Customer satisfaction: 80 % of answers score 4 or 5 (per quarter)',
    values: timeZone => ({
      name: 'Customer satisfaction',
      aspect: 'experience',
      metric: 'csat',
      sliKind: 'ratio',
      ...noSliDetails,
      objective: '80',
      ...calendarPeriod('quarter', timeZone),
      calendar: undefined,
    }),
  },
];
