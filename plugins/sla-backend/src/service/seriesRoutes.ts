import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { parsePageRequest } from './pagination';
import { SeriesService } from './SeriesService';

type Router = ApiRouter<typeof spec>;

/**
 * GET /series?entityRef=: an entity's measured series, paged by metric
 * name. Users and services; the read check is in the service.
 * @internal
 */
export function addSeriesRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; series: SeriesService },
) {
  const { httpAuth, series } = options;
  router.get('/series', async (req, res) => {
    const credentials = await httpAuth.credentials(
      req as unknown as express.Request,
      { allow: ['user', 'service'] },
    );
    const { entityRef, limit, cursor } = req.query;
    const page = parsePageRequest('series', { limit, cursor }, ['string']);
    res.json(await series.list(credentials, entityRef, page));
  });
}
