import {
  detectWatermelon,
  isWatermelon,
  TargetReading,
} from './detectWatermelon';

const target = (
  aspect: string,
  status: TargetReading['status'],
  attainment: number | null,
  objective: number,
): TargetReading => ({
  agreementId: 'a1',
  targetId: `${aspect}-${status}`,
  name: aspect,
  aspect,
  status,
  attainment,
  objective,
});

const availabilityMet = target('availability', 'met', 99.95, 99.9);

describe('detectWatermelon', () => {
  it('is a watermelon when targets are met and an XLA is breached', () => {
    // CSAT XLA: 7 of 10 satisfied = 70 % < 80 % → breached
    const xla = target('experience', 'breached', 70, 80);
    const r = detectWatermelon({
      targets: [availabilityMet, xla],
      csat: { csat: 70, responses: 10 },
    });
    expect(r.watermelon).toBe(true);
    expect(r.green.map(t => t.targetId)).toEqual(['availability-met']);
    expect(r.red).toEqual([
      {
        source: 'xla',
        agreementId: 'a1',
        targetId: 'experience-breached',
        name: 'experience',
        value: 70,
        objective: 80,
      },
    ]);
  });

  it('is not one when the XLA is met, even with CSAT below 60 %', () => {
    // XLA objective 50 %, attained 55 %: met; the 60 % fallback does not apply
    const r = detectWatermelon({
      targets: [availabilityMet, target('experience', 'met', 55, 50)],
      csat: { csat: 55, responses: 20 },
    });
    expect(r.watermelon).toBe(false);
  });

  it('is not one when a service-level target is breached (red outside)', () => {
    const r = detectWatermelon({
      targets: [
        availabilityMet,
        target('support', 'breached', 80, 95),
        target('experience', 'breached', 10, 80),
      ],
      csat: { csat: 10, responses: 10 },
    });
    expect(r.watermelon).toBe(false);
    expect(r.reason).toMatch(/breached/);
  });

  it('counts at-risk as green and no-data as neither', () => {
    const atRisk = target('performance', 'at-risk', 99.1, 99);
    const noData = target('support', 'no-data', null, 95);
    // no XLA; CSAT 2 of 5 = 40 % < 60 % with exactly 5 answers → watermelon
    const r = detectWatermelon({
      targets: [atRisk, noData],
      csat: { csat: 40, responses: 5 },
    });
    expect(r.watermelon).toBe(true);
    expect(r.green.map(t => t.status)).toEqual(['at-risk']);
    expect(r.red[0]).toMatchObject({
      source: 'csat',
      value: 40,
      objective: 60,
      responses: 5,
    });
    expect(
      detectWatermelon({ targets: [noData], csat: { csat: 0, responses: 9 } })
        .watermelon,
    ).toBe(false);
  });

  it('needs at least 5 answers without an XLA', () => {
    // 4 answers, all unhappy (CSAT 0 %): too few to call it
    const r = detectWatermelon({
      targets: [availabilityMet],
      csat: { csat: 0, responses: 4 },
    });
    expect(r.watermelon).toBe(false);
    expect(r.reason).toMatch(/only 4 CSAT answer/);
  });

  it('is not one at exactly 60 % without an XLA', () => {
    // 3 of 5 satisfied = 60 %: not below 60 %
    expect(
      detectWatermelon({
        targets: [availabilityMet],
        csat: { csat: 60, responses: 5 },
      }).watermelon,
    ).toBe(false);
  });
});

describe('isWatermelon', () => {
  it('gives the same verdict as detectWatermelon in every case', () => {
    const statuses: TargetReading['status'][] = [
      'met',
      'at-risk',
      'breached',
      'no-data',
    ];
    const aspects = ['availability', 'experience'];
    const singles = aspects.flatMap(a => statuses.map(s => [a, s] as const));
    // every set of up to three targets
    const sets: Array<Array<readonly [string, TargetReading['status']]>> = [
      [],
    ];
    for (const a of singles) {
      sets.push([a]);
      for (const b of singles) {
        sets.push([a, b]);
        for (const c of singles) sets.push([a, b, c]);
      }
    }
    const csats = [
      { csat: null, responses: 0 },
      { csat: 40, responses: 4 },
      { csat: 40, responses: 5 },
      { csat: 60, responses: 5 },
      { csat: 59.9, responses: 12 },
    ];
    let watermelons = 0;
    for (const set of sets) {
      for (const csat of csats) {
        const expected = detectWatermelon({
          targets: set.map(([aspect, status]) =>
            target(aspect, status, null, 99),
          ),
          csat,
        }).watermelon;
        if (expected) watermelons++;
        expect(
          isWatermelon(
            set.map(([, status]) => status),
            set.map(([aspect]) => aspect),
            csat,
          ),
        ).toBe(expected);
      }
    }
    // the table holds both verdicts
    expect(watermelons).toBeGreaterThan(50);
  });
});
