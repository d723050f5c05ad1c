import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { OpenSloService } from './OpenSloService';

type Router = ApiRouter<typeof spec>;

/**
 * SLOs as code: export as OpenSLO, preview pasted OpenSLO, and the state of
 * an entity's managed files. Users and services; checks in the service.
 * @internal
 */
export function addOpenSloRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; openslo: OpenSloService },
) {
  const { httpAuth, openslo } = options;
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.get('/agreements/:id/openslo', async (req, res) => {
    const { yaml, fileName } = await openslo.exportYaml(
      await credentials(req),
      req.params.id,
    );
    const response = res as unknown as express.Response;
    // attachment() sets a type from the extension (text/yaml): set ours after.
    response
      .attachment(fileName)
      .type('application/yaml; charset=utf-8')
      .send(yaml);
  });

  router.post('/openslo/preview', async (req, res) => {
    res.json((await openslo.preview(await credentials(req), req.body)) as any);
  });

  router.get('/openslo/sources', async (req, res) => {
    const items = await openslo.sources(
      await credentials(req),
      req.query.entityRef,
    );
    res.json({ items });
  });
}
