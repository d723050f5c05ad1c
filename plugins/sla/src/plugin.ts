import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import {
  SLA_AGREEMENT_SEARCH_TYPE,
  SlaClient,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from './api';
import { portfolioRouteRef, rootRouteRef } from './routes';

/**
 * The SLA plugin for the legacy frontend system.
 * @public
 */
export const slaPlugin = createPlugin({
  id: 'sla',
  apis: [
    createApiFactory({
      api: slaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SlaClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    portfolio: portfolioRouteRef,
  },
});

/**
 * The "Service levels" entity tab: mount it with
 * `<EntityLayout.Route path="/service-levels" title="Service levels" if={isSlaAvailable}>`.
 * @public
 */
export const EntitySlaContent = slaPlugin.provide(
  createRoutableExtension({
    name: 'EntitySlaContent',
    component: () =>
      import('./components/EntitySlaContent').then(m => m.EntitySlaContent),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The overview card of the agreements in force on an entity.
 * @public
 */
export const EntitySlaCard = slaPlugin.provide(
  createComponentExtension({
    name: 'EntitySlaCard',
    component: {
      lazy: () =>
        import('./components/EntitySlaCard').then(m => m.EntitySlaCard),
    },
  }),
);

/**
 * The "Satisfaction" entity tab: mount it with
 * `<EntityLayout.Route path="/satisfaction" title="Satisfaction" if={isSlaAvailable}>`.
 * @public
 */
export const EntitySatisfactionContent = slaPlugin.provide(
  createComponentExtension({
    name: 'EntitySatisfactionContent',
    component: {
      lazy: () =>
        import('./components/satisfaction/EntitySatisfactionContent').then(
          m => m.EntitySatisfactionContent,
        ),
    },
  }),
);

/**
 * The portfolio page: every service with agreements and the practice's
 * KPIs. Mount it with `<Route path="/sla" element={<SlaPortfolioPage />} />`
 * and add a sidebar item linking to `/sla`.
 * @public
 */
export const SlaPortfolioPage = slaPlugin.provide(
  createRoutableExtension({
    name: 'SlaPortfolioPage',
    component: () =>
      import('./components/portfolio/SlaPortfolioPage').then(
        m => m.SlaPortfolioPage,
      ),
    mountPoint: portfolioRouteRef,
  }),
);

/**
 * The "Reviews" entity tab: review schedules, open and held reviews with
 * their snapshots, recording a review with its decision (owners), the
 * service improvement plan. Mount it with
 * `<EntityLayout.Route path="/sla-reviews" title="Reviews" if={isSlaAvailable}>`.
 * @public
 */
export const EntitySlaReviewsContent = slaPlugin.provide(
  createComponentExtension({
    name: 'EntitySlaReviewsContent',
    component: {
      lazy: () =>
        import('./components/reviews/EntitySlaReviewsContent').then(
          m => m.EntitySlaReviewsContent,
        ),
    },
  }),
);

/**
 * The "Service report" entity tab: a month's figures as a printable page,
 * CSV and JSON downloads, published reports. Mount it with
 * `<EntityLayout.Route path="/service-report" title="Service report" if={isSlaAvailable}>`.
 * @public
 */
export const EntitySlaReportContent = slaPlugin.provide(
  createComponentExtension({
    name: 'EntitySlaReportContent',
    component: {
      lazy: () =>
        import('./components/report/EntitySlaReportContent').then(
          m => m.EntitySlaReportContent,
        ),
    },
  }),
);

/**
 * The search result of an agreement (document type `sla-agreement`, from
 * `@opensla/backstage-plugin-search-backend-module-sla`): place it in the
 * search page's `<SearchResult>` list.
 * @public
 */
export const SlaSearchResultListItem = slaPlugin.provide(
  createSearchResultListItemExtension({
    name: 'SlaSearchResultListItem',
    component: () =>
      import('./components/search/SlaSearchResultListItem').then(
        m => m.SlaSearchResultListItem,
      ),
    predicate: result => result.type === SLA_AGREEMENT_SEARCH_TYPE,
  }),
);
