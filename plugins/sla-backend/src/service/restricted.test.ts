import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
  testEntities,
  validAgreement,
} from '../__testUtils__/testBackend';
import { stringifyEntityRef } from '@backstage/catalog-model';

jest.setTimeout(180_000);

/**
 * Issue 13 item 5: what an answer says about other entities is filtered by
 * the reader's read permission. The policy here is conditional for
 * sla.agreement.read (like catalog rules) and lets the reader read every
 * entity but one.
 */
const ALL = testEntities.map(e =>
  stringifyEntityRef(e).toLocaleLowerCase('en-US'),
);
const allBut = (ref: string) => ALL.filter(r => r !== ref);

const [availabilityTarget, p1Target] = validAgreement().targets;

function body(
  entityRef: string,
  objective: number,
  options: { kind?: string; p1?: string } = {},
) {
  return validAgreement({
    entityRef,
    kind: options.kind ?? 'SLA',
    title: `${entityRef} ${options.kind ?? 'SLA'}`,
    status: 'draft',
    targets: [
      { ...availabilityTarget, objective },
      ...(options.p1
        ? [{ ...p1Target, sli: { ...p1Target.sli, maxDuration: options.p1 } }]
        : []),
    ],
  });
}

describe.each(databases.eachSupportedId())(
  'restricted dependencies on %p',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startSlaBackend>>;

    const agree = async (payload: object) => {
      const created = await backend.http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(payload);
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await backend.http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to, viabilityOverride: undefined });
        expect(moved.status).toBe(200);
      }
      return created.body;
    };

    describe('viability and blast radius', () => {
      let gateway: { id: string };
      let web: { id: string };

      beforeEach(async () => {
        // Seeded by a reader of everything (moving an agreement reads it)
        backend = await startSlaBackend(databaseId);
        // gateway's OLA allows P1 4 h (web promises 1 h) and 99.99 %
        gateway = await agree(
          body('component:default/gateway', 99.99, { kind: 'OLA', p1: 'PT4H' }),
        );
        await agree(
          body('resource:default/orders-store', 99.95, { kind: 'OLA' }),
        );
        await agree(body('resource:default/psp-a', 99.9, { kind: 'UC' }));
        await agree(body('resource:default/psp-b', 99, { kind: 'UC' }));
        web = await agree(body('component:default/web', 99.9, { p1: 'PT1H' }));
        backend = await startSlaBackend(databaseId, {
          knex: backend.knex,
          readableOnly: allBut('component:default/gateway'),
        });
      });

      it('shows a dependency the reader may not read as restricted, with the same figure', async () => {
        const res = await backend.http
          .get('/api/sla/viability')
          .query({ entityRef: 'component:default/web' })
          .set('Authorization', mallory);
        expect(res.status).toBe(200);
        // The composite still uses gateway's agreement (see viability.test.ts)
        expect(res.body.supportable).toBeCloseTo(99.9390056, 6);
        const gatewayNode = res.body.dependencies.find(
          (d: any) => d.entityRef === 'component:default/gateway',
        );
        expect(gatewayNode).toEqual({
          entityRef: 'component:default/gateway',
          restricted: true,
        });
        // A readable dependency keeps its details
        const orders = res.body.dependencies.find(
          (d: any) => d.entityRef === 'component:default/orders',
        );
        expect(orders).toMatchObject({ source: 'unagreed' });
        expect(orders.children.length).toBeGreaterThan(0);
        const item = res.body.items[0];
        expect(item.dependencies).toContainEqual({
          entityRef: 'component:default/gateway',
          restricted: true,
        });
        // Alignment: web's P1 (1 h) is not backed by gateway's OLA; the
        // finding is shown, gateway's agreement and figure are not.
        const finding = res.body.misaligned.find(
          (m: any) => m.kind === 'duration',
        );
        expect(finding).toMatchObject({
          agreementId: web.id,
          dependencies: [
            { entityRef: 'component:default/gateway', restricted: true },
          ],
        });
        expect(finding.theirs).toBeUndefined();
        expect(finding.message).toContain('restricted');
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(gateway.id);
        expect(text).not.toContain('PT4H');
        expect(text).not.toContain('99.99');
      });

      it('shows a restricted weakest link by its ref only', async () => {
        backend = await startSlaBackend(databaseId, {
          knex: backend.knex,
          readableOnly: allBut('component:default/orders'),
        });
        const res = await backend.http
          .get('/api/sla/viability')
          .query({ entityRef: 'component:default/web' })
          .set('Authorization', mallory);
        expect(res.status).toBe(200);
        expect(res.body.weakestLink).toEqual({
          entityRef: 'component:default/orders',
          restricted: true,
        });
        expect(res.body.items[0]).toMatchObject({
          weakestLink: 'component:default/orders',
          weakestLinkRestricted: true,
        });
        expect(res.body.items[0].weakestLinkBound).toBeUndefined();
        // orders' own dependencies are not opened below it
        expect(
          res.body.dependencies.find(
            (d: any) => d.entityRef === 'component:default/orders',
          ),
        ).toEqual({ entityRef: 'component:default/orders', restricted: true });
      });

      it('shows a dependent the reader may not read as restricted in the blast radius', async () => {
        backend = await startSlaBackend(databaseId, {
          knex: backend.knex,
          readableOnly: allBut('component:default/web'),
        });
        const res = await backend.http
          .get('/api/sla/blast-radius')
          .query({ entityRef: 'resource:default/psp-a' })
          .set('Authorization', mallory);
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([
          {
            entityRef: 'component:default/web',
            restricted: true,
            path: [
              'component:default/web',
              'component:default/orders',
              'resource:default/psp-a',
            ],
          },
        ]);
        expect(JSON.stringify(res.body)).not.toContain(web.id);
      });

      it('keeps every detail for a reader who may read everything', async () => {
        backend = await startSlaBackend(databaseId, { knex: backend.knex });
        const res = await backend.http
          .get('/api/sla/viability')
          .query({ entityRef: 'component:default/web' })
          .set('Authorization', mallory);
        expect(res.status).toBe(200);
        expect(
          res.body.dependencies.find(
            (d: any) => d.entityRef === 'component:default/gateway',
          ),
        ).toMatchObject({
          bound: 99.99,
          source: 'agreed',
          agreementId: gateway.id,
        });
        expect(JSON.stringify(res.body)).not.toContain('restricted');
      });
    });

    it("shows a breach's cause the reader may not read as restricted", async () => {
      backend = await startSlaBackend(databaseId);
      const MINUTE = 60_000;
      const now = Date.now();
      const recent = (minutesAgo: number) =>
        new Date(
          Math.floor(now / MINUTE) * MINUTE - minutesAgo * MINUTE,
        ).toISOString();
      const target = {
        id: 'availability',
        name: 'Availability',
        aspect: 'availability',
        sli: { kind: 'ratio' },
        window: { type: 'rolling', duration: 'P1D' },
      };
      const psp = await agree({
        kind: 'UC',
        entityRef: 'resource:default/psp',
        title: 'PSP contract',
        status: 'draft',
        targets: [{ ...target, metric: 'psp_requests', objective: 99.9 }],
      });
      await agree({
        kind: 'SLA',
        entityRef: 'component:default/checkout',
        title: 'Checkout SLA',
        status: 'draft',
        targets: [{ ...target, metric: 'requests', objective: 99 }],
      });
      const push = (items: object[]) =>
        backend.http
          .post('/api/sla/measurements')
          .set('Authorization', service)
          .send({ items });
      expect(
        (
          await push([
            {
              entityRef: 'resource:default/psp',
              metric: 'psp_requests',
              timestamp: recent(3),
              good: 50,
              total: 100,
            },
          ])
        ).status,
      ).toBe(200);
      await push([
        {
          entityRef: 'component:default/checkout',
          metric: 'requests',
          timestamp: recent(2),
          good: 80,
          total: 100,
        },
      ]);
      backend = await startSlaBackend(databaseId, {
        knex: backend.knex,
        readableOnly: allBut('resource:default/psp'),
      });
      const read = async () => {
        const res = await backend.http
          .get('/api/sla/breaches')
          .query({ entityRef: 'component:default/checkout' })
          .set('Authorization', mallory);
        expect(res.status).toBe(200);
        return res.body.items;
      };
      // Evaluation may run after the answer: wait for the breach.
      let items = await read();
      for (let i = 0; i < 50 && !items.length; i++) {
        await new Promise(r => setTimeout(r, 100));
        items = await read();
      }
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        cause: 'third-party',
        causedBy: [{ entityRef: 'resource:default/psp', restricted: true }],
      });
      expect(items[0].causedBy[0].agreementId).toBeUndefined();
      expect(items[0].causedBy[0].kind).toBeUndefined();
      expect(JSON.stringify(items)).not.toContain(psp.id);
    });
  },
);
