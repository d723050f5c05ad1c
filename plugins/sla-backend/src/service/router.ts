import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import { fieldPathsInValidatorMessage } from './fieldPathsInValidatorMessage';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { AgreementService } from './AgreementService';
import { MeasurementService } from './MeasurementService';
import { ReadService } from './ReadService';
import { ViabilityService } from './ViabilityService';
import { registerViabilityRoutes } from './viabilityRoutes';
import { SatisfactionService } from './SatisfactionService';
import { addSatisfactionRoutes } from './satisfactionRoutes';
import { ReviewService } from './ReviewService';
import { addImprovementRoutes, addReviewRoutes } from './reviewRoutes';
import { ImprovementService } from './ImprovementService';
import { PortfolioService } from './PortfolioService';
import { addPortfolioRoutes } from './portfolioRoutes';
import { ReportService } from './ReportService';
import { addReportRoutes } from './reportRoutes';
import { refuseMalformedQuery } from './requestInput';
import { OpenSloService } from './OpenSloService';
import { addOpenSloRoutes } from './openSloRoutes';
import { TicketService } from './TicketService';
import { addTicketRoutes } from './ticketRoutes';
import { SeriesService } from './SeriesService';
import { addSeriesRoutes } from './seriesRoutes';
import { pageOfSorted, parsePageRequest } from './pagination';
import { NegotiationService } from './NegotiationService';
import { serverTiming, timerOf } from './serverTiming';
import { addNegotiationRoutes } from './negotiationRoutes';

/**
 * The HTTP shell: the OpenAPI router validates the request shape, each
 * handler reads the caller's credentials (no credentials → 401) and calls
 * one AgreementService method.
 * @internal
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  agreements: AgreementService;
  measurements: MeasurementService;
  reads: ReadService;
  viability: ViabilityService;
  satisfaction?: SatisfactionService;
  reviews?: ReviewService;
  improvements?: ImprovementService;
  portfolio?: PortfolioService;
  reports?: ReportService;
  openslo?: OpenSloService;
  tickets?: TicketService;
  /** Signatures, comments and change requests; also gives /transitions to agreed its meaning once customers sign. */
  negotiation?: NegotiationService;
  /** GET /series, the metric names the editor suggests. */
  series?: SeriesService;
  /** The time `at` is bounded against (defaults to the system clock). */
  clock?: () => Date;
  /**
   * `sla.debug.serverTiming`: answer where the time of GET /attainment
   * goes in a Server-Timing header (for benchmarks; off by default).
   */
  serverTiming?: boolean;
}): Promise<express.Router> {
  const { httpAuth, agreements, measurements, reads } = options;
  const router = await createOpenApiRouter({
    // 10,000 measurements are about 1.5 MB of JSON
    middleware: [express.json({ limit: '10mb' })],
  });
  // Refs and instants of every route's query, and the bounds of `at`
  // (docs/api.md "Instants"), before any handler reads them.
  const clock = options.clock ?? (() => new Date());
  router.use(refuseMalformedQuery(() => clock().getTime()));
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.get('/agreements', async (req, res) => {
    const { entityRef, kind, status, limit, cursor } = req.query;
    const page = parsePageRequest('agreements', { limit, cursor }, [
      'string',
      'string',
    ]);
    res.json(
      await agreements.list(
        await credentials(req),
        { entityRef, kind, status },
        page,
      ),
    );
  });

  router.post('/agreements', async (req, res) => {
    res
      .status(201)
      .json(await agreements.create(await credentials(req), req.body));
  });

  router.get('/agreements/:id', async (req, res) => {
    res.json(await agreements.get(await credentials(req), req.params.id));
  });

  router.put('/agreements/:id', async (req, res) => {
    res.json(
      await agreements.update(await credentials(req), req.params.id, req.body),
    );
  });

  router.post('/agreements/:id/transitions', async (req, res) => {
    res.json(
      await (options.negotiation ?? agreements).transition(
        await credentials(req),
        req.params.id,
        req.body,
      ),
    );
  });

  router.get('/agreements/:id/history', async (req, res) => {
    const { limit, cursor } = req.query;
    const page = parsePageRequest('history', { limit, cursor }, ['number']);
    const items = await agreements.history(
      await credentials(req),
      req.params.id,
    );
    // Newest version first; versions only grow, so a page never shifts.
    res.json(
      pageOfSorted(
        'history',
        items,
        h => [h.version],
        (a, b) => Number(b[0]) - Number(a[0]),
        page,
      ),
    );
  });

  router.post('/measurements', async (req, res) => {
    res.json(await measurements.ingest(await credentials(req), req.body));
  });

  router.get('/attainment', async (req, res) => {
    const { entityRef, at } = req.query;
    const timer = timerOf(res);
    const items = await reads.attainment(
      await timer.time('auth', () => credentials(req)),
      entityRef,
      at,
      timer,
    );
    res.json({ items });
  });

  router.get('/attainment/timeline', async (req, res) => {
    const { agreementId, targetId, at, points } = req.query;
    const items = await reads.timeline(await credentials(req), {
      agreementId,
      targetId,
      at,
      points,
    });
    res.json({ items });
  });

  router.get('/breaches', async (req, res) => {
    const { entityRef, from, to, limit, cursor } = req.query;
    const page = parsePageRequest('breaches', { limit, cursor }, [
      'string',
      'string',
    ]);
    res.json(
      await reads.breaches(
        await credentials(req),
        { entityRef, from, to },
        page,
      ),
    );
  });

  registerViabilityRoutes(router, credentials, options.viability);

  router.get('/access', async (req, res) => {
    const entityRef = req.query.entityRef;
    if (!entityRef) throw new InputError('entityRef is required');
    res.json(await agreements.access(await credentials(req), entityRef));
  });

  if (options.satisfaction) {
    addSatisfactionRoutes(router, {
      httpAuth,
      satisfaction: options.satisfaction,
    });
  }

  if (options.reviews) {
    addReviewRoutes(router, { httpAuth, reviews: options.reviews });
  }
  if (options.improvements) {
    addImprovementRoutes(router, {
      httpAuth,
      improvements: options.improvements,
    });
  }
  if (options.portfolio) {
    addPortfolioRoutes(router, { httpAuth, portfolio: options.portfolio });
  }
  if (options.reports) {
    addReportRoutes(router, { httpAuth, reports: options.reports });
  }
  if (options.negotiation) {
    addNegotiationRoutes(router, {
      httpAuth,
      negotiation: options.negotiation,
    });
  }
  if (options.openslo) {
    addOpenSloRoutes(router, { httpAuth, openslo: options.openslo });
  }
  if (options.tickets) {
    addTicketRoutes(router, { httpAuth, tickets: options.tickets });
  }
  if (options.series) {
    addSeriesRoutes(router, { httpAuth, series: options.series });
  }

  // The OpenAPI validator names fields as "request/body/targets/0/objective";
  // say "targets[0].objective" like the domain validator does.
  router.use(
    (
      error: Error,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error.name === 'InputError') {
        error.message = fieldPathsInValidatorMessage(error.message);
      }
      next(error);
    },
  );

  if (!options.serverTiming) return router;
  // Timing from before the OpenAPI validation on (docs/api.md).
  const timed = express.Router();
  timed.use(serverTiming());
  timed.use(router);
  return timed;
}
