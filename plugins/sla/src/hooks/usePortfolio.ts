import { useCallback, useRef } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AgreementKind,
  Portfolio,
  PortfolioSort,
  PortfolioStatus,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';

/** What the portfolio page asks GET /portfolio for, besides the page. */
export type PortfolioQuery = {
  period: string;
  at?: string;
  owner?: string;
  kind?: AgreementKind;
  status?: PortfolioStatus;
  awaitingSignature?: boolean;
  search?: string;
  sort: PortfolioSort;
  order: 'asc' | 'desc';
};

/**
 * Pages of GET /portfolio by page number, for a table with remote data:
 * the backend pages with cursors, so the cursor of each page reached is
 * kept (per query), and a page further on is reached through the pages
 * before it. Returns the page asked for (or the last one, when fewer
 * follow) and its number.
 */
export function usePortfolioPages() {
  const slaApi = useApi(slaApiRef);
  const kept = useRef<{ key: string; cursors: Array<string | undefined> }>({
    key: '',
    cursors: [undefined],
  });
  return useCallback(
    async (
      query: PortfolioQuery,
      pageSize: number,
      page: number,
    ): Promise<{ answer: Portfolio; page: number }> => {
      const key = JSON.stringify({ ...query, pageSize });
      if (kept.current.key !== key) kept.current = { key, cursors: [undefined] };
      const cursors = kept.current.cursors;
      let at = Math.min(page, cursors.length - 1);
      for (;;) {
        const answer = await slaApi.getPortfolio({
          ...query,
          search: query.search || undefined,
          limit: pageSize,
          cursor: cursors[at],
        });
        if (answer.nextCursor && kept.current.cursors === cursors) {
          cursors[at + 1] = answer.nextCursor;
        }
        if (at >= page || !answer.nextCursor) return { answer, page: at };
        at++;
      }
    },
    [slaApi],
  );
}
