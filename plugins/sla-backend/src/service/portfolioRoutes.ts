import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { PortfolioService } from './PortfolioService';

type Router = ApiRouter<typeof spec>;

/**
 * GET /portfolio: every service with agreements and the practice's KPIs.
 * Anyone signed in reads (users and services).
 * @internal
 */
export function addPortfolioRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; portfolio: PortfolioService },
) {
  const { httpAuth, portfolio } = options;
  router.get('/portfolio', async (req, res) => {
    const credentials = await httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });
    const { at, period, owner, kind, status } = req.query;
    res.json(
      await portfolio.portfolio(credentials, {
        at,
        period,
        owner,
        kind,
        status,
      }),
    );
  });
}
