import { targetStatus } from './targetStatus';

describe('targetStatus', () => {
  const healthy = {
    counted: 1000,
    attainment: 99.95,
    objective: 99.9,
    remaining: 0.5,
    alerts: [],
  };

  it('is met with budget to spare and no alerts', () => {
    expect(targetStatus(healthy)).toBe('met');
    // Exactly 25 % left is not below 25 %.
    expect(targetStatus({ ...healthy, remaining: 0.25 })).toBe('met');
  });

  it('is no-data when nothing was counted', () => {
    expect(
      targetStatus({ ...healthy, counted: 0, attainment: null, remaining: 1 }),
    ).toBe('no-data');
  });

  it('is breached below the objective', () => {
    expect(targetStatus({ ...healthy, attainment: 99.8, remaining: -1 })).toBe(
      'breached',
    );
  });

  it('is breached when a 100 % objective has consumed anything', () => {
    expect(
      targetStatus({
        ...healthy,
        objective: 100,
        attainment: 99.99,
        remaining: null,
      }),
    ).toBe('breached');
  });

  it('is at risk with less than 25 % budget left', () => {
    expect(targetStatus({ ...healthy, remaining: 0.2 })).toBe('at-risk');
    // Attainment equal to the objective is not a breach; the budget is spent.
    expect(targetStatus({ ...healthy, attainment: 99.9, remaining: 0 })).toBe(
      'at-risk',
    );
  });

  it('is at risk while a burn alert fires', () => {
    expect(targetStatus({ ...healthy, alerts: [{ severity: 'ticket' }] })).toBe(
      'at-risk',
    );
    expect(targetStatus({ ...healthy, alerts: [{ severity: 'page' }] })).toBe(
      'at-risk',
    );
  });

  it('is met for a flawless 100 % objective', () => {
    expect(
      targetStatus({
        counted: 10,
        attainment: 100,
        objective: 100,
        remaining: 1,
        alerts: [],
      }),
    ).toBe('met');
  });
});
