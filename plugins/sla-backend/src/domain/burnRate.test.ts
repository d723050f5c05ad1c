import { burnRate, INFINITE_BURN_RATE } from './burnRate';

describe('burnRate', () => {
  it('is the bad fraction over the allowed fraction', () => {
    // 99.9 %: 144 bad of 10 000 = 0.0144; / 0.001 = 14.4 exactly, so the page fires.
    expect(burnRate({ bad: 144, total: 10_000 }, 99.9)).toBe(14.4);
    // 99 %: 1 of 100 = 0.01 / 0.01 = 1 (the budget lasts exactly the window).
    expect(burnRate({ bad: 1, total: 100 }, 99)).toBe(1);
    // 95 %: 1 of 40 = 0.025 / 0.05 = 0.5.
    expect(burnRate({ bad: 1, total: 40 }, 95)).toBe(0.5);
  });

  it('is null without data and 0 with nothing bad', () => {
    expect(burnRate({ bad: 0, total: 0 }, 99.9)).toBeNull();
    expect(burnRate({ bad: 0, total: 50 }, 99.9)).toBe(0);
  });

  it('under a 100 % objective is 0 or a JSON-safe "infinite" rate', () => {
    expect(burnRate({ bad: 0, total: 50 }, 100)).toBe(0);
    const rate = burnRate({ bad: 1, total: 50 }, 100);
    expect(rate).toBe(INFINITE_BURN_RATE);
    // Survives JSON as a number (Infinity would turn into null, "no data").
    expect(JSON.parse(JSON.stringify({ rate }))).toEqual({
      rate: Number.MAX_VALUE,
    });
  });
});
