import { freezeSnapshot } from './snapshot';

const target = (id: string, attainment: number | null, status: string) => ({
  agreementId: 'a1',
  targetId: id,
  name: id,
  attainment,
  objective: 99,
  status,
  window: {
    start: '2026-01-01T00:00:00.000Z',
    end: '2026-02-01T00:00:00.000Z',
  },
  errorBudget: { allowed: 10, consumed: 4, remaining: 0.6 },
  burnRates: { '1h': 1 },
  alerts: [],
});

describe('freezeSnapshot', () => {
  const input = {
    takenAt: Date.parse('2026-02-02T10:00:00Z'),
    period: {
      start: Date.parse('2026-01-01T00:00:00Z'),
      end: Date.parse('2026-02-01T00:00:00Z'),
    },
    attainment: [
      target('t1', 99.5, 'met'),
      target('t2', 98, 'breached'),
      target('t3', 99, 'at-risk'),
      target('t4', null, 'no-data'),
    ],
    satisfaction: {
      csat: 50,
      csatResponses: 4,
      // as GET /satisfaction answers it
      meanScore: 3.5,
      nps: 0,
      complaints: { total: 1, open: 1, acknowledged: 0, resolved: 0 },
      compliments: 2,
      latest: [{ comment: 'personal' }],
      watermelon: { watermelon: true, reasons: [] },
    },
  };

  it('counts targets met over measured targets and keeps the read fields', () => {
    const s = freezeSnapshot(input);
    // measured: t1, t2, t3 (t4 has no data); met: 99.5 ≥ 99 and 99 ≥ 99 → 2
    expect(s.targetsMeasured).toBe(3);
    expect(s.targetsMet).toBe(2);
    expect(s.takenAt).toBe('2026-02-02T10:00:00.000Z');
    expect(s.period).toEqual({
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-02-01T00:00:00.000Z',
    });
    expect(s.attainment[0]).toEqual({
      agreementId: 'a1',
      targetId: 't1',
      name: 't1',
      attainment: 99.5,
      objective: 99,
      status: 'met',
      window: {
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-02-01T00:00:00.000Z',
      },
      errorBudget: { allowed: 10, consumed: 4, remaining: 0.6 },
    });
    expect(s.satisfaction).toEqual({
      csat: 50,
      csatResponses: 4,
      mean: 3.5,
      nps: 0,
      complaints: { total: 1, open: 1, acknowledged: 0, resolved: 0 },
      compliments: 2,
      watermelon: true,
    });
  });

  it('is a copy: later changes to the inputs do not reach it', () => {
    const s = freezeSnapshot(input);
    input.attainment[0].window.end = 'changed';
    input.attainment[0].errorBudget.consumed = 99;
    (input.satisfaction.complaints as any).total = 7;
    expect(s.attainment[0].window.end).toBe('2026-02-01T00:00:00.000Z');
    expect(s.attainment[0].errorBudget!.consumed).toBe(4);
    expect((s.satisfaction.complaints as any).total).toBe(1);
  });
});
