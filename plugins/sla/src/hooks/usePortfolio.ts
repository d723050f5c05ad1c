import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AgreementKind,
  PortfolioStatus,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from '../api';

/** What the portfolio page asks GET /portfolio for. */
export type PortfolioQuery = {
  period: string;
  at?: string;
  owner?: string;
  kind?: AgreementKind;
  status?: PortfolioStatus;
};

/**
 * The portfolio for `query`. While a new query loads, the previous answer
 * stays in `value`, so the page does not blank out on every filter change.
 */
export function usePortfolio(query: PortfolioQuery) {
  const slaApi = useApi(slaApiRef);
  const { period, at, owner, kind, status } = query;
  return useAsyncRetry(
    () => slaApi.getPortfolio({ period, at, owner, kind, status }),
    [slaApi, period, at, owner, kind, status],
  );
}
