import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { SatisfactionService } from './SatisfactionService';
import { parsePageRequest } from './pagination';

type Router = ApiRouter<typeof spec>;

/**
 * The satisfaction routes: feedback, complaints, survey campaigns, the
 * satisfaction summary and the watermelon check. Feedback is for signed-in
 * users only (a service cannot be satisfied); reads also take services.
 * @internal
 */
export function addSatisfactionRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; satisfaction: SatisfactionService },
) {
  const { httpAuth, satisfaction } = options;
  const user = (req: unknown) =>
    httpAuth.credentials(req as express.Request, { allow: ['user'] });
  const anyone = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.post('/feedback', async (req, res) => {
    res.status(201).json(await satisfaction.give(await user(req), req.body));
  });

  router.get('/feedback', async (req, res) => {
    const { entityRef, kind, state, limit, cursor } = req.query;
    const page = parsePageRequest('feedback', { limit, cursor }, [
      'string',
      'string',
    ]);
    res.json(
      await satisfaction.list(
        await anyone(req),
        { entityRef, kind, state },
        page,
      ),
    );
  });

  router.post('/feedback/:id/responses', async (req, res) => {
    res.json(
      await satisfaction.respond(await user(req), req.params.id, req.body),
    );
  });

  router.get('/campaigns', async (req, res) => {
    const items = await satisfaction.listCampaigns(
      await anyone(req),
      req.query.entityRef,
    );
    res.json({ items });
  });

  router.post('/campaigns', async (req, res) => {
    res
      .status(201)
      .json(await satisfaction.openCampaign(await anyone(req), req.body));
  });

  router.post('/campaigns/:id/close', async (req, res) => {
    res.json(
      await satisfaction.closeCampaign(
        await anyone(req),
        req.params.id,
        req.body.version,
      ),
    );
  });

  router.get('/satisfaction', async (req, res) => {
    const { entityRef, at, window } = req.query;
    res.json(
      await satisfaction.satisfaction(await anyone(req), {
        entityRef,
        at,
        window,
      }),
    );
  });

  router.get('/watermelon', async (req, res) => {
    const { entityRef, at, window } = req.query;
    res.json(
      await satisfaction.watermelon(await anyone(req), {
        entityRef,
        at,
        window,
      }),
    );
  });
}
