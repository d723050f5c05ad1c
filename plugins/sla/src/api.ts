import { createApiRef } from '@backstage/core-plugin-api';
import type { SlaApi } from '@opensla/backstage-plugin-sla-common';

/**
 * The SLA plugin's API: agreements, their lifecycle and history, and what the
 * signed-in user may do with them.
 * @public
 */
export const slaApiRef = createApiRef<SlaApi>({
  id: 'plugin.sla.service',
});
