/**
 * Software templates for the SLA plugin: the `sla:agreement:create`
 * scaffolder action.
 *
 * @packageDocumentation
 */
export { scaffolderModuleSla as default } from './module';
export { createSlaAgreementAction } from './actions/createSlaAgreementAction';
