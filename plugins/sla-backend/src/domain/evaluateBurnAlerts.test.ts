import { evaluateBurnAlerts } from './evaluateBurnAlerts';
import { Lookback } from './lookbacks';

const calm: Record<Lookback, number | null> = {
  '5m': 0,
  '30m': 0,
  '1h': 0,
  '2h': 0,
  '6h': 0,
  '1d': 0,
  '3d': 0,
};

describe('evaluateBurnAlerts', () => {
  it('fires nothing when calm or without data', () => {
    expect(evaluateBurnAlerts(calm)).toEqual([]);
    const noData = Object.fromEntries(
      Object.keys(calm).map(k => [k, null]),
    ) as Record<Lookback, null>;
    expect(evaluateBurnAlerts(noData)).toEqual([]);
  });

  it('pages at ≥ 14.4 over 1 h and 5 m, both needed', () => {
    expect(evaluateBurnAlerts({ ...calm, '1h': 14.4, '5m': 20 })).toEqual([
      { severity: 'page', window: '1h/5m' },
    ]);
    // A burst that is over (5 m calm) or has not lasted (1 h low) does not page.
    expect(evaluateBurnAlerts({ ...calm, '1h': 20, '5m': 14.3 })).toEqual([]);
    expect(evaluateBurnAlerts({ ...calm, '1h': 14.3, '5m': 20 })).toEqual([]);
    expect(evaluateBurnAlerts({ ...calm, '1h': 20, '5m': null })).toEqual([]);
  });

  it('pages at ≥ 6 over 6 h and 30 m, both needed', () => {
    expect(evaluateBurnAlerts({ ...calm, '6h': 6, '30m': 6 })).toEqual([
      { severity: 'page', window: '6h/30m' },
    ]);
    expect(evaluateBurnAlerts({ ...calm, '6h': 5.9, '30m': 10 })).toEqual([]);
    expect(evaluateBurnAlerts({ ...calm, '6h': 10, '30m': 5.9 })).toEqual([]);
  });

  it('opens a ticket at ≥ 3 over 1 d and 2 h, both needed', () => {
    expect(evaluateBurnAlerts({ ...calm, '1d': 3, '2h': 4 })).toEqual([
      { severity: 'ticket', window: '1d/2h' },
    ]);
    expect(evaluateBurnAlerts({ ...calm, '1d': 2.9, '2h': 4 })).toEqual([]);
    expect(evaluateBurnAlerts({ ...calm, '1d': 4, '2h': 2.9 })).toEqual([]);
  });

  it('opens a ticket at ≥ 1 over 3 d and 6 h, both needed', () => {
    expect(evaluateBurnAlerts({ ...calm, '3d': 1, '6h': 1 })).toEqual([
      { severity: 'ticket', window: '3d/6h' },
    ]);
    expect(evaluateBurnAlerts({ ...calm, '3d': 0.99, '6h': 2 })).toEqual([]);
    expect(evaluateBurnAlerts({ ...calm, '3d': 2, '6h': 0.99 })).toEqual([]);
  });

  it('lists every firing pair, pages first', () => {
    const burning = Object.fromEntries(
      Object.keys(calm).map(k => [k, 20]),
    ) as Record<Lookback, number>;
    expect(evaluateBurnAlerts(burning)).toEqual([
      { severity: 'page', window: '1h/5m' },
      { severity: 'page', window: '6h/30m' },
      { severity: 'ticket', window: '1d/2h' },
      { severity: 'ticket', window: '3d/6h' },
    ]);
  });
});
