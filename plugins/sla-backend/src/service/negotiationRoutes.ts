import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { NegotiationService } from './NegotiationService';
import { parsePageRequest } from './pagination';

type Router = ApiRouter<typeof spec>;

/**
 * The negotiation routes: signatures, comments, change requests and the
 * negotiation state of an agreement. Who may sign or speak for a party is
 * decided in NegotiationService.
 * @internal
 */
export function addNegotiationRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; negotiation: NegotiationService },
) {
  const { httpAuth, negotiation } = options;
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.get('/agreements/:id/negotiation', async (req, res) => {
    res.json(
      await negotiation.negotiation(await credentials(req), req.params.id),
    );
  });

  router.post('/agreements/:id/signatures', async (req, res) => {
    res.json(
      await negotiation.sign(await credentials(req), req.params.id, req.body),
    );
  });

  router.get('/agreements/:id/comments', async (req, res) => {
    const { limit, cursor, open } = req.query;
    const page = parsePageRequest('comments', { limit, cursor }, [
      'string',
      'string',
    ]);
    res.json(
      await negotiation.listComments(
        await credentials(req),
        req.params.id,
        page,
        String(open) === 'true',
      ),
    );
  });

  router.post('/agreements/:id/comments', async (req, res) => {
    res
      .status(201)
      .json(
        await negotiation.comment(
          await credentials(req),
          req.params.id,
          req.body,
        ),
      );
  });

  router.post('/agreements/:id/change-requests', async (req, res) => {
    res.json(
      await negotiation.requestChanges(
        await credentials(req),
        req.params.id,
        req.body,
      ),
    );
  });
}
