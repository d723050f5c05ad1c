export interface Config {
  sla?: {
    permissions?: {
      /**
       * When true (the default), creating and changing an entity's agreements
       * also requires owning the entity (the owning user or a member of the
       * owning group), on top of the permission policy. Set to false to let
       * the permission policy alone decide (e.g. to let admins edit).
       */
      requireOwnership?: boolean;
    };
    dependencyGraph?: {
      /**
       * How long the in-memory copy of the catalog's dependency graph
       * (viability, blast radius, breach causes) is used before it is read
       * again, in seconds. Default 60. The entity being viewed is always
       * read fresh.
       */
      refreshSeconds?: number;
    };
    reports?: {
      /**
       * Days after a month ends within which its service report must be
       * published to count as timely (the "timely reports" KPI). Default 5.
       */
      graceDays?: number;
    };
  };
}
