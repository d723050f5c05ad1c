import { createHash } from 'node:crypto';

const HOUR_MS = 3_600_000;

/**
 * Where the portfolio reads the targets' statuses at a period's end `at`:
 * - `live`: `at` is at most `maxAgeMs` before `now` (and not after it): the
 *   statuses the breach evaluator kept when it last evaluated each target,
 *   if that was at most `maxAgeMs` before `at`;
 * - `snapshot`: an earlier `at`: the statuses at the whole hour at or before
 *   `at`, kept once computed (they only change when late data arrives,
 *   which drops them);
 * - `evaluate`: a future `at` is evaluated and not kept (data may still
 *   arrive for it).
 */
export type StatusSource =
  | { kind: 'live'; at: number; oldest: number }
  | { kind: 'snapshot'; at: number }
  | { kind: 'evaluate'; at: number };

export function statusSource(
  at: number,
  now: number,
  maxAgeMs: number,
): StatusSource {
  if (at > now) return { kind: 'evaluate', at };
  if (at >= now - maxAgeMs) return { kind: 'live', at, oldest: at - maxAgeMs };
  return { kind: 'snapshot', at: Math.floor(at / HOUR_MS) * HOUR_MS };
}

/**
 * What a target's status depends on besides the data: its entity, its own
 * definition and the agreement's maintenance windows. A kept status whose
 * fingerprint differs was computed for another definition and is not used.
 */
export function targetFingerprint(
  agreement: { entityRef: string; maintenanceWindows?: unknown },
  target: { id: string },
): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        agreement.entityRef.toLocaleLowerCase('en-US'),
        target,
        agreement.maintenanceWindows ?? [],
      ]),
    )
    .digest('hex')
    .slice(0, 20);
}

/** The earliest instant a batch of measurements holds (ms). */
export function earliestInstant(
  items: Array<
    { kind: 'duration'; start: number } | { kind: string; ts: number }
  >,
): number {
  let earliest = Infinity;
  for (const item of items) {
    const t = 'start' in item ? item.start : item.ts;
    if (t < earliest) earliest = t;
  }
  return earliest;
}
