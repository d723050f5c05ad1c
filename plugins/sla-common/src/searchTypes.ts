import type {
  AgreementKind,
  AgreementStatus,
  Aspect,
  TargetStatus,
} from './types';

/** The search document type of agreements (`sla-agreement`). @public */
export const SLA_AGREEMENT_SEARCH_TYPE = 'sla-agreement';

/** One target of an agreement as the search index holds it. @public */
export type SlaAgreementSearchTarget = {
  id: string;
  name: string;
  aspect: Aspect;
  /** The target in plain words (describeTarget). */
  description: string;
  objective: number;
  /** Percent at the time of indexing; absent when not in force or without data. */
  attainment?: number | null;
  /** Absent while the agreement is not in force (only agreed targets are evaluated). */
  status?: TargetStatus;
};

/**
 * An agreement as the search index holds it: the search collator module
 * writes it, the search result item shows it. `authorization.resourceRef` is
 * the agreement's entity, so results follow the reader's `sla.agreement.read`.
 * @public
 */
export type SlaAgreementSearchDocument = {
  title: string;
  text: string;
  location: string;
  agreementId: string;
  kind: AgreementKind;
  lifecycleStatus: AgreementStatus;
  entityRef: string;
  /** The entity's title or name, for display. */
  entityName: string;
  /** Owners of the entity (entity refs). */
  owners: string[];
  /** The worst status of its targets, when the agreement is in force and evaluated. */
  status?: TargetStatus;
  targets: SlaAgreementSearchTarget[];
  authorization?: { resourceRef: string };
};
