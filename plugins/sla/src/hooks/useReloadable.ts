import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Like react-use's useAsyncRetry, except that `retry()` while a load is in
 * flight is never dropped: it starts another load, and only the latest
 * load's answer is shown (useAsync keeps the latest call). useAsyncRetry
 * ignores a retry while loading, so a second change made before the reload
 * of the first one answered (two signatures in quick succession on a slow
 * backend) left the page showing the state between the two.
 * @internal
 */
export function useReloadable<T>(fn: () => Promise<T>, deps: DependencyList) {
  const [attempt, setAttempt] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(fn, [...deps, attempt]);
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, retry };
}
