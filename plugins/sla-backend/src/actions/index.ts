import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { PortfolioService } from '../service/PortfolioService';
import type { ReadService } from '../service/ReadService';
import type { ViabilityService } from '../service/ViabilityService';
import { createExplainViabilityAction } from './createExplainViabilityAction';
import { createGetAttainmentAction } from './createGetAttainmentAction';
import { createListBreachesAction } from './createListBreachesAction';
import { createListReviewsDueAction } from './createListReviewsDueAction';

/**
 * Registers the plugin's actions (ids `sla:<name>`) for assistants and
 * other callers of Backstage's actions registry. Each calls the service
 * the matching route calls, with the caller's credentials, so the same
 * permission checks apply.
 */
export function registerSlaActions(options: {
  actionsRegistry: ActionsRegistryService;
  reads: Pick<ReadService, 'attainment' | 'breaches'>;
  viability: Pick<ViabilityService, 'viability'>;
  portfolio: Pick<PortfolioService, 'reviewsDue'>;
  clock: () => Date;
}) {
  createGetAttainmentAction(options);
  createListBreachesAction(options);
  createExplainViabilityAction(options);
  createListReviewsDueAction(options);
}
