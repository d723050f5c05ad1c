import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { parsePageRequest } from './pagination';
import { TicketService } from './TicketService';

type Router = ApiRouter<typeof spec>;

/**
 * Ticket SLAs: POST /tickets records state changes, GET /tickets answers
 * an entity's tickets with their clocks. Users and services; who may do
 * what is checked in the service.
 * @internal
 */
export function addTicketRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; tickets: TicketService },
) {
  const { httpAuth, tickets } = options;
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.post('/tickets', async (req, res) => {
    res.json({ ...(await tickets.record(await credentials(req), req.body)) });
  });

  router.get('/tickets', async (req, res) => {
    const { entityRef, state, at, limit, cursor } = req.query;
    const page = parsePageRequest('tickets', { limit, cursor }, [
      'number',
      'string',
      'string',
    ]);
    res.json(
      (await tickets.list(
        await credentials(req),
        { entityRef, state, at },
        page,
      )) as any,
    );
  });
}
