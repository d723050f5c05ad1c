import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import type { ServiceReport } from '@opensla/backstage-plugin-sla-common';
import express from 'express';
import { reportCsv, reportFileName } from '../domain/reports';
import { spec } from '../schema/openapi.generated';
import { ReportService } from './ReportService';

type Router = ApiRouter<typeof spec>;

/** Answers a report as JSON or, with format=csv, as a CSV download. */
function answer(
  res: express.Response,
  report: ServiceReport,
  format: string | undefined,
) {
  if (format === 'csv') {
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(reportFileName(report, 'csv'))
      .send(reportCsv(report));
    return;
  }
  res.json(report);
}

/**
 * The service report routes: live reports and published (frozen) ones.
 * Reads take users and services; publishing is the owners' (checked in the
 * service).
 * @internal
 */
export function addReportRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; reports: ReportService },
) {
  const { httpAuth, reports } = options;
  const credentials = (req: unknown) =>
    httpAuth.credentials(req as express.Request, {
      allow: ['user', 'service'],
    });

  router.get('/reports', async (req, res) => {
    const { entityRef, at, month, from, to, format } = req.query;
    const report = await reports.live(await credentials(req), {
      entityRef,
      at,
      month,
      from,
      to,
    });
    answer(res as unknown as express.Response, report, format);
  });

  router.get('/reports/published', async (req, res) => {
    res.json(
      await reports.listPublished(await credentials(req), {
        entityRef: req.query.entityRef,
      }),
    );
  });

  router.post('/reports/published', async (req, res) => {
    res
      .status(201)
      .json(await reports.publish(await credentials(req), req.body));
  });

  router.get('/reports/published/:id', async (req, res) => {
    const published = await reports.getPublished(
      await credentials(req),
      req.params.id,
    );
    if (req.query.format === 'csv') {
      answer(res as unknown as express.Response, published.report, 'csv');
      return;
    }
    res.json(published);
  });
}
