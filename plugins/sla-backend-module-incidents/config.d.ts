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
