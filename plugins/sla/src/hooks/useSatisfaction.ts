import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { slaApiRef } from '../api';

/**
 * The satisfaction summary of `entityRef` over the last 30 days, the
 * survey campaigns and what the caller may do. `reloadKey` loads it again
 * after a change.
 */
export function useSatisfaction(entityRef: string, reloadKey = 0) {
  const slaApi = useApi(slaApiRef);
  return useAsync(async () => {
    const [satisfaction, campaigns, access] = await Promise.all([
      slaApi.getSatisfaction({ entityRef }),
      slaApi.listCampaigns(entityRef),
      slaApi.getAccess(entityRef),
    ]);
    return { satisfaction, campaigns: campaigns.items, access };
  }, [slaApi, entityRef, reloadKey]);
}
