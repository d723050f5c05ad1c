import { budgetWarningLevel } from './budgetWarningLevel';

describe('budgetWarningLevel', () => {
  it('steps at 50, 75 and 100 % of the budget consumed', () => {
    // consumed = 1 − remaining
    expect(budgetWarningLevel(1)).toBe(0); // 0 %
    expect(budgetWarningLevel(0.6)).toBe(0); // 40 %
    expect(budgetWarningLevel(0.5)).toBe(50); // 50 %
    expect(budgetWarningLevel(0.3)).toBe(50); // 70 %
    expect(budgetWarningLevel(0.25)).toBe(75); // 75 %
    expect(budgetWarningLevel(0.01)).toBe(75); // 99 %
    expect(budgetWarningLevel(0)).toBe(100); // 100 %
    expect(budgetWarningLevel(-1.5)).toBe(100); // 250 %
  });

  it('treats an infinitely overspent budget as 100 %', () => {
    expect(budgetWarningLevel(null)).toBe(100);
  });
});
