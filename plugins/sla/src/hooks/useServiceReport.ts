import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { slaApiRef } from '../api';

/**
 * The live service report of `entityRef` for `month` (`YYYY-MM`, UTC) and
 * what the caller may do. `reloadKey` loads it again.
 */
export function useServiceReport(entityRef: string, month: string) {
  const slaApi = useApi(slaApiRef);
  return useAsync(async () => {
    const [report, access] = await Promise.all([
      slaApi.getServiceReport({ entityRef, month }),
      slaApi.getAccess(entityRef),
    ]);
    return { report, access };
  }, [slaApi, entityRef, month]);
}

/** The published reports of `entityRef`; `reloadKey` loads them again. */
export function usePublishedReports(entityRef: string, reloadKey = 0) {
  const slaApi = useApi(slaApiRef);
  return useAsync(
    () => slaApi.listPublishedReports(entityRef),
    [slaApi, entityRef, reloadKey],
  );
}
