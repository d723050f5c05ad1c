import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { ImprovementService } from './ImprovementService';
import { ReviewService } from './ReviewService';

type Router = ApiRouter<typeof spec>;

/** Users and services pass here; the services check what each may do. */
const readerOrWriter = (httpAuth: HttpAuthService) => (req: unknown) =>
  httpAuth.credentials(req as express.Request, {
    allow: ['user', 'service'],
  });

/**
 * The review routes: review records and schedules. Reads take users and
 * services; writes are the owners' (the permission check is in the service).
 * @internal
 */
export function addReviewRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; reviews: ReviewService },
) {
  const { httpAuth, reviews } = options;
  const credentials = readerOrWriter(httpAuth);

  router.get('/reviews', async (req, res) => {
    const { entityRef, agreementId, status } = req.query;
    res.json(
      await reviews.list(await credentials(req), {
        entityRef,
        agreementId,
        status,
      }),
    );
  });

  router.post('/reviews', async (req, res) => {
    res
      .status(201)
      .json(await reviews.create(await credentials(req), req.body));
  });

  router.put('/reviews/:id', async (req, res) => {
    res.json(
      await reviews.update(await credentials(req), req.params.id, req.body),
    );
  });
}

/**
 * The improvement routes: initiatives and the service improvement plan.
 * @internal
 */
export function addImprovementRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; improvements: ImprovementService },
) {
  const { httpAuth, improvements } = options;
  const credentials = readerOrWriter(httpAuth);

  router.get('/improvements', async (req, res) => {
    const { entityRef, status } = req.query;
    res.json(
      await improvements.list(await credentials(req), { entityRef, status }),
    );
  });

  router.post('/improvements', async (req, res) => {
    res
      .status(201)
      .json(await improvements.create(await credentials(req), req.body));
  });

  router.put('/improvements/:id', async (req, res) => {
    res.json(
      await improvements.update(
        await credentials(req),
        req.params.id,
        req.body,
      ),
    );
  });
}
