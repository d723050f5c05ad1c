import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { slaApiRef } from '../api';

/**
 * How every target in force on `entityRef` stands now. `reloadKey` loads it
 * again, e.g. after an agreement was agreed or withdrawn; the previous figures
 * stay on screen meanwhile.
 */
export function useEntityAttainment(entityRef: string, reloadKey = 0) {
  const slaApi = useApi(slaApiRef);
  return useAsync(
    () => slaApi.getAttainment({ entityRef }),
    [slaApi, entityRef, reloadKey],
  );
}
