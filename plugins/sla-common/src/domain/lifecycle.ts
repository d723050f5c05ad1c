import type { AgreementStatus } from '../types';

/**
 * The agreement lifecycle (product.md §1): requirements → draft → negotiation
 * → agreed → (under-review → agreed | negotiation) → withdrawn, plus expired
 * when validUntil passes. Keys are the current status, values the statuses a
 * user may move it to.
 */
const USER_TRANSITIONS: Record<AgreementStatus, AgreementStatus[]> = {
  requirements: ['draft', 'withdrawn'],
  draft: ['negotiation', 'withdrawn'],
  negotiation: ['agreed', 'draft', 'withdrawn'],
  agreed: ['under-review', 'withdrawn'],
  'under-review': ['agreed', 'negotiation', 'withdrawn'],
  expired: ['negotiation', 'withdrawn'],
  withdrawn: [],
};

/** Statuses in which the content of an agreement may be edited. */
const EDITABLE: AgreementStatus[] = [
  'requirements',
  'draft',
  'negotiation',
  'under-review',
];

/** @public */
export const AGREEMENT_STATUSES: AgreementStatus[] = [
  'requirements',
  'draft',
  'negotiation',
  'agreed',
  'under-review',
  'withdrawn',
  'expired',
];

/** The statuses a user may move an agreement to from `from`. @public */
export function allowedTransitions(from: AgreementStatus): AgreementStatus[] {
  return [...USER_TRANSITIONS[from]];
}

/** @public */
export function isTransitionAllowed(
  from: AgreementStatus,
  to: AgreementStatus,
): boolean {
  return USER_TRANSITIONS[from].includes(to);
}

/** Whether the targets and terms may be edited in this status. @public */
export function isEditableStatus(status: AgreementStatus): boolean {
  return EDITABLE.includes(status);
}

/**
 * Statuses the plugin itself moves to expired when validUntil passes: an
 * agreement in force, or in force and under review. Nobody else may move an
 * agreement to expired (it is not in any user transition).
 */
const EXPIRING: AgreementStatus[] = ['agreed', 'under-review'];

/** Whether the plugin expires an agreement in this status once validUntil passes. @public */
export function canExpire(status: AgreementStatus): boolean {
  return EXPIRING.includes(status);
}

/** Only agreed agreements have targets in force. @public */
export function isInForce(status: AgreementStatus): boolean {
  return status === 'agreed';
}

/** The verb a UI shows for a move, e.g. "Propose" for draft → negotiation. @public */
export function transitionLabel(
  from: AgreementStatus,
  to: AgreementStatus,
): string {
  switch (to) {
    case 'draft':
      return from === 'negotiation' ? 'Back to draft' : 'Start draft';
    case 'negotiation':
      if (from === 'draft') return 'Propose';
      if (from === 'under-review') return 'Amend';
      return 'Renegotiate';
    case 'agreed':
      return from === 'under-review' ? 'Prolong' : 'Agree';
    case 'under-review':
      return 'Start review';
    case 'withdrawn':
      return 'Withdraw';
    default:
      return to;
  }
}
