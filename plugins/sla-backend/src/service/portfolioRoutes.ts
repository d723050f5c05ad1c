import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { PortfolioService } from './PortfolioService';
import { portfolioJson } from './portfolioJson';
import { parsePageRequest } from './pagination';

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
    const credentials = await httpAuth.credentials(
      req as unknown as express.Request,
      {
        allow: ['user', 'service'],
      },
    );
    const { at, period, owner, kind, status, limit, cursor } = req.query;
    const page = parsePageRequest('portfolio', { limit, cursor }, ['string']);
    const answer = await portfolio.portfolio(
      credentials,
      { at, period, owner, kind, status },
      page,
    );
    // Written as text (see portfolioJson); no ETag, whose hash of the
    // whole body would cost more than it saves for a live answer.
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(portfolioJson(answer));
  });
}
