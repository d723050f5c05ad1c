import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Breach } from '@opensla/backstage-plugin-sla-common';
import { MAX_PAGE_SIZE } from '../service/pagination';
import type { ReadService } from '../service/ReadService';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';

/** `sla:list-breaches`: the periods in which an entity's targets were breached (GET /breaches). */
export function createListBreachesAction(options: {
  actionsRegistry: ActionsRegistryService;
  reads: Pick<ReadService, 'breaches'>;
}) {
  const { actionsRegistry, reads } = options;
  actionsRegistry.register({
    name: 'list-breaches',
    title: 'List service level breaches',
    description: `Lists the breaches of a catalog entity's service level targets, newest first: when each opened and closed (open breaches have no closedAt), its severity (minor, major, critical: how far the error budget was overspent) and its cause (own, internal: an internal dependency's agreement was breached too, third-party: a supplier's), with the dependencies that caused it.
Use it to answer "did checkout breach its SLA last month?" or "what is breached right now?". Narrow with from/to (ISO 8601 instants): a breach is listed when it was open at some moment between them.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          from: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe('Only breaches still open at or after this instant'),
          to: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe('Only breaches opened before this instant'),
          openOnly: z
            .boolean()
            .optional()
            .describe('Only the breaches that are still open'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          open: z.number().describe('How many of the listed breaches are open'),
          items: z.array(
            z
              .object({
                id: z.string(),
                entityRef: z.string(),
                agreementId: z.string(),
                targetId: z.string(),
                openedAt: z.string(),
                closedAt: z.string().nullable().optional(),
                severity: z.enum(['minor', 'major', 'critical']),
                cause: z.enum(['own', 'internal', 'third-party']),
                causedBy: z
                  .array(
                    // restricted: the caller may not read that entity, so
                    // its agreement is left out
                    z.object({
                      entityRef: z.string(),
                      restricted: z.boolean().optional(),
                      agreementId: z.string().optional(),
                      kind: z.string().optional(),
                    }),
                  )
                  .optional(),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefInput(input.entityRef);
      // every page (keyset on openedAt, id): an entity's breaches are few
      const all: Breach[] = [];
      let after: [string, string] | undefined;
      do {
        const page = await reads.breaches(
          credentials,
          { entityRef, from: input.from, to: input.to },
          { limit: MAX_PAGE_SIZE, ...(after ? { after } : {}) },
        );
        all.push(...page.items);
        const last = page.items.at(-1);
        after = page.nextCursor && last ? [last.openedAt, last.id] : undefined;
      } while (after);
      const items = input.openOnly ? all.filter(b => !b.closedAt) : all;
      return {
        output: {
          entityRef,
          open: items.filter(b => !b.closedAt).length,
          items: items.map(b => ({ ...b })),
        },
      };
    },
  });
}
