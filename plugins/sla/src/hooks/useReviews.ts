import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { slaApiRef } from '../api';

/**
 * Everything the Reviews tab shows for `entityRef`: its agreements, their
 * reviews and review schedules, the improvement initiatives with the plan,
 * and what the caller may do. `reloadKey` loads it again after a change;
 * the previous value stays while it loads, so open dialogs keep their input.
 */
export function useReviews(entityRef: string, reloadKey = 0) {
  const slaApi = useApi(slaApiRef);
  return useAsync(async () => {
    const [agreements, reviews, improvements, access] = await Promise.all([
      slaApi.listAgreements({ entityRef }),
      slaApi.listReviews({ entityRef }),
      slaApi.listImprovements({ entityRef }),
      slaApi.getAccess(entityRef),
    ]);
    return {
      agreements: agreements.items,
      reviews: reviews.items,
      schedules: reviews.schedules,
      improvements: improvements.items,
      plan: improvements.plan,
      access,
    };
  }, [slaApi, entityRef, reloadKey]);
}
