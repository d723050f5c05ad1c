import {
  alice,
  databases,
  mallory,
  service,
  startSlaBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();
const CHECKOUT = 'component:default/checkout';

const target = (id: string, objective: number) => ({
  id,
  name: `Availability ${id}`,
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective,
  window: { type: 'rolling', duration: 'P1D' },
});

/*
 * Whatever a replica keeps in memory between reads of GET /attainment
 * (series ids, kept sums, or any cache of agreements added later), the
 * answer must always follow the agreements as stored, whichever replica
 * changed them: here replica A answers after every write of replica B
 * exactly what a replica that never read the entity answers. (It fails
 * against a replica that answers from the agreements it read last.)
 */
describe.each(databases.eachSupportedId())(
  'GET /attainment on two replicas on %p',
  databaseId => {
    it('answers from the agreements as stored after the other replica changed them', async () => {
      const a = await startSlaBackend(databaseId);
      const b = await startSlaBackend(databaseId, { knex: a.knex });
      const now = Date.now();
      const items = Array.from({ length: 90 }, (_, i) => ({
        entityRef: CHECKOUT,
        metric: 'requests',
        timestamp: iso(now - 3 * HOUR + i * MINUTE + 7_000),
        good: i % 10 === 0 ? 90 : 100,
        total: 100,
      }));
      const agree = async (
        replica: typeof a,
        title: string,
        targets: unknown[],
      ) => {
        const created = await replica.http
          .post('/api/sla/agreements')
          .set('Authorization', alice)
          .send({
            kind: 'SLA',
            entityRef: CHECKOUT,
            title,
            status: 'draft',
            targets,
          });
        expect(created.status).toBe(201);
        for (const to of ['negotiation', 'agreed']) {
          const moved = await replica.http
            .post(`/api/sla/agreements/${created.body.id}/transitions`)
            .set('Authorization', alice)
            .send({ to });
          expect(moved.status).toBe(200);
        }
        return created.body.id as string;
      };
      const first = await agree(a, 'Checkout SLA', [
        target('availability', 99.5),
        target('availability-monthly', 95),
      ]);
      const pushed = await a.http
        .post('/api/sla/measurements')
        .set('Authorization', service)
        .send({ items });
      expect(pushed.status).toBe(200);

      const path = `/api/sla/attainment?entityRef=${CHECKOUT}`;
      // Every comparison at one instant: now, as the read after the write.
      let at = iso(Date.now());
      const read = async (replica: typeof a) => {
        const answer = await replica.http
          .get(`${path}&at=${at}`)
          .set('Authorization', mallory);
        expect(answer.status).toBe(200);
        return answer.body.items as Array<{
          agreementId: string;
          targetId: string;
          objective: number;
          status: string;
          counted: number;
        }>;
      };
      /** What a replica that never read the entity answers. */
      const fresh = async () =>
        read(await startSlaBackend(databaseId, { knex: a.knex }));
      const summary = (list: Awaited<ReturnType<typeof read>>) =>
        list.map(i => [i.agreementId, i.targetId, i.objective, i.status]);

      // A reads twice: the same answer.
      const once = await read(a);
      expect(summary(once)).toEqual([
        [first, 'availability', 99.5, 'breached'],
        [first, 'availability-monthly', 95, 'met'],
      ]);
      expect(await read(a)).toEqual(once);

      // B agrees a second agreement: A answers it at once.
      const second = await agree(b, 'Checkout SLA, lenient', [
        target('lenient', 50),
      ]);
      at = iso(Date.now());
      const withSecond = await read(a);
      expect(withSecond).toEqual(await fresh());
      expect(withSecond.map(i => i.agreementId).sort()).toEqual(
        [first, first, second].sort(),
      );

      // B withdraws the first: A no longer answers its targets.
      const beforeWithdrawal = at;
      const withdrawn = await b.http
        .post(`/api/sla/agreements/${first}/transitions`)
        .set('Authorization', alice)
        .send({ to: 'withdrawn' });
      expect(withdrawn.status).toBe(200);
      at = iso(Date.now());
      const onlySecond = await read(a);
      expect(onlySecond).toEqual(await fresh());
      expect(summary(onlySecond)).toEqual([[second, 'lenient', 50, 'met']]);
      expect(onlySecond[0].counted).toBeGreaterThan(0);

      // Asked for an instant before the withdrawal, A answers the versions
      // then in force (from the history), as a fresh replica does.
      at = beforeWithdrawal;
      const past = await read(a);
      expect(past).toEqual(await fresh());
      expect(past).toEqual(withSecond);

      // And a caller the policy refuses gets nothing.
      const refused = await startSlaBackend(databaseId, {
        knex: a.knex,
        deny: ['sla.agreement.read'],
      });
      const again = await refused.http.get(path).set('Authorization', mallory);
      expect(again.status).toBe(403);
    });
  },
);
