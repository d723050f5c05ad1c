import { DateTime, Duration } from 'luxon';
import {
  humanizeDuration,
  ImprovementSource,
  ImprovementStatus,
  ReviewDecisionType,
  ReviewKind,
} from '@opensla/backstage-plugin-sla-common';

/** "every month", "every 3 months", "every year" for an ISO 8601 interval. */
export function describeInterval(iso: string): string {
  if (!Duration.fromISO(iso).isValid) return `every ${iso}`;
  const words = humanizeDuration(iso);
  return `every ${words.replace(/^1 (\D+)$/, '$1')}`;
}

/** How close a due instant is: overdue (not after now), soon (within 14 days) or later. */
export type DueState = 'overdue' | 'soon' | 'later';

export function dueState(due: string, now: number): DueState {
  const t = Date.parse(due);
  if (t <= now) return 'overdue';
  if (t - now <= 14 * 86_400_000) return 'soon';
  return 'later';
}

/** "in 12 days", "3 days ago", "today". */
export function relativeDays(instant: string, now: number): string {
  const days = Math.round((Date.parse(instant) - now) / 86_400_000);
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} ago`;
}

export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  service: 'Service review',
  agreement: 'Agreement review',
  event: 'Event review',
};

export const DECISION_LABELS: Record<ReviewDecisionType, string> = {
  prolong: 'Prolong',
  amend: 'Amend',
  withdraw: 'Withdraw',
};

/** What each decision does to the agreement, in the words of the lifecycle. */
export const DECISION_HINTS: Record<ReviewDecisionType | 'none', string> = {
  none: 'The agreement stays as it is',
  prolong: 'Re-agree the terms as they are (optionally until a later date)',
  amend: 'Reopen the terms: the agreement goes back to negotiation',
  withdraw: 'End the agreement (final)',
};

export const SOURCE_LABELS: Record<ImprovementSource, string> = {
  review: 'Review',
  breach: 'Breach',
  complaint: 'Complaint',
  feedback: 'Feedback',
};

export const IMPROVEMENT_STATUS_LABELS: Record<ImprovementStatus, string> = {
  proposed: 'Proposed',
  'in-progress': 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** The moves the backend allows from a status (domain/reviews/improvements.ts). */
export const IMPROVEMENT_MOVES: Record<ImprovementStatus, ImprovementStatus[]> =
  {
    proposed: ['proposed', 'in-progress', 'done', 'cancelled'],
    'in-progress': ['in-progress', 'proposed', 'done', 'cancelled'],
    done: [],
    cancelled: [],
  };

/** A `YYYY-MM-DD` date input value for an instant (UTC day). */
export function toDateInput(instant: string | number): string {
  return DateTime.fromMillis(
    typeof instant === 'number' ? instant : Date.parse(instant),
    { zone: 'utc' },
  ).toISODate()!;
}

/** The start of a `YYYY-MM-DD` day in UTC, or undefined when empty or invalid. */
export function fromDateInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = DateTime.fromISO(value, { zone: 'utc' });
  return date.isValid ? date.toISO()! : undefined;
}
