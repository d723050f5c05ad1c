import AssessmentIcon from '@material-ui/icons/Assessment';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { SearchResultListItemBlueprint } from '@backstage/plugin-search-react/alpha';
import {
  SLA_AGREEMENT_SEARCH_TYPE,
  SlaClient,
} from '@opensla/backstage-plugin-sla-common';
import { slaApiRef } from './api';
import { isSlaAvailable } from './isSlaAvailable';
import { portfolioRouteRef } from './routes';

const portfolioRoute = convertLegacyRouteRef(portfolioRouteRef);

/** @alpha */
export const slaApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: slaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SlaClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Service levels" tab, in the entity page's Operation group. @alpha */
export const entitySlaContent = EntityContentBlueprint.make({
  params: {
    path: 'service-levels',
    title: 'Service levels',
    group: 'operation',
    filter: isSlaAvailable,
    loader: () =>
      import('./components/EntitySlaContent').then(m => <m.EntitySlaContent />),
  },
});

/** The "Satisfaction" tab: feedback, CSAT/NPS, complaints, campaigns. @alpha */
export const entitySatisfactionContent = EntityContentBlueprint.make({
  name: 'satisfaction',
  params: {
    path: 'satisfaction',
    title: 'Satisfaction',
    group: 'operation',
    filter: isSlaAvailable,
    loader: () =>
      import('./components/satisfaction/EntitySatisfactionContent').then(m => (
        <m.EntitySatisfactionContent />
      )),
  },
});

/** The "Reviews" tab: review schedules, open and held reviews, the improvement plan. @alpha */
export const entitySlaReviewsContent = EntityContentBlueprint.make({
  name: 'reviews',
  params: {
    path: 'sla-reviews',
    title: 'Reviews',
    group: 'operation',
    filter: isSlaAvailable,
    loader: () =>
      import('./components/reviews/EntitySlaReviewsContent').then(m => (
        <m.EntitySlaReviewsContent />
      )),
  },
});

/** The "Service report" tab: a month's figures, printable, CSV/JSON, published reports. @alpha */
export const entitySlaReportContent = EntityContentBlueprint.make({
  name: 'report',
  params: {
    path: 'service-report',
    title: 'Service report',
    group: 'operation',
    filter: isSlaAvailable,
    loader: () =>
      import('./components/report/EntitySlaReportContent').then(m => (
        <m.EntitySlaReportContent />
      )),
  },
});

/** The agreements in force, on the entity overview. @alpha */
export const entitySlaCard = EntityCardBlueprint.make({
  params: {
    filter: isSlaAvailable,
    loader: () =>
      import('./components/EntitySlaCard').then(m => <m.EntitySlaCard />),
  },
});

/**
 * The portfolio page at `/sla`, in the sidebar as "Service levels": every
 * service with agreements and the practice's KPIs. @alpha
 */
export const slaPortfolioPage = PageBlueprint.make({
  params: {
    path: '/sla',
    title: 'Service levels',
    icon: <AssessmentIcon fontSize="inherit" />,
    routeRef: portfolioRoute,
    loader: () =>
      import('./components/portfolio/PortfolioContent').then(m => (
        <Content>
          <m.PortfolioContent />
        </Content>
      )),
  },
});

/** Agreements in Backstage search (document type `sla-agreement`). @alpha */
export const slaSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result => result.type === SLA_AGREEMENT_SEARCH_TYPE,
    component: () =>
      import('./components/search/SlaSearchResultListItem').then(
        m => m.SlaSearchResultListItem,
      ),
  },
});

/**
 * The SLA plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'sla',
  info: { packageJson: () => import('../package.json') },
  routes: { root: portfolioRoute },
  extensions: [
    slaApi,
    entitySlaContent,
    entitySatisfactionContent,
    entitySlaReviewsContent,
    entitySlaReportContent,
    entitySlaCard,
    slaPortfolioPage,
    slaSearchResultListItem,
  ],
});
