import type { AgreementStatus } from '@opensla/backstage-plugin-sla-common';

/** The validity bounds an agreement states, [validFrom, validUntil). */
export type Validity = { validFrom?: string; validUntil?: string };

/** One version of an agreement, as the history records it. */
export type VersionRecord<T extends Validity> = {
  version: number;
  status: AgreementStatus;
  /** When this version was written (ms). */
  changedAt: number;
  /** The agreement at this version (parsed on demand: only agreed ones are). */
  snapshot: () => T;
};

/** An agreed version and the instants [from, until) it was in force. */
export type InForceSpan<T extends Validity> = {
  from: number;
  until: number;
  version: VersionRecord<T>;
};

const bound = (iso: string | undefined, otherwise: number) =>
  iso ? Date.parse(iso) : otherwise;

/**
 * Whether an agreement's stated validity holds `at`: validFrom ≤ at <
 * validUntil (a missing bound does not limit).
 */
export function isValidAt(agreement: Validity, at: number): boolean {
  return (
    bound(agreement.validFrom, -Infinity) <= at &&
    at < bound(agreement.validUntil, Infinity)
  );
}

/**
 * When each version of an agreement was in force (product.md §1: `agreed`
 * is the only status whose targets are in force):
 *
 * - an `agreed` version is in force from the instant it was written until
 *   the next version was written (a review, a withdrawal, an expiry), and
 *   only inside its own [validFrom, validUntil);
 * - the first agreed version also covers the time before it was written
 *   (back to its validFrom, or without limit when it has none): an agreement
 *   agreed today "valid from April" was in force in May, and seeded or
 *   imported agreements (written already agreed) have no earlier version;
 * - other statuses (requirements, draft, negotiation, under-review,
 *   withdrawn, expired) are not in force; with `duringReview`, an agreed
 *   version stays in force (with its own content, not the amendments being
 *   negotiated) while the agreement is under review after it.
 *
 * Spans never overlap; they are returned in version order.
 */
export function inForceSpans<T extends Validity>(
  versions: Array<VersionRecord<T>>,
  options: { duringReview?: boolean } = {},
): Array<InForceSpan<T>> {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const spans: Array<InForceSpan<T>> = [];
  let seenAgreed = false;
  sorted.forEach((v, i) => {
    if (v.status !== 'agreed') return;
    const first = !seenAgreed;
    seenAgreed = true;
    const snapshot = v.snapshot();
    let next = i + 1;
    while (
      options.duringReview &&
      next < sorted.length &&
      sorted[next].status === 'under-review'
    ) {
      next++;
    }
    const from = Math.max(
      first ? -Infinity : v.changedAt,
      bound(snapshot.validFrom, -Infinity),
    );
    const until = Math.min(
      next < sorted.length ? sorted[next].changedAt : Infinity,
      bound(snapshot.validUntil, Infinity),
    );
    if (from < until) spans.push({ from, until, version: v });
  });
  return spans;
}

/** The version in force at `at`, if any (see inForceSpans). */
export function versionInForceAt<T extends Validity>(
  versions: Array<VersionRecord<T>>,
  at: number,
): VersionRecord<T> | undefined {
  return inForceSpans(versions).find(s => s.from <= at && at < s.until)
    ?.version;
}

/**
 * The last version in force at some instant of [start, end), if any: the
 * version a report of that period shows. Options as for inForceSpans.
 */
export function lastVersionInForceDuring<T extends Validity>(
  versions: Array<VersionRecord<T>>,
  start: number,
  end: number,
  options: { duringReview?: boolean } = {},
): VersionRecord<T> | undefined {
  const overlapping = inForceSpans(versions, options).filter(
    s => s.from < end && s.until > start,
  );
  return overlapping[overlapping.length - 1]?.version;
}
