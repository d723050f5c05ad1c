import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatFieldErrors,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';

/** The optional text fields of an agreement, passed through as given. */
const TEXT_FIELDS = [
  'scope',
  'description',
  'customer',
  'provider',
  'validFrom',
  'validUntil',
  'reviewInterval',
] as const;

/**
 * A number typed into a template's form arrives as text when the template
 * puts it inside a string (`"${{ parameters.objective }}"`): such numbers
 * are read as numbers; anything else is left for validation to name.
 */
function numeric(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

function target(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const t = { ...(value as Record<string, unknown>) };
  if ('objective' in t) t.objective = numeric(t.objective);
  if (t.sli && typeof t.sli === 'object' && !Array.isArray(t.sli)) {
    const sli = { ...(t.sli as Record<string, unknown>) };
    if ('threshold' in sli) sli.threshold = numeric(sli.threshold);
    t.sli = sli;
  }
  return t;
}

/** The body of POST /agreements the action sends: always a draft. */
export function agreementBody(input: Record<string, unknown>) {
  const body: Record<string, unknown> = {
    kind: input.kind ?? 'SLA',
    entityRef: input.entityRef,
    title: input.title,
    status: 'draft',
    targets: Array.isArray(input.targets)
      ? input.targets.map(target)
      : input.targets,
  };
  for (const key of TEXT_FIELDS) {
    if (input[key] !== undefined && input[key] !== '') body[key] = input[key];
  }
  if (input.maintenanceWindows !== undefined) {
    body.maintenanceWindows = input.maintenanceWindows;
  }
  return body;
}

/**
 * `sla:agreement:create`: creates a draft service level agreement on a
 * catalog entity through the SLA backend (POST /api/sla/agreements), as the
 * user who runs the template, so the SLA plugin's permission checks apply to
 * that user (by default: they must own the entity).
 * @public
 */
export function createSlaAgreementAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  const { auth, discovery } = options;
  return createTemplateAction({
    id: 'sla:agreement:create',
    description:
      'Creates a draft service level agreement (SLA, OLA or UC) with its targets on a catalog entity, as the user who runs the template. The entity must already be in the catalog and the user must be allowed to create its agreements (by default: own it).',
    supportsDryRun: true,
    examples: [
      {
        description: 'A draft SLA with an availability target',
        example: `steps:
  - id: sla
    name: Draft the SLA
    action: sla:agreement:create
    input:
      entityRef: component:default/\${{ parameters.name }}
      title: \${{ parameters.name }} SLA
      targets:
        - name: Availability
          aspect: availability
          metric: \${{ parameters.name }}_requests
          sli: { kind: ratio }
          objective: \${{ parameters.availability }}
          window: { type: rolling, duration: P28D }`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The catalog entity the agreement is for, e.g. component:default/payments',
            ),
        title: z => z.string().describe('Title of the agreement'),
        kind: z => z.string().optional().describe('SLA (default), OLA or UC'),
        scope: z =>
          z
            .string()
            .optional()
            .describe('For an SLA: service, customer or multi-level'),
        description: z => z.string().optional(),
        customer: z => z.string().optional(),
        provider: z => z.string().optional(),
        validFrom: z => z.string().optional().describe('ISO 8601 instant'),
        validUntil: z => z.string().optional().describe('ISO 8601 instant'),
        reviewInterval: z =>
          z
            .string()
            .optional()
            .describe('ISO 8601 duration of the agreement review, e.g. P1Y'),
        maintenanceWindows: z => z.array(z.record(z.any())).optional(),
        targets: z =>
          z
            .array(z.record(z.any()))
            .describe(
              'The targets, as POST /api/sla/agreements takes them: name, aspect, metric, sli, objective (percent), window',
            ),
      },
      output: {
        agreementId: z => z.string().describe('Id of the new agreement'),
        entityRef: z => z.string(),
        status: z => z.string().describe('draft'),
        version: z => z.number(),
      },
    },
    async handler(ctx) {
      const body = agreementBody(ctx.input as Record<string, unknown>);
      // The backend validates again; checking here first fails a dry run
      // and names the field before anything is sent.
      const errors = validateAgreementInput(body, 'create');
      if (errors.length) {
        throw new InputError(
          `sla:agreement:create: ${formatFieldErrors(errors)}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create a draft ${body.kind} on ${body.entityRef}`,
        );
        ctx.output('agreementId', 'dry-run');
        ctx.output('entityRef', String(body.entityRef));
        ctx.output('status', 'draft');
        ctx.output('version', 1);
        return;
      }
      // A retried task must not create the agreement twice.
      const created = await ctx.checkpoint({
        key: `sla.agreement.create.${ctx.step?.id ?? 'step'}`,
        fn: async () => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await ctx.getInitiatorCredentials(),
            targetPluginId: 'sla',
          });
          const baseUrl = await discovery.getBaseUrl('sla');
          const response = await fetch(`${baseUrl}/agreements`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${token}`,
            },
            body: JSON.stringify(body),
          });
          if (!response.ok) {
            const error = await ResponseError.fromResponse(response);
            // The backend's message names the field (400) or says who may
            // create agreements (403): the step's failure shows it as is.
            const cause = error.body?.error?.message ?? error.message;
            if (response.status === 400) {
              throw new InputError(`sla:agreement:create: ${cause}`);
            }
            throw new Error(
              `sla:agreement:create: the SLA backend answered ${response.status}: ${cause}`,
            );
          }
          const agreement = (await response.json()) as {
            id: string;
            entityRef: string;
            status: string;
            version: number;
          };
          return {
            id: agreement.id,
            entityRef: agreement.entityRef,
            status: agreement.status,
            version: agreement.version,
          };
        },
      });
      ctx.logger.info(
        `Created draft ${body.kind} ${created.id} on ${created.entityRef}`,
      );
      ctx.output('agreementId', created.id);
      ctx.output('entityRef', created.entityRef);
      ctx.output('status', created.status);
      ctx.output('version', created.version);
    },
  });
}
