import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the "Service levels" entity tab is mounted in the legacy frontend system. */
export const rootRouteRef = createRouteRef({
  id: 'sla',
});
