import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import { spec } from '../schema/openapi.generated';
import { ImprovementService } from './ImprovementService';
import { ReviewService } from './ReviewService';
import {
  CursorKey,
  PageRequest,
  newestFirstThenId,
  pageOfSorted,
  parsePageRequest,
} from './pagination';

/** One entity's records (a few hundred at most), newest first then by id. */
function pageNewestFirst<T extends { createdAt: string; id: string }>(
  list: string,
  items: T[],
  page: PageRequest,
) {
  const keyOf = (x: T): CursorKey => [x.createdAt, x.id];
  const sorted = [...items].sort((a, b) =>
    newestFirstThenId(keyOf(a), keyOf(b)),
  );
  return pageOfSorted(list, sorted, keyOf, newestFirstThenId, page);
}

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
    const { entityRef, agreementId, status, limit, cursor } = req.query;
    const page = parsePageRequest('reviews', { limit, cursor }, [
      'string',
      'string',
    ]);
    const { items, ...rest } = await reviews.list(await credentials(req), {
      entityRef,
      agreementId,
      status,
    });
    // The schedules cover every review; the items are paged.
    res.json({ ...rest, ...pageNewestFirst('reviews', items, page) });
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
    const { entityRef, status, limit, cursor } = req.query;
    const page = parsePageRequest('improvements', { limit, cursor }, [
      'string',
      'string',
    ]);
    const { items, ...rest } = await improvements.list(await credentials(req), {
      entityRef,
      status,
    });
    // The plan covers every initiative; the items are paged.
    res.json({ ...rest, ...pageNewestFirst('improvements', items, page) });
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
