import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { DependencyBound } from '@opensla/backstage-plugin-sla-common';
import type { ViabilityService } from '../service/ViabilityService';
import { describeViability } from './describe';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';

const flat = ({ children: _c, repeated: _r, ...d }: DependencyBound) => d;

/**
 * `sla:explain-viability`: what limits an entity's availability targets
 * (GET /viability): the supportable figure, the weakest link and each
 * target's verdict, in figures and in words.
 */
export function createExplainViabilityAction(options: {
  actionsRegistry: ActionsRegistryService;
  viability: Pick<ViabilityService, 'viability'>;
}) {
  const { actionsRegistry, viability } = options;
  actionsRegistry.register({
    name: 'explain-viability',
    title: 'Explain what limits an availability target',
    description: `Explains whether a catalog entity's availability targets are viable: the highest availability its dependencies' agreements can support (serial dependencies multiply, redundancy groups count once, soft dependencies are left out), the weakest link (the dependency with the lowest bound, and whether that bound is agreed, derived from its own dependencies, or missing an agreement), each availability target's verdict and headroom, and misaligned duration or latency targets.
Use it to answer "can we promise 99.99 % for checkout?" (pass objective as a what-if) or "why is this SLA not viable?".`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
          objective: z
            .number()
            .gt(0)
            .lte(100)
            .optional()
            .describe(
              'A what-if availability objective in percent, e.g. 99.95, judged instead of the targets',
            ),
          agreementId: z
            .string()
            .optional()
            .describe('Only the targets of this agreement of the entity'),
        }),
      output: z => {
        // `restricted`: the caller may not read that entity, so its bound
        // and agreements are left out (docs/api.md, Viability).
        const dependency = z.object({
          entityRef: z.string(),
          restricted: z.boolean().optional(),
          bound: z.number().optional().describe('Percent'),
          source: z.enum(['agreed', 'unagreed', 'missing']).optional(),
          agreementId: z.string().optional(),
          targetId: z.string().optional(),
          group: z.string().optional(),
        });
        return z.object({
          entityRef: z.string(),
          explanation: z.string().describe('The analysis in plain words'),
          supportable: z
            .number()
            .describe('Percent the dependencies can support'),
          weakestLink: z
            .object({
              entityRef: z.string(),
              restricted: z.boolean().optional(),
              bound: z.number().optional(),
              source: z.enum(['agreed', 'unagreed', 'missing']).optional(),
              group: z.string().optional(),
            })
            .optional(),
          targets: z.array(
            z.object({
              targetId: z.string(),
              agreementId: z.string().optional(),
              name: z.string().optional(),
              objective: z.number(),
              viable: z.boolean(),
              headroom: z
                .number()
                .nullable()
                .describe('supportable - objective, percentage points'),
            }),
          ),
          dependencies: z
            .array(dependency)
            .describe('Direct hard dependencies with their bounds'),
          softDependencies: z.array(dependency),
          misaligned: z.array(
            z.object({
              kind: z.string(),
              agreementId: z.string(),
              targetId: z.string(),
              message: z.string(),
            }),
          ),
          cycles: z.array(z.array(z.string())),
        });
      },
    },
    action: async ({ input, credentials }) => {
      const report = await viability.viability(credentials, {
        entityRef: entityRefInput(input.entityRef),
        objective: input.objective,
        agreementId: input.agreementId,
      });
      return {
        output: {
          entityRef: report.entityRef,
          explanation: describeViability(report),
          supportable: report.supportable,
          ...(report.weakestLink ? { weakestLink: report.weakestLink } : {}),
          targets: report.items.map(i => ({
            targetId: i.targetId,
            ...(i.agreementId ? { agreementId: i.agreementId } : {}),
            ...(i.name ? { name: i.name } : {}),
            objective: i.objective,
            viable: i.viable,
            headroom: i.headroom,
          })),
          dependencies: report.dependencies.map(flat),
          softDependencies: report.softDependencies.map(flat),
          misaligned: report.misaligned.map(m => ({
            kind: m.kind,
            agreementId: m.agreementId,
            targetId: m.targetId,
            message: m.message,
          })),
          cycles: report.cycles,
        },
      };
    },
  });
}
