import fc from 'fast-check';
import {
  PORTFOLIO_SORTS,
  PortfolioKey,
  SortableSummary,
  comparePortfolioKeys,
  matchesPortfolioSearch,
  portfolioPage,
  portfolioSortKey,
  sortPortfolio,
} from './portfolioQuery';

const summary = (over: Partial<SortableSummary> & { entityRef: string }) => ({
  owners: [],
  kinds: ['SLA'],
  worstStatus: null,
  targetsMetPercent: null,
  breaches: { total: 0 },
  csat: null,
  nextReviewDue: null,
  ...over,
});

const arbitrarySummary = fc.record({
  entityRef: fc
    .stringMatching(/^[a-c]{1,3}$/)
    .map(n => `component:default/${n}`),
  owners: fc.subarray(['group:default/a', 'group:default/b', 'user:default/c']),
  kinds: fc.subarray(['SLA', 'OLA', 'UC']),
  worstStatus: fc.constantFrom(null, 'met', 'at-risk', 'breached', 'no-data'),
  targetsMetPercent: fc.option(fc.constantFrom(0, 50, 100), { nil: null }),
  breaches: fc.record({ total: fc.nat(3) }),
  csat: fc.option(fc.constantFrom(0, 40, 100), { nil: null }),
  nextReviewDue: fc.option(
    fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
    { nil: null },
  ),
});

/** Distinct entity refs, as the portfolio has. */
const arbitraryPortfolio = fc.uniqueArray(arbitrarySummary, {
  selector: s => s.entityRef,
  maxLength: 30,
});

describe('portfolioSortKey', () => {
  it('puts the worst status first and services with nothing in force last', () => {
    const ranks = [null, 'met', 'no-data', 'breached', 'at-risk'].map(s =>
      portfolioSortKey(summary({ entityRef: 'x', worstStatus: s }), 'status'),
    );
    expect(ranks).toEqual([4, 2, 3, 0, 1]);
  });

  it('sorts a missing figure below every figure and a review never due last', () => {
    const none = summary({ entityRef: 'x' });
    expect(portfolioSortKey(none, 'csat')).toBe(-1);
    expect(portfolioSortKey(none, 'targetsMet')).toBe(-1);
    expect(portfolioSortKey(none, 'review')).toBe('9999');
  });
});

describe('portfolioPage', () => {
  it('pages through every order exactly as sorting everything and slicing (generated)', () => {
    fc.assert(
      fc.property(
        arbitraryPortfolio,
        fc.constantFrom(...PORTFOLIO_SORTS),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 1, max: 7 }),
        (items, sort, order, limit) => {
          const sorted = sortPortfolio(items, sort, order);
          const pages: SortableSummary[] = [];
          let after: PortfolioKey | undefined;
          for (let n = 0; n < 100; n++) {
            const page = portfolioPage(items, { sort, order, after, limit });
            pages.push(...page.items);
            expect(page.items.length).toBeLessThanOrEqual(limit);
            if (!page.more) break;
            after = page.last;
          }
          expect(pages.map(p => p.entityRef)).toEqual(
            sorted.map(p => p.entityRef),
          );
        },
      ),
      { seed: 14, numRuns: 300 },
    );
  });

  it('orders ties by entity ref, whatever the direction', () => {
    const items = ['c', 'a', 'b'].map(n =>
      summary({ entityRef: `component:default/${n}`, csat: 50 }),
    );
    for (const order of ['asc', 'desc'] as const) {
      expect(
        portfolioPage(items, { sort: 'csat', order, limit: 3 }).items.map(
          i => i.entityRef,
        ),
      ).toEqual([
        'component:default/a',
        'component:default/b',
        'component:default/c',
      ]);
    }
  });

  it('says no more follow on the last page', () => {
    const items = [summary({ entityRef: 'a' }), summary({ entityRef: 'b' })];
    expect(
      portfolioPage(items, { sort: 'service', order: 'asc', limit: 2 }).more,
    ).toBe(false);
    const first = portfolioPage(items, {
      sort: 'service',
      order: 'asc',
      limit: 1,
    });
    expect(first).toMatchObject({ more: true, last: ['a', 'a'] });
  });
});

describe('comparePortfolioKeys', () => {
  it('reverses the key but not the entity ref for desc', () => {
    const desc = comparePortfolioKeys('desc');
    expect(desc([2, 'a'], [1, 'b'])).toBeLessThan(0);
    expect(desc([1, 'a'], [1, 'b'])).toBeLessThan(0);
  });
});

describe('matchesPortfolioSearch', () => {
  const item = {
    entityRef: 'component:default/Checkout',
    owners: ['group:default/team-payments'],
    kinds: ['SLA', 'UC'],
  };
  it.each([
    ['checkout', true],
    ['PAYMENTS', true],
    ['uc', true],
    ['ola', false],
    ['', true],
  ])('%p → %p', (search, expected) => {
    expect(matchesPortfolioSearch(item, search)).toBe(expected);
  });
});
