/**
 * Search collator for the SLA plugin: agreements and their targets with
 * status, owner and entity, filtered by the reader's `sla.agreement.read`.
 *
 * @packageDocumentation
 */
export { searchModuleSlaCollator as default } from './module';
export { SlaAgreementCollatorFactory } from './SlaAgreementCollatorFactory';
export type { SlaAgreementCollatorFactoryOptions } from './SlaAgreementCollatorFactory';
