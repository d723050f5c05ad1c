import type {
  ReviewSnapshot,
  ReviewSnapshotTarget as SnapshotTarget,
} from '@opensla/backstage-plugin-sla-common';

export type { ReviewSnapshot, SnapshotTarget };

/**
 * Freezes the attainment and satisfaction of a period into plain data: only
 * the fields a review reads are kept (no feedback comments), and the count of
 * targets met is taken over targets with a figure (status not `no-data`).
 */
export function freezeSnapshot(input: {
  takenAt: number;
  period: { start: number; end: number };
  attainment: Array<SnapshotTarget & Record<string, unknown>>;
  satisfaction: {
    csat: number | null;
    csatResponses: number;
    [field: string]: unknown;
  };
}): ReviewSnapshot {
  const iso = (t: number) => new Date(t).toISOString();
  const attainment = input.attainment.map(t => ({
    agreementId: t.agreementId,
    targetId: t.targetId,
    ...(t.name !== undefined ? { name: t.name } : {}),
    attainment: t.attainment,
    objective: t.objective,
    status: t.status,
    window: { ...t.window },
    ...(t.errorBudget ? { errorBudget: { ...t.errorBudget } } : {}),
  }));
  const measured = attainment.filter(
    t => t.attainment !== null && t.status !== 'no-data',
  );
  const s = input.satisfaction;
  const watermelon = (s.watermelon as { watermelon?: boolean } | undefined)
    ?.watermelon;
  return {
    takenAt: iso(input.takenAt),
    period: { start: iso(input.period.start), end: iso(input.period.end) },
    attainment,
    targetsMet: measured.filter(t => t.attainment! >= t.objective).length,
    targetsMeasured: measured.length,
    satisfaction: {
      csat: s.csat,
      csatResponses: s.csatResponses,
      // GET /satisfaction calls it meanScore; the snapshot keeps `mean`.
      ...(s.meanScore !== undefined
        ? { mean: s.meanScore as number | null }
        : {}),
      ...(s.nps !== undefined ? { nps: s.nps as number | null } : {}),
      ...(s.complaints !== undefined
        ? {
            complaints: JSON.parse(
              JSON.stringify(s.complaints),
            ) as ReviewSnapshot['satisfaction']['complaints'],
          }
        : {}),
      ...(s.compliments !== undefined
        ? { compliments: s.compliments as number }
        : {}),
      ...(watermelon !== undefined ? { watermelon } : {}),
    },
  };
}
