import type { Watermelon } from '@opensla/backstage-plugin-sla-common';

/** A target's attainment, as the watermelon rule reads it. */
export type TargetReading = Watermelon['green'][number] & {
  status: 'no-data' | 'breached' | 'at-risk' | 'met';
};

/** The verdict and its evidence (the API adds the entity ref). */
export type WatermelonEvidence = Omit<Watermelon, 'entityRef'>;

/** Without an XLA, CSAT below this (in %) is red … */
export const FALLBACK_CSAT_OBJECTIVE = 60;
/** … once at least this many answers count. */
export const FALLBACK_MIN_ANSWERS = 5;

/**
 * The watermelon effect: green outside, red inside. An entity is a
 * watermelon when at least one of its service-level targets (every aspect
 * but `experience`) is green, none is breached, and its satisfaction is
 * red: an XLA (`experience` target) is breached, or, when it has no XLA,
 * CSAT over the window is below 60 % with at least 5 answers. Targets
 * without data are neither green nor breached.
 */
export function detectWatermelon(input: {
  targets: TargetReading[];
  csat: { csat: number | null; responses: number };
}): WatermelonEvidence {
  const outside = input.targets.filter(t => t.aspect !== 'experience');
  const inside = input.targets.filter(t => t.aspect === 'experience');
  const green = outside.filter(
    t => t.status === 'met' || t.status === 'at-risk',
  );
  const result = (
    watermelon: boolean,
    reason: string,
    red = [] as WatermelonEvidence['red'],
  ) => ({
    watermelon,
    reason,
    green,
    red,
  });
  const breached = outside.filter(t => t.status === 'breached');
  if (breached.length > 0) {
    return result(
      false,
      `${breached.length} service-level target(s) breached: not green outside`,
    );
  }
  if (green.length === 0) {
    return result(false, 'no service-level target with data is green');
  }
  if (inside.length > 0) {
    const red = inside
      .filter(t => t.status === 'breached')
      .map(t => ({
        source: 'xla' as const,
        agreementId: t.agreementId,
        targetId: t.targetId,
        name: t.name ?? t.targetId,
        value: t.attainment,
        objective: t.objective,
      }));
    return red.length
      ? result(
          true,
          `targets are met, but ${red.length} experience target(s) are breached`,
          red,
        )
      : result(false, 'no experience target is breached');
  }
  const { csat, responses } = input.csat;
  if (responses < FALLBACK_MIN_ANSWERS || csat === null) {
    return result(
      false,
      `no experience target, and only ${responses} CSAT answer(s) (at least ${FALLBACK_MIN_ANSWERS} needed)`,
    );
  }
  if (csat < FALLBACK_CSAT_OBJECTIVE) {
    return result(
      true,
      `targets are met, but CSAT is ${csat} % (below ${FALLBACK_CSAT_OBJECTIVE} %)`,
      [
        {
          source: 'csat',
          name: 'CSAT',
          value: csat,
          objective: FALLBACK_CSAT_OBJECTIVE,
          responses,
        },
      ],
    );
  }
  return result(
    false,
    `CSAT is ${csat} %, not below ${FALLBACK_CSAT_OBJECTIVE} %`,
  );
}

/**
 * detectWatermelon's verdict alone, without its evidence: for the
 * portfolio, which asks it of every service per request. `aspects[i]` is
 * the aspect of the target whose status is `statuses[i]`.
 */
export function isWatermelon(
  statuses: TargetReading['status'][],
  aspects: string[],
  csat: { csat: number | null; responses: number },
): boolean {
  let green = false;
  let experience = false;
  let experienceBreached = false;
  for (let i = 0; i < statuses.length; i++) {
    const status = statuses[i];
    if (aspects[i] === 'experience') {
      experience = true;
      if (status === 'breached') experienceBreached = true;
    } else if (status === 'breached') {
      return false;
    } else if (status === 'met' || status === 'at-risk') {
      green = true;
    }
  }
  if (!green) return false;
  if (experience) return experienceBreached;
  return (
    csat.csat !== null &&
    csat.responses >= FALLBACK_MIN_ANSWERS &&
    csat.csat < FALLBACK_CSAT_OBJECTIVE
  );
}
