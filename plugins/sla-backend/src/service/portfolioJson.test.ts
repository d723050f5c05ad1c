import type { Portfolio } from '@opensla/backstage-plugin-sla-common';
import { portfolioJson } from './portfolioJson';

describe('portfolioJson', () => {
  const item = (entityRef: string) =>
    ({
      entityRef,
      owners: ['group:default/team-a'],
      worstStatus: 'met',
      csat: null,
      timelyReports: null,
    } as unknown as Portfolio['items'][number]);
  const kpis = {
    targetsMetPercent: { value: 50 },
  } as unknown as Portfolio['kpis'];

  it('writes what JSON.stringify writes, with or without statusesAt and items', () => {
    const cases: Portfolio[] = [
      {
        items: [item('component:default/a'), item('component:default/b')],
        kpis,
        statusesAt: { current: '2026-11-22T00:00:00.000Z', previous: 'x' },
      },
      { items: [item('component:default/a')], kpis },
      { items: [], kpis },
    ];
    for (const portfolio of cases) {
      expect(portfolioJson(portfolio)).toBe(JSON.stringify(portfolio));
    }
  });

  it('writes a summary as it is when it is handed out again', () => {
    const a = item('component:default/a');
    expect(JSON.parse(portfolioJson({ items: [a], kpis })).items).toEqual([a]);
    // A new summary object (figures changed) is written anew.
    const changed = { ...a, worstStatus: 'breached' } as typeof a;
    expect(
      JSON.parse(portfolioJson({ items: [changed, a], kpis })).items,
    ).toEqual([changed, a]);
  });
});
