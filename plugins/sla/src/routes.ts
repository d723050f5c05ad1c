import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the "Service levels" entity tab is mounted in the legacy frontend system. */
export const rootRouteRef = createRouteRef({
  id: 'sla',
});

/** The portfolio page (`/sla`), the plugin's own sidebar page. */
export const portfolioRouteRef = createRouteRef({
  id: 'sla-portfolio',
});
