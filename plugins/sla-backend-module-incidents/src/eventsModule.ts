import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { readIncidentsConfig } from './config';
import {
  createHeaderTokenValidator,
  createPagerDutySignatureValidator,
} from './webhookValidators';

/**
 * A module of the events backend that checks incoming incident webhooks
 * before they are published: PagerDuty's `X-PagerDuty-Signature` against
 * `sla.incidents.pagerduty.webhookSecrets`, and a shared header
 * (`sla.incidents.opsgenie.webhookHeader`) for Opsgenie. A request that
 * fails gets 401 and publishes nothing. Without those keys it adds nothing.
 * @public
 */
export const eventsModuleSlaIncidentWebhooks = createBackendModule({
  pluginId: 'events',
  moduleId: 'sla-incident-webhooks',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsExtensionPoint,
      },
      async init({ config, logger, events }) {
        const { pagerduty, opsgenie } = readIncidentsConfig(config);
        if (pagerduty?.webhookSecrets) {
          events.addHttpPostIngress({
            topic: pagerduty.topic,
            validator: createPagerDutySignatureValidator(
              pagerduty.webhookSecrets,
            ),
          });
          logger.info(
            `Webhooks on topic ${pagerduty.topic} need a valid X-PagerDuty-Signature`,
          );
        }
        if (opsgenie?.webhookHeader) {
          events.addHttpPostIngress({
            topic: opsgenie.topic,
            validator: createHeaderTokenValidator(
              opsgenie.webhookHeader.name,
              opsgenie.webhookHeader.value,
            ),
          });
          logger.info(
            `Webhooks on topic ${opsgenie.topic} need the ${opsgenie.webhookHeader.name} header`,
          );
        }
      },
    });
  },
});
