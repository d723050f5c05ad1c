import type { TicketClock } from '@opensla/backstage-plugin-sla-common';
import { formatElapsed } from './formatAttainment';

/** How a ticket clock looks: the bar's tone turns at 50, 75 and 100 %. */
export type TicketClockTone = 'ok' | 'half' | 'late' | 'over';

/** A ticket clock as the page shows it, `sinceMs` after it was read. */
export interface TicketClockView {
  /** Bar length, 0–100 (percent of the allowed time used, capped). */
  value: number;
  /** Percent of the allowed time used (not capped). */
  percentUsed: number;
  tone: TicketClockTone;
  /** e.g. "1 h 20 min left", "overdue by 10 min", "met in 12 min". */
  label: string;
  /** e.g. "paused — waiting on customer"; undefined while running. */
  status?: string;
  elapsedMs: number;
}

const PAUSE_LABELS: Record<string, string> = {
  'waiting-on-customer': 'waiting on customer',
  'waiting-on-vendor': 'waiting on vendor',
  'in-progress': 'in progress',
};

/**
 * A clock advanced by the time since it was read while it counts (the
 * browser ticks it; it stops at once when paused, stopped or outside
 * opening hours, as the server said when it was read).
 */
export function ticketClockView(
  clock: TicketClock,
  sinceMs: number,
): TicketClockView {
  const elapsedMs =
    clock.elapsedMs + (clock.counting ? Math.max(0, sinceMs) : 0);
  const fraction = clock.allowedMs > 0 ? elapsedMs / clock.allowedMs : 1;
  const percentUsed = fraction * 100;
  const over = elapsedMs > clock.allowedMs;
  let tone: TicketClockTone = 'ok';
  if (over || percentUsed >= 100) tone = 'over';
  else if (percentUsed >= 75) tone = 'late';
  else if (percentUsed >= 50) tone = 'half';
  const left = clock.allowedMs - elapsedMs;
  let label: string;
  if (clock.clockState === 'stopped') {
    label = `${over ? 'missed' : 'met'} after ${formatElapsed(elapsedMs)}`;
  } else if (over) {
    label = `overdue by ${formatElapsed(-left)}`;
  } else {
    label = `${formatElapsed(left)} left`;
  }
  let status: string | undefined;
  if (clock.clockState === 'paused') {
    status = `paused — ${
      PAUSE_LABELS[clock.pausedIn ?? ''] ?? clock.pausedIn ?? 'waiting'
    }`;
  } else if (clock.clockState === 'stopped') {
    status = clock.measure === 'response' ? 'responded' : 'resolved';
  } else if (!clock.counting) {
    status = 'not counting now (outside business hours or in maintenance)';
  }
  return {
    value: Math.min(100, Math.max(0, percentUsed)),
    percentUsed,
    tone,
    label,
    ...(status ? { status } : {}),
    elapsedMs,
  };
}
