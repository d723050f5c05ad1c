import { HumanDuration } from '@backstage/types';

export interface Config {
  sla?: {
    /**
     * Incidents from PagerDuty and Opsgenie, received through Backstage's
     * events system (@opensla/backstage-plugin-sla-backend-module-incidents).
     */
    incidents?: {
      pagerduty?: {
        /** Default true. */
        enabled?: boolean;
        /**
         * The events topic PagerDuty v3 webhooks are posted to
         * (`/api/events/http/<topic>`); list it in `events.http.topics`.
         * Default `pagerduty`.
         */
        topic?: string;
        /**
         * Signing secrets of the PagerDuty webhook subscription. With them
         * (and eventsModuleSlaIncidentWebhooks installed) a delivery without
         * a valid X-PagerDuty-Signature is refused with 401. Several while a
         * secret is rotated.
         * @visibility secret
         */
        webhookSecrets?: string[];
      };
      opsgenie?: {
        /** Default true. */
        enabled?: boolean;
        /**
         * The events topic the Opsgenie webhook integration posts to
         * (`/api/events/http/<topic>`); list it in `events.http.topics`.
         * Default `opsgenie`.
         */
        topic?: string;
        /**
         * Base URL of your Opsgenie web app, e.g.
         * `https://acme.app.opsgenie.com`; tickets then link to their alert.
         */
        alertUrlBase?: string;
        /**
         * A custom header the Opsgenie webhook integration sends. With it
         * (and eventsModuleSlaIncidentWebhooks installed) a request without
         * the header and value is refused with 401.
         */
        webhookHeader?: {
          name: string;
          /** @visibility secret */
          value: string;
        };
      };
      /**
       * How long a catalog lookup (which entity has a PagerDuty service id,
       * which entities have Opsgenie selectors) is reused by one backend
       * instance: milliseconds, an ISO 8601 duration, a string like `60s` or
       * an object like `{ seconds: 60 }`. Default 60 seconds; 0 turns the
       * cache off; at most 1 hour.
       */
      catalogCacheTtl?: number | string | HumanDuration;
    };
  };
}
