import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * The SLA plugin's permissions. They are resource permissions on the
 * catalog-entity resource type, so an adopter's policy can use the catalog's
 * rules (e.g. `catalogConditions.isEntityOwner`) on the entity an agreement
 * is attached to.
 */

/** Read the agreements of an entity. @public */
export const slaAgreementReadPermission = createPermission({
  name: 'sla.agreement.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Create an agreement on an entity. @public */
export const slaAgreementCreatePermission = createPermission({
  name: 'sla.agreement.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Change an entity's agreements: edit and lifecycle transitions. @public */
export const slaAgreementUpdatePermission = createPermission({
  name: 'sla.agreement.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Push measurements of an entity (POST /measurements). Services with a
 * backend credential pass without ownership; users need to own the entity.
 * @public
 */
export const slaMeasurementCreatePermission = createPermission({
  name: 'sla.measurement.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Give feedback on an entity (POST /feedback). Any signed-in user by
 * default: ownership is not required.
 * @public
 */
export const slaFeedbackCreatePermission = createPermission({
  name: 'sla.feedback.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Open and close an entity's survey campaigns (owners). @public */
export const slaCampaignManagePermission = createPermission({
  name: 'sla.campaign.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Respond to complaints about an entity and move them (owners). @public */
export const slaComplaintRespondPermission = createPermission({
  name: 'sla.complaint.respond',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Sign an agreement for a party (POST /agreements/{id}/signatures). The
 * resource is the party's catalog entity (the customer or provider group
 * or user). Members of the party need the policy to allow it; signing for
 * a party one is not a member of also needs
 * `sla.permissions.signOnBehalf: true` (see configuration.md).
 * @public
 */
export const slaAgreementSignPermission = createPermission({
  name: 'sla.agreement.sign',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public */
export const slaPermissions = [
  slaAgreementReadPermission,
  slaAgreementCreatePermission,
  slaAgreementUpdatePermission,
  slaMeasurementCreatePermission,
  slaFeedbackCreatePermission,
  slaCampaignManagePermission,
  slaComplaintRespondPermission,
  slaAgreementSignPermission,
];
