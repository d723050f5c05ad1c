import type { Target, TargetWindow } from '../types';
import { humanizeDuration } from './durations';

/** 99.90 → "99.9". @public */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(4))}`;
}

/** "over a rolling 28 days", "per month". @public */
export function describeWindow(window: TargetWindow): string {
  if (window.type === 'rolling') {
    return `over a rolling ${humanizeDuration(window.duration)}`;
  }
  return `per ${window.unit}`;
}

const OPERATORS = { lte: '≤', gte: '≥' };

const FEEDBACK_OUTCOMES: Record<string, string> = {
  csat: 'of satisfaction answers score 4 or 5',
  promoters: 'of recommendation answers score 9 or 10',
};

/**
 * A target in plain words, e.g. "99.9 % of requests succeed over a rolling
 * 28 days" or "P1 incidents resolved within 1 business hour, 95 % per month".
 * @public
 */
export function describeTarget(target: Omit<Target, 'id'>): string {
  const objective = `${formatPercent(target.objective)} %`;
  const window = describeWindow(target.window);
  const sli = target.sli;
  switch (sli.kind) {
    case 'ratio': {
      // XLAs measured from feedback (the backend's csat and promoters)
      const xla =
        target.aspect === 'experience' && FEEDBACK_OUTCOMES[target.metric];
      if (xla) return `${objective} ${xla} ${window}`;
      const outcome =
        target.aspect === 'availability'
          ? 'of requests succeed'
          : `of ${target.metric} events are good`;
      return `${objective} ${outcome} ${window}`;
    }
    case 'threshold': {
      const unit = sli.unit ? ` ${sli.unit}` : '';
      const slice = target.timeslice
        ? humanizeDuration(target.timeslice)
        : '1 minute';
      return `${target.metric} ${OPERATORS[sli.operator]} ${
        sli.threshold
      }${unit} in ${objective} of ${slice} intervals ${window}`;
    }
    case 'duration': {
      const noun = target.aspect === 'support' ? 'incidents' : 'requests';
      const verb = target.aspect === 'support' ? 'resolved' : 'completed';
      const within = humanizeDuration(
        sli.maxDuration,
        target.calendar ? 'business' : undefined,
      );
      const who = sli.priority
        ? `${sli.priority} ${noun}`
        : `${noun[0].toUpperCase()}${noun.slice(1)}`;
      return `${who} ${verb} within ${within}, ${objective} ${window}`;
    }
    case 'ticket': {
      const within = humanizeDuration(
        sli.maxDuration,
        target.calendar ? 'business' : undefined,
      );
      const who = sli.priority ? `${sli.priority} tickets` : 'Tickets';
      const verb = sli.measure === 'response' ? 'answered' : 'resolved';
      return `${who} ${verb} within ${within}, ${objective} ${window}`;
    }
    default:
      return target.name;
  }
}
