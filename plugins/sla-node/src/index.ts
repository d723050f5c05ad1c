/**
 * Extension points of the SLA backend plugin, for backend modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './metricSources';
export * from './feedbackSeeds';
export * from './improvementSeeds';
export * from './practiceSeeds';
export * from './ticketFeeds';
