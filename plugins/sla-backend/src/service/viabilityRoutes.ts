import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { ViabilityService } from './ViabilityService';

type Router = ApiRouter<typeof spec>;

/**
 * GET /viability and GET /blast-radius: parse, credentials (401), one
 * ViabilityService call.
 * @internal
 */
export function registerViabilityRoutes(
  router: Router,
  credentials: (req: unknown) => Promise<BackstageCredentials>,
  viability: ViabilityService,
) {
  router.get('/viability', async (req, res) => {
    const { entityRef, agreementId, targetId, objective } = req.query;
    const caller = await credentials(req);
    res.json(
      await viability.viability(caller, {
        entityRef,
        agreementId,
        targetId,
        objective,
      }),
    );
  });

  router.get('/blast-radius', async (req, res) => {
    const { entityRef, at, objective } = req.query;
    const caller = await credentials(req);
    const items = await viability.blastRadius(caller, {
      entityRef,
      at,
      objective,
    });
    res.json({ items });
  });
}
