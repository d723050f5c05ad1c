/** The PagerDuty service of an entity, as the PagerDuty Backstage plugin reads it. */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty.com/service-id';
/** The Opsgenie alert search query of an entity (Opsgenie Backstage plugin). */
export const OPSGENIE_COMPONENT_SELECTOR_ANNOTATION =
  'opsgenie.com/component-selector';
/** The Opsgenie team of an entity (Opsgenie Backstage plugin, on-call). */
export const OPSGENIE_TEAM_ANNOTATION = 'opsgenie.com/team';
