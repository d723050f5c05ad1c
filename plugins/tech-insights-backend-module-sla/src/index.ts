/**
 * Tech Insights fact retriever for the SLA plugin: has an agreed SLA, all
 * targets met, all targets viable, service and agreement reviews overdue,
 * CSAT and watermelon, per entity.
 *
 * @packageDocumentation
 */
export { techInsightsModuleSlaFactRetriever as default } from './module';
export {
  SLA_FACT_RETRIEVER_ID,
  createSlaFactRetriever,
  factsOf,
} from './slaFactRetriever';
export type { SlaFactRetrieverOptions } from './slaFactRetriever';
