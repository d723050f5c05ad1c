import { createServer } from 'node:net';

/**
 * A loopback TCP port that nothing listens on right now: the OS picks it for
 * a throwaway listener, which is closed again.
 */
export async function freeLocalPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', resolve);
  });
  const address = listener.address();
  await new Promise(resolve => listener.close(resolve));
  if (address === null || typeof address === 'string') {
    throw new Error('Could not find a free loopback port');
  }
  return address.port;
}
