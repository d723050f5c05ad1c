import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { PortfolioService } from '../service/PortfolioService';

/**
 * `sla:list-agreements-due-for-review`: agreements in force whose service
 * review or agreement review is due soon or overdue, across the services
 * the caller may read.
 */
export function createListReviewsDueAction(options: {
  actionsRegistry: ActionsRegistryService;
  portfolio: Pick<PortfolioService, 'reviewsDue'>;
}) {
  const { actionsRegistry, portfolio } = options;
  actionsRegistry.register({
    name: 'list-agreements-due-for-review',
    title: 'List agreements due for review',
    description: `Lists the agreements in force whose next review is due within the coming days or already overdue, across every service the caller may read, the earliest first. Two reviews are scheduled per agreement: the service review with the customer (every one to three months after the last review held) and the review of the agreement itself (yearly by default, or its reviewInterval).
Use it to answer "which SLAs are due for review?" or "what does team-checkout have to review this month?" (pass owner).`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          withinDays: z
            .number()
            .int()
            .min(0)
            .max(400)
            .optional()
            .describe(
              'Reviews due within this many days from now (default 14); overdue reviews are always listed',
            ),
          owner: z
            .string()
            .optional()
            .describe(
              'Only services this owner owns, e.g. group:default/team-checkout (a bare name means a group)',
            ),
          at: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe('Instant to look from (default: now)'),
        }),
      output: z =>
        z.object({
          at: z.string(),
          items: z.array(
            z.object({
              entityRef: z.string(),
              owners: z.array(z.string()),
              agreementId: z.string(),
              title: z.string(),
              kind: z.string(),
              status: z.string(),
              reviews: z.array(
                z.object({
                  kind: z
                    .enum(['service', 'agreement'])
                    .describe(
                      'service: the periodic service review; agreement: the review of the agreement itself',
                    ),
                  due: z.string(),
                  overdue: z.boolean(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const output = await portfolio.reviewsDue(credentials, {
        at: input.at,
        withinDays: input.withinDays,
        owner: input.owner,
      });
      return { output };
    },
  });
}
