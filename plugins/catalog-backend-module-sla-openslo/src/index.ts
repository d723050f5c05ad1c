/**
 * Catalog processor for the SLA plugin's SLOs as code: hashes the OpenSLO
 * files an entity's `sla/openslo` annotation names into `sla/openslo-hash`,
 * so a change of their content changes the entity on its next processing.
 *
 * @packageDocumentation
 */
export { catalogModuleSlaOpenSlo as default } from './module';
export { OpenSloHashProcessor } from './OpenSloHashProcessor';
