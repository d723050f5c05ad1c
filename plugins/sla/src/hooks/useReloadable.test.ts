import { act, renderHook, waitFor } from '@testing-library/react';
import { useReloadable } from './useReloadable';

describe('useReloadable', () => {
  it('reloads when asked while a load is in flight, and shows the latest answer', async () => {
    const answers: Array<(v: string) => void> = [];
    const load = () => new Promise<string>(resolve => answers.push(resolve));
    const { result } = renderHook(() => useReloadable(load, []));
    await waitFor(() => expect(answers).toHaveLength(1));
    act(() => answers[0]('first'));
    await waitFor(() => expect(result.current.value).toBe('first'));

    // a change, its reload in flight, then a second change
    act(() => result.current.retry());
    await waitFor(() => expect(answers).toHaveLength(2));
    act(() => result.current.retry());
    // useAsyncRetry dropped this second reload; it must start another load
    await waitFor(() => expect(answers).toHaveLength(3));
    // the reload that started before the second change answers last: ignored
    act(() => answers[2]('after both changes'));
    act(() => answers[1]('between the changes'));
    await waitFor(() =>
      expect(result.current.value).toBe('after both changes'),
    );
    await new Promise(r => setTimeout(r, 20));
    expect(result.current.value).toBe('after both changes');
  });
});
