import express from 'express';
import { placeholdersOf, QueryTemplate } from './queryTemplates';

/** What the editor may show about one template: never its PromQL. */
export type QueryTemplateSummary = {
  name: string;
  description?: string;
  /** The SLI kinds it can measure. */
  sliKinds: Array<'ratio' | 'threshold'>;
  /** Entity annotations it reads. */
  annotations: string[];
  /** Target parameters (`source.parameters`) it reads. */
  parameters: string[];
};

/** The body of `GET /api/sla/prometheus/templates`. */
export type QueryTemplatesResponse = {
  /** False when `sla.prometheus.baseUrl` is not configured. */
  enabled: boolean;
  allowFreeQueries: boolean;
  templates: QueryTemplateSummary[];
};

export function summarizeTemplates(
  templates: ReadonlyMap<string, QueryTemplate>,
): QueryTemplateSummary[] {
  return [...templates.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(template => ({
      name: template.name,
      ...(template.description ? { description: template.description } : {}),
      sliKinds: [
        ...(template.good && template.total ? (['ratio'] as const) : []),
        ...(template.value ? (['threshold'] as const) : []),
      ],
      ...placeholdersOf(template),
    }));
}

/**
 * `GET /prometheus/templates` on the SLA plugin's router: the template names
 * an owner can pick, with what each reads. Every signed-in user and service
 * may read it (the httpRouter's default policy answers 401 otherwise); the
 * PromQL itself stays on the server.
 */
export function createTemplatesRouter(
  response: QueryTemplatesResponse,
): express.Router {
  const router = express.Router();
  router.get('/prometheus/templates', (_req, res) => {
    res.json(response);
  });
  return router;
}
