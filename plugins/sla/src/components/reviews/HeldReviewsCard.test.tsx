import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { Review } from '@opensla/backstage-plugin-sla-common';
import { HeldReviewsCard } from './HeldReviewsCard';
import {
  makeAgreement,
  testEntityRef,
} from '../../__testUtils__/agreementFixtures';

const agreement = makeAgreement({ customer: 'group:default/store-operations' });

function heldReview(
  id: string,
  heldAt: string,
  decision: Review['decision'],
): Review {
  return {
    id,
    agreementId: agreement.id,
    entityRef: testEntityRef,
    kind: 'service',
    status: 'held',
    period: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    heldAt,
    participants: ['user:default/alice'],
    decision,
    actions: [],
    version: 1,
    createdAt: heldAt,
    createdBy: 'user:default/alice',
    updatedAt: heldAt,
    updatedBy: 'user:default/alice',
  };
}

describe('HeldReviewsCard', () => {
  it("says when a review's decision awaits the parties' signatures", async () => {
    await renderInTestApp(
      <HeldReviewsCard
        agreements={[agreement]}
        reviews={[
          heldReview('r1', '2026-12-02T10:00:00.000Z', {
            type: 'prolong',
            transitions: ['under-review'],
            agreementVersion: 5,
            awaitingSignatures: ['provider', 'customer'],
          }),
          heldReview('r2', '2026-11-02T10:00:00.000Z', {
            type: 'amend',
            transitions: ['negotiation'],
            agreementVersion: 3,
            awaitingSignatures: ['customer'],
          }),
          heldReview('r3', '2026-10-02T10:00:00.000Z', {
            type: 'prolong',
            validUntil: '2028-08-31T00:00:00.000Z',
            transitions: ['under-review', 'agreed'],
            agreementVersion: 2,
          }),
        ]}
      />,
    );
    const newest = screen.getByRole('region', {
      name: /^Review: Service review of Payments API SLA, held 2 Dec 2026/,
    });
    expect(
      within(newest).getByText(
        'Prolong → Under review, awaiting both signatures',
      ),
    ).toBeInTheDocument();
    // the older reviews, folded: their chips say it at a glance
    const chip = (name: RegExp) =>
      screen.getByRole('button', { name }).textContent;
    expect(chip(/held 2 Nov 2026/)).toContain(
      "Amend → In negotiation, awaiting the customer's signature",
    );
    expect(chip(/held 2 Oct 2026/)).toContain(
      'Prolong until 31 Aug 2028 → Agreed',
    );
  });
});
