import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import type { Knex } from 'knex';
import {
  alice,
  databases,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const DAY = 86_400_000;
const CHECKOUT = 'component:default/checkout';
const iso = (t: number) => new Date(t).toISOString();
const aliceCredentials = mockCredentials.user('user:default/alice');

/** An agreement body with one availability target (ratio, rolling day). */
function agreement(
  entityRef: string,
  kind: string,
  objective: number,
  metric = 'requests',
) {
  return {
    kind,
    entityRef,
    title: `${entityRef} ${kind}`,
    status: 'draft',
    reviewInterval: 'P3M',
    targets: [
      {
        id: 'availability',
        name: 'Availability',
        aspect: 'availability',
        metric,
        sli: { kind: 'ratio' },
        objective,
        window: { type: 'rolling', duration: 'P1D' },
      },
    ],
  };
}

/** The plugin on a fresh database, its actions registered in the test double. */
async function start(
  databaseId: Parameters<typeof startSlaBackend>[0],
  options: { deny?: string[]; knex?: Knex } = {},
) {
  const actions = actionsRegistryServiceMock();
  const backend = await startSlaBackend(databaseId, {
    ...options,
    features: [
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
    ],
  });
  return { actions, ...backend };
}

describe.each(databases.eachSupportedId())('SLA actions on %p', databaseId => {
  let actions: ReturnType<typeof actionsRegistryServiceMock>;
  let knex: Knex;
  const now = Date.now();

  beforeAll(async () => {
    let http: Awaited<ReturnType<typeof startSlaBackend>>['http'];
    ({ actions, http, knex } = await start(databaseId));
    const agree = async (body: object) => {
      const created = await http
        .post('/api/sla/agreements')
        .set('Authorization', alice)
        .send(body);
      expect(created.status).toBe(201);
      for (const to of ['negotiation', 'agreed']) {
        const moved = await http
          .post(`/api/sla/agreements/${created.body.id}/transitions`)
          .set('Authorization', alice)
          .send({ to });
        expect(moved.status).toBe(200);
      }
    };
    // checkout depends on the orders database (OLA) and the payment
    // service provider (UC): it can support 99.95 % × 99.9 % = 99.85005 %.
    await agree(agreement('resource:default/orders-db', 'OLA', 99.95, 'db'));
    await agree(agreement('resource:default/psp', 'UC', 99.9, 'psp'));
    await agree(agreement(CHECKOUT, 'SLA', 99));
    // Ten minutes of requests: 981 good of 1000 (98.1 % < 99: breached).
    const pushed = await http
      .post('/api/sla/measurements')
      .set('Authorization', alice)
      .send({
        items: Array.from({ length: 10 }, (_, i) => ({
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: iso(now - (10 - i) * MINUTE),
          good: i === 9 ? 90 : 99,
          total: 100,
        })),
      });
    if (pushed.status !== 200) throw new Error(JSON.stringify(pushed.body));
  });

  const invoke = (
    name: string,
    input: object,
    credentials = aliceCredentials,
  ) => actions.invoke({ id: `test:${name}`, input: input as any, credentials });

  it('registers the four actions, read-only', async () => {
    const { actions: listed } = await actions.list();
    expect(listed.map(a => a.id).sort()).toEqual([
      'test:explain-viability',
      'test:get-entity-attainment',
      'test:list-agreements-due-for-review',
      'test:list-breaches',
    ]);
    for (const action of listed) {
      expect(action.attributes).toEqual({
        readOnly: true,
        destructive: false,
        idempotent: true,
      });
      expect(action.description.length).toBeGreaterThan(100);
    }
  });

  it("gets an entity's attainment, in figures and in words", async () => {
    const { output } = (await invoke('get-entity-attainment', {
      entityRef: 'checkout',
      at: iso(now),
    })) as { output: any };
    expect(output.entityRef).toBe(CHECKOUT);
    expect(output.targets).toHaveLength(1);
    expect(output.targets[0]).toMatchObject({
      targetId: 'availability',
      name: 'Availability',
      attainment: 98.1,
      objective: 99,
      status: 'breached',
      counted: 1000,
      errorBudget: { allowed: 10, consumed: 19, remaining: -0.9 },
    });
    expect(output.summary).toContain(
      'Availability: 98.1 % against an objective of 99 %, breached, error budget overspent by 90 %',
    );
  });

  it('answers no targets for an entity without agreements in force', async () => {
    const { output } = (await invoke('get-entity-attainment', {
      entityRef: 'component:default/search',
    })) as { output: any };
    expect(output.targets).toEqual([]);
    expect(output.summary).toContain('no service level targets in force');
  });

  it('lists the open breach the pushed samples opened', async () => {
    const { output } = (await invoke('list-breaches', {
      entityRef: CHECKOUT,
      openOnly: true,
    })) as { output: any };
    expect(output.open).toBe(1);
    expect(output.items).toEqual([
      expect.objectContaining({
        entityRef: CHECKOUT,
        targetId: 'availability',
        cause: 'own',
        closedAt: null,
      }),
    ]);
  });

  it('explains what limits availability: supportable figure and weakest link', async () => {
    const { output } = (await invoke('explain-viability', {
      entityRef: CHECKOUT,
    })) as { output: any };
    expect(output.supportable).toBeCloseTo(99.85005, 6);
    expect(output.weakestLink).toEqual({
      entityRef: 'resource:default/psp',
      bound: 99.9,
      source: 'agreed',
    });
    expect(output.targets).toEqual([
      expect.objectContaining({ objective: 99, viable: true }),
    ]);
    expect(output.targets[0].headroom).toBeCloseTo(0.85005, 6);
    expect(output.explanation).toContain(
      'The weakest link is resource:default/psp at 99.9 %',
    );

    const whatIf = (await invoke('explain-viability', {
      entityRef: CHECKOUT,
      objective: 99.9,
    })) as { output: any };
    expect(whatIf.output.targets[0]).toMatchObject({
      objective: 99.9,
      viable: false,
    });
    expect(whatIf.output.explanation).toContain('is NOT viable');
  });

  it('lists agreements due for review within the horizon, overdue ones later', async () => {
    // agreed just now: service reviews every month, the agreement every 3
    const soon = (await invoke('list-agreements-due-for-review', {})) as {
      output: any;
    };
    expect(soon.output.items).toEqual([]);
    const month = (await invoke('list-agreements-due-for-review', {
      withinDays: 32,
      owner: 'team-checkout',
    })) as { output: any };
    expect(month.output.items.map((i: any) => i.entityRef).sort()).toEqual([
      CHECKOUT,
      'resource:default/orders-db',
      'resource:default/psp',
    ]);
    expect(month.output.items[0].reviews).toEqual([
      { kind: 'service', due: expect.any(String), overdue: false },
    ]);
    expect(month.output.items[0].owners).toEqual([
      'group:default/team-checkout',
    ]);
    const later = (await invoke('list-agreements-due-for-review', {
      at: iso(now + 100 * DAY),
      withinDays: 0,
    })) as { output: any };
    expect(later.output.items).toHaveLength(3);
    expect(later.output.items[0].reviews.map((r: any) => r.kind)).toEqual([
      'service',
      'agreement',
    ]);
    expect(
      later.output.items.every((i: any) =>
        i.reviews.every((r: any) => r.overdue),
      ),
    ).toBe(true);
    const otherOwner = (await invoke('list-agreements-due-for-review', {
      withinDays: 32,
      owner: 'group:default/team-other',
    })) as { output: any };
    expect(otherOwner.output.items).toEqual([]);
  });

  it('refuses invalid input, naming the field', async () => {
    await expect(
      invoke('get-entity-attainment', { entityRef: 'component:' }),
    ).rejects.toThrow('entityRef');
    await expect(
      invoke('get-entity-attainment', { entityRef: CHECKOUT, at: 'yesterday' }),
    ).rejects.toThrow('Invalid input');
    await expect(
      invoke('explain-viability', { entityRef: CHECKOUT, objective: 150 }),
    ).rejects.toThrow('Invalid input');
    await expect(
      invoke('explain-viability', {
        entityRef: 'component:default/nope',
      }),
    ).rejects.toThrow('entityRef component:default/nope is not an entity');
  });

  it('checks the caller: a caller the policy denies reads nothing', async () => {
    // the same data, read through a backend whose policy denies reading
    const denied = await start(databaseId, {
      deny: ['sla.agreement.read'],
      knex,
    });
    const call = (name: string, input: object) =>
      denied.actions.invoke({
        id: `test:${name}`,
        input: input as any,
        credentials: aliceCredentials,
      });
    await expect(
      call('get-entity-attainment', { entityRef: CHECKOUT }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      call('list-breaches', { entityRef: CHECKOUT }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      call('explain-viability', { entityRef: CHECKOUT }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const due = (await call('list-agreements-due-for-review', {
      withinDays: 400,
    })) as { output: any };
    expect(due.output.items).toEqual([]);
  });
});
