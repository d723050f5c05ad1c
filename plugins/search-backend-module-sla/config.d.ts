import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The SLA plugin's agreements in search (document type `sla-agreement`). */
      sla?: {
        /**
         * How often the agreements are indexed. Default: every 10 minutes,
         * first 3 minutes after start.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * The entity page tab that results link to (the path of the
         * "Service levels" tab). Default `service-levels`.
         */
        entityTabPath?: string;
      };
    };
  };
}
