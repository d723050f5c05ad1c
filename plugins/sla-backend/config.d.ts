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
    portfolio?: {
      /**
       * How old a target's status kept by the breach evaluator may be for
       * GET /portfolio to use it for the current instant, in seconds.
       * Default 600 (two evaluation rounds); older ones are evaluated.
       */
      maxStatusAgeSeconds?: number;
    };
  };
}
