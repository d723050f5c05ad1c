import { TestPipeline } from '@backstage/plugin-search-backend-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { SlaAgreementSearchDocument } from '@opensla/backstage-plugin-sla-common';
import {
  CHECKOUT,
  LEDGER,
  PAYMENTS,
  alice,
  availability,
  databases,
  entities,
  fred,
  startSlaTestBackend,
} from './__testUtils__/slaTestBackend';
import { SlaAgreementCollatorFactory } from './SlaAgreementCollatorFactory';

jest.setTimeout(180_000);

describe.each(databases.eachSupportedId())(
  'SlaAgreementCollatorFactory against the SLA backend on %p',
  databaseId => {
    it('indexes every agreement that is not withdrawn, with its targets, status, owner and entity', async () => {
      const { probed, agreement, measure, http } = await startSlaTestBackend(
        databaseId,
      );
      const checkout = await agreement(alice, {
        kind: 'SLA',
        entityRef: CHECKOUT,
        title: 'Checkout SLA',
        description: 'For all web shop customers',
        targets: [availability(99)],
      });
      const payments = await agreement(alice, {
        kind: 'OLA',
        entityRef: PAYMENTS,
        title: 'Payments OLA',
        targets: [availability(99)],
      });
      const draft = await agreement(
        fred,
        {
          kind: 'SLA',
          entityRef: LEDGER,
          title: 'Ledger SLA',
          targets: [availability(99.5)],
        },
        false,
      );
      const withdrawn = await agreement(fred, {
        kind: 'UC',
        entityRef: LEDGER,
        title: 'Old ledger contract',
        targets: [availability(90)],
      });
      expect(
        (
          await http
            .post(`/api/sla/agreements/${withdrawn.id}/transitions`)
            .set('Authorization', fred)
            .send({ to: 'withdrawn' })
        ).status,
      ).toBe(200);
      await measure(CHECKOUT, 1000, 1000); // 100 % of 99 %: met
      await measure(PAYMENTS, 900, 1000); // 90 % of 99 %: breached

      const factory = new SlaAgreementCollatorFactory({
        ...probed,
        catalog: catalogServiceMock({ entities }),
      });
      expect(factory.type).toBe('sla-agreement');
      expect(factory.visibilityPermission.name).toBe('sla.agreement.read');
      const { documents } = await TestPipeline.fromCollator(
        await factory.getCollator(),
      ).execute();
      const docs = documents as unknown as SlaAgreementSearchDocument[];
      const byId = new Map(docs.map(d => [d.agreementId, d]));

      expect(docs).toHaveLength(3);
      expect(byId.has(withdrawn.id)).toBe(false);
      expect(byId.get(checkout.id)).toMatchObject({
        title: 'Checkout SLA',
        location: '/catalog/default/component/checkout/service-levels',
        kind: 'SLA',
        lifecycleStatus: 'agreed',
        entityRef: CHECKOUT,
        entityName: 'Checkout',
        owners: ['group:default/team-shop'],
        status: 'met',
        targets: [
          {
            name: 'Availability',
            aspect: 'availability',
            objective: 99,
            attainment: 100,
            status: 'met',
          },
        ],
        authorization: { resourceRef: CHECKOUT },
      });
      expect(byId.get(checkout.id)!.text).toContain('Status: met.');
      expect(byId.get(checkout.id)!.text).toContain(
        'For all web shop customers',
      );
      expect(byId.get(checkout.id)!.targets[0].description).toMatch(/99 %/);
      expect(byId.get(payments.id)).toMatchObject({
        status: 'breached',
        targets: [{ attainment: 90, status: 'breached' }],
      });
      expect(byId.get(payments.id)!.text).toContain('Status: breached.');
      // not in force: indexed, without a status
      expect(byId.get(draft.id)).toMatchObject({
        lifecycleStatus: 'draft',
        owners: ['group:default/team-finance'],
      });
      expect(byId.get(draft.id)!.status).toBeUndefined();
      expect(byId.get(draft.id)!.targets[0].status).toBeUndefined();
    });

    it('indexes nothing when there are no agreements', async () => {
      const { probed } = await startSlaTestBackend(databaseId);
      const factory = new SlaAgreementCollatorFactory({
        ...probed,
        catalog: catalogServiceMock({ entities }),
      });
      const { documents } = await TestPipeline.fromCollator(
        await factory.getCollator(),
      ).execute();
      expect(documents).toEqual([]);
    });
  },
);
