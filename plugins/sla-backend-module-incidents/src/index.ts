/**
 * Incidents from PagerDuty and Opsgenie for the SLA plugin's ticket clocks,
 * received through Backstage's events system.
 *
 * @packageDocumentation
 */
export { slaModuleIncidents as default } from './module';
export { eventsModuleSlaIncidentWebhooks } from './eventsModule';
export {
  createPagerDutySignatureValidator,
  createHeaderTokenValidator,
} from './webhookValidators';
export {
  translatePagerDutyWebhook,
  PAGERDUTY_EVENT_STATES,
  PAGERDUTY_SOURCE,
} from './translate/pagerduty';
export type { PagerDutySubject } from './translate/pagerduty';
export {
  translateOpsgenieWebhook,
  OPSGENIE_ACTION_STATES,
  OPSGENIE_SOURCE,
} from './translate/opsgenie';
export type {
  OpsgenieSubject,
  OpsgenieTranslateOptions,
} from './translate/opsgenie';
export type { Translation, UnresolvedTicketChange } from './translate/types';
export { parseOpsgenieSelector } from './catalog/opsgenieSelector';
export type { OpsgenieSelector } from './catalog/opsgenieSelector';
export {
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
  OPSGENIE_TEAM_ANNOTATION,
} from './catalog/annotations';
