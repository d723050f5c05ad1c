/**
 * Extension points of the SLA backend plugin, for backend modules, and the
 * OpenSLO file helpers shared by the SLA backend and its catalog module.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './metricSources';
export * from './feedbackSeeds';
export * from './improvementSeeds';
export * from './practiceSeeds';
export * from './ticketFeeds';
export * from './openslo';
