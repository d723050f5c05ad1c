import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { TargetAttainment } from '@opensla/backstage-plugin-sla-common';
import type { ReadService } from '../service/ReadService';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { describeAttainment } from './describe';

/**
 * `sla:get-entity-attainment`: how an entity is doing against its
 * agreements in force (GET /attainment), with a sentence per target.
 */
export function createGetAttainmentAction(options: {
  actionsRegistry: ActionsRegistryService;
  reads: Pick<ReadService, 'attainment'>;
  clock: () => Date;
}) {
  const { actionsRegistry, reads, clock } = options;
  actionsRegistry.register({
    name: 'get-entity-attainment',
    title: 'Get service level attainment',
    description: `Tells how a catalog entity (a service, system, API or resource) is doing against the targets of its service level agreements in force: for each target its attainment in percent over the target's window, the objective, the status (met, at-risk, breached, no-data), the error budget left and burn-rate alerts.
Use it to answer "is payments meeting its SLA?" or "how is checkout's availability this month?". An entity without agreements in force has no targets. Pass "at" (an ISO 8601 instant) to ask about a past moment.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          at: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe(
              'ISO 8601 instant to evaluate at, e.g. 2026-11-30T00:00:00Z (default: now)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          at: z.string().describe('The instant the figures are for'),
          summary: z
            .string()
            .describe('The figures in plain words, one sentence per target'),
          targets: z.array(
            z
              .object({
                agreementId: z.string(),
                targetId: z.string(),
                name: z.string().optional(),
                status: z.enum(['met', 'at-risk', 'breached', 'no-data']),
                attainment: z
                  .number()
                  .nullable()
                  .describe('Percent over the window; null without data'),
                objective: z.number().describe('Percent'),
                window: z.object({ start: z.string(), end: z.string() }),
                errorBudget: z.object({
                  allowed: z.number(),
                  consumed: z.number(),
                  remaining: z
                    .number()
                    .nullable()
                    .describe('Fraction of the allowed budget left'),
                }),
                burnRates: z.record(z.number().nullable()),
                alerts: z.array(
                  z.object({
                    severity: z.enum(['page', 'ticket']),
                    window: z.string(),
                  }),
                ),
                counted: z
                  .number()
                  .describe(
                    'Events, slices or incidents counted in the window',
                  ),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefInput(input.entityRef);
      const at = input.at ?? clock().toISOString();
      const targets: TargetAttainment[] = await reads.attainment(
        credentials,
        entityRef,
        at,
      );
      return {
        output: {
          entityRef,
          at: new Date(at).toISOString(),
          summary: describeAttainment(entityRef, targets),
          targets,
        },
      };
    },
  });
}
