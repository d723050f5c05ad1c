/**
 * Types, permissions, domain rules and the API client of the SLA plugin,
 * shared by its frontend and backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './viabilityTypes';
export * from './satisfactionTypes';
export * from './portfolioTypes';
export * from './reportTypes';
export * from './reviewTypes';
export * from './permissions';
export * from './searchTypes';
export * from './ticketTypes';
export * from './negotiationTypes';
export * from './domain/negotiation';
export * from './seriesTypes';
export * from './domain/lifecycle';
export * from './domain/durations';
export * from './domain/describeTarget';
export * from './domain/validateAgreement';
export * from './domain/normalizeAgreementInput';
export * from './domain/nextReviewDue';
export * from './domain/diffAgreements';
export * from './domain/validateMeasurements';
export * from './domain/validateFeedback';
export * from './domain/validateTicketChanges';
export * from './domain/parseInput';
export * from './client/SlaClient';
export type {
  DiscoveryLike,
  FetchLike,
  RequestOptions,
  TypedResponse,
} from './generated/DefaultApiClient';
export { DefaultApiClient } from './generated/DefaultApiClient';
