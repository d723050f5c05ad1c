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
  };
}
