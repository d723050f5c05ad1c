/**
 * Service level management for Backstage: the agreements (SLA, OLA, UC) of
 * each service on its entity page. Legacy frontend system; the new frontend
 * system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  slaPlugin,
  EntitySlaContent,
  EntitySlaCard,
  EntitySatisfactionContent,
  SlaPortfolioPage,
  EntitySlaReportContent,
  EntitySlaReviewsContent,
  SlaSearchResultListItem,
} from './plugin';
export type { SlaSearchResultListItemProps } from './components/search/SlaSearchResultListItem';
export { slaApiRef } from './api';
export { isSlaAvailable } from './isSlaAvailable';
export { SlaIcon } from './SlaIcon';
