import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { portfolioCsvHeader, portfolioCsvLine } from '../domain/portfolio';
import {
  PortfolioService,
  portfolioCursorList,
  portfolioCursorShape,
} from './PortfolioService';
import { portfolioJson } from './portfolioJson';
import { parsePageRequest } from './pagination';

type Router = ApiRouter<typeof spec>;

/**
 * GET /portfolio: the services with agreements that match the query, one
 * page in the order asked for, and the practice's KPIs over every matching
 * service; with format=csv every matching service streamed as CSV.
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
    const {
      at,
      period,
      owner,
      kind,
      status,
      search,
      sort,
      order,
      awaitingSignature,
      format,
      limit,
      cursor,
    } = req.query;
    const query = {
      at,
      period,
      owner,
      kind,
      status,
      search,
      sort,
      order,
      awaitingSignature,
    };
    if (format === 'csv') {
      const { items } = await portfolio.portfolioRows(credentials, query);
      const out = res as unknown as express.Response;
      out.status(200);
      out.type('text/csv; charset=utf-8');
      out.attachment('portfolio.csv');
      // line by line, waiting for the socket when its buffer is full
      out.write(portfolioCsvHeader());
      for (const item of items) {
        if (!out.write(portfolioCsvLine(item))) {
          await drainedOrClosed(out);
          if (out.destroyed || out.writableEnded) return;
        }
      }
      out.end();
      return;
    }
    const page = parsePageRequest(
      portfolioCursorList(sort ?? 'service', order ?? 'asc'),
      { limit, cursor },
      portfolioCursorShape(sort),
    );
    const answer = await portfolio.portfolio(credentials, query, page);
    // Written as text (see portfolioJson); no ETag, whose hash of the
    // whole body would cost more than it saves for a live answer.
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(portfolioJson(answer));
  });
}

/** Until the response's buffer drained, or the client went away. */
function drainedOrClosed(out: express.Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
