import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { validateMeasurements } from '@opensla/backstage-plugin-sla-common';
import type { SlaMetricSource } from '@opensla/backstage-plugin-sla-node';
import type { Entity } from '@backstage/catalog-model';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import type { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  component,
  databases,
  testEntities,
} from '../__testUtils__/testBackend';
import {
  abortOnStatement,
  agreementFor,
  insertAgreements,
  migrated,
  openBreaches,
  startReplica,
  storeFailing,
} from '../__testUtils__/replica';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { managedAgreementId } from '../service/OpenSloSyncService';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Services nothing depends on: a breach opening enqueues the dependents
 * of its entity and wakes the worker, which would do the rest of an
 * aborted run in the background.
 */
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const ENTITIES = NAMES.map(name => `component:default/${name}`);
const STANDALONE = NAMES.map(name => component(name, 'team-checkout'));

const count = async (knex: Knex, table: string) =>
  Number((await knex(table).count({ n: '*' }).first())?.n ?? 0);

const breachedNotices = (notifications: Array<{ payload: any }>) =>
  notifications.filter(n => / is breached/.test(`${n.payload.title}`));

/**
 * Every scheduled task of the plugin stops early when the scheduler aborts
 * it (its timeout passed, or shutdown), leaves nothing half-done, and the
 * next run does what is left. Each test aborts a real run in the middle,
 * right after its first piece of work, on a real database.
 */
describe.each(databases.eachSupportedId())(
  'aborted tasks on %p',
  databaseId => {
    const T0 = Math.floor(Date.now() / MINUTE) * MINUTE;
    const clock = () => new Date(T0);

    async function setup(
      options: Omit<Parameters<typeof startReplica>[1], 'clock'> = {},
    ) {
      const knex = await migrated(await databases.init(databaseId));
      const controller = new AbortController();
      const replica = startReplica(knex, {
        clock,
        ...options,
        entities: [...STANDALONE, ...(options.entities ?? [])],
        config: {
          ...options.config,
          sla: {
            ...(options.config?.sla as object),
            evaluation: { batchSize: 2 },
          },
        },
        onNotification: () => controller.abort(),
      });
      return { knex, controller, replica };
    }

    it('sla-breach-evaluation: a round stops after the entity in hand, gives back its claims, and the next run in the round does the rest once', async () => {
      const { knex, controller, replica } = await setup();
      await insertAgreements(knex, ENTITIES, T0);
      await storeFailing(knex, ENTITIES, T0 - 10 * MINUTE);
      await knex('sla_evaluation_queue').delete(); // rounds only

      await replica.run('sla-breach-evaluation', controller.signal);
      expect(controller.signal.aborted).toBe(true);
      // One entity evaluated completely (state, breach, review, notice)...
      expect(await count(knex, 'sla_target_states')).toBe(1);
      const [first] = await openBreaches(knex);
      expect(await openBreaches(knex)).toEqual([first]);
      expect(await count(knex, 'sla_reviews')).toBe(1);
      expect(breachedNotices(replica.notifications)).toHaveLength(1);
      // ...and claimed in the round; the rest given back.
      const claims = await knex('sla_evaluation_rounds');
      expect(claims.map(c => c.entity_ref)).toEqual([first]);
      expect(
        replica.logs.some(
          l =>
            l.level === 'warn' && /round stopped \(aborted\)/.test(l.message),
        ),
      ).toBe(true);

      // The next run of the same round evaluates the others, not the first
      // again.
      await replica.run('sla-breach-evaluation');
      expect(await openBreaches(knex)).toEqual([...ENTITIES].sort());
      expect(await count(knex, 'sla_breaches')).toBe(ENTITIES.length);
      expect(await count(knex, 'sla_reviews')).toBe(ENTITIES.length);
      expect(breachedNotices(replica.notifications)).toHaveLength(
        ENTITIES.length,
      );
      const all = await knex('sla_evaluation_rounds');
      expect(all.map(c => c.entity_ref).sort()).toEqual([...ENTITIES].sort());
      expect(new Set(all.map(c => Number(c.round_at))).size).toBe(1);
    });

    it('sla-evaluation-queue: stops after the entity in hand, gives back what it claimed, and the next run does the rest', async () => {
      const { knex, controller, replica } = await setup();
      await insertAgreements(knex, ENTITIES, T0);
      await storeFailing(knex, ENTITIES, T0 - 10 * MINUTE);

      await replica.run('sla-evaluation-queue', controller.signal);
      expect(controller.signal.aborted).toBe(true);
      expect(await count(knex, 'sla_target_states')).toBe(1);
      const [first] = await openBreaches(knex);
      expect(await count(knex, 'sla_reviews')).toBe(1);
      // The others wait, claimable at once by any replica.
      const left = await knex('sla_evaluation_queue').orderBy('entity_ref');
      expect(left.map(r => r.entity_ref)).toEqual(
        ENTITIES.filter(e => e !== first).sort(),
      );
      expect(left.every(r => r.claimed_by === null)).toBe(true);
      expect(left.every(r => r.claimed_until === null)).toBe(true);
      expect(left.every(r => Number(r.attempts) === 0)).toBe(true);

      await replica.run('sla-evaluation-queue');
      expect(await count(knex, 'sla_evaluation_queue')).toBe(0);
      expect(await openBreaches(knex)).toEqual([...ENTITIES].sort());
      expect(await count(knex, 'sla_breaches')).toBe(ENTITIES.length);
      expect(await count(knex, 'sla_reviews')).toBe(ENTITIES.length);
    });

    it('sla-agreement-expiry: stops after the agreement in hand, each expired one complete, and the next run expires the rest', async () => {
      const knex = await migrated(await databases.init(databaseId));
      const refs = ENTITIES.slice(0, 3);
      const validUntil = new Date(T0 + HOUR).toISOString();
      const store = new AgreementStore(knex);
      for (const ref of refs) {
        await store.insert(agreementFor(ref, T0, { validUntil }), {
          type: 'created',
          summary: 'test',
        });
      }
      await storeFailing(knex, refs, T0 - 10 * MINUTE);
      // Breaches open while the agreements are in force.
      const before = startReplica(knex, { clock, entities: STANDALONE });
      await before.run('sla-evaluation-queue');
      expect(await openBreaches(knex)).toEqual([...refs].sort());

      // Two hours later they have all expired.
      const controller = new AbortController();
      const later = startReplica(knex, {
        clock: () => new Date(T0 + 2 * HOUR),
        entities: STANDALONE,
        onNotification: () => controller.abort(),
      });
      await later.run('sla-agreement-expiry', controller.signal);
      expect(controller.signal.aborted).toBe(true);
      const statuses = async () =>
        Object.fromEntries(
          (await knex('sla_agreements').select('id', 'status')).map(r => [
            r.id,
            r.status,
          ]),
        );
      const expiredNow = Object.entries(await statuses())
        .filter(([, s]) => s === 'expired')
        .map(([id]) => id);
      expect(expiredNow).toHaveLength(1);
      // The expired one has its breach closed and its owners told.
      const open = await knex('sla_breaches').whereNull('closed_at');
      expect(open.map(b => b.agreement_id).sort()).toEqual(
        refs
          .map(r => `${r.split('/')[1]}-sla`)
          .filter(id => id !== expiredNow[0])
          .sort(),
      );
      expect(later.notifications).toHaveLength(1);
      expect(`${later.notifications[0].payload.title}`).toMatch(/expired/);

      await later.run('sla-agreement-expiry');
      expect(Object.values(await statuses())).toEqual(
        refs.map(() => 'expired'),
      );
      expect(await openBreaches(knex)).toEqual([]);
      expect(later.notifications).toHaveLength(refs.length);
      expect(
        new Set(later.notifications.map(n => `${n.payload.title}`)).size,
      ).toBe(refs.length);
    });

    it('sla-portfolio-snapshots: stops after the hour in hand and the next run keeps the other, the first not evaluated again', async () => {
      const { knex, replica } = await setup();
      const store = new AgreementStore(knex);
      for (const ref of ENTITIES) {
        await store.insert(
          agreementFor(ref, T0, {
            agreedAt: new Date(T0 - 40 * DAY).toISOString(),
          }),
          { type: 'created', summary: 'test' },
        );
      }
      const abort = abortOnStatement(
        knex,
        /insert into [`"]?sla_target_snapshots/i,
      );
      try {
        await replica.run('sla-portfolio-snapshots', abort.signal);
      } finally {
        abort.detach();
      }
      expect(abort.aborted()).toBe(true);
      const hours = async () =>
        (await knex('sla_target_snapshots').select('at')).reduce(
          (m: Map<number, number>, r: { at: string | number }) =>
            m.set(Number(r.at), (m.get(Number(r.at)) ?? 0) + 1),
          new Map<number, number>(),
        );
      const once = await hours();
      expect([...once.values()]).toEqual([ENTITIES.length]);
      const [firstHour] = [...once.keys()];

      await replica.run('sla-portfolio-snapshots');
      const twice = await hours();
      expect([...twice.keys()].sort()).toEqual([firstHour, firstHour + HOUR]);
      expect(twice.get(firstHour)).toBe(ENTITIES.length);
      expect(twice.get(firstHour + HOUR)).toBe(ENTITIES.length);
    });

    it('sla-measurement-retention: stops between delete statements, records nothing as pruned, and the next run finishes', async () => {
      const { knex, replica } = await setup({
        config: { sla: { retention: { rawMargin: 'P1D', chunkSize: 10 } } },
      });
      const CHECKOUT = ENTITIES[0];
      await insertAgreements(knex, [CHECKOUT], T0);
      // Ten days of samples every 30 minutes.
      const hour = Math.floor(T0 / HOUR) * HOUR;
      const { parsed } = validateMeasurements(
        Array.from({ length: 480 }, (_, i) => ({
          entityRef: CHECKOUT,
          metric: 'requests',
          timestamp: new Date(hour - 10 * DAY + i * 30 * MINUTE).toISOString(),
          good: 99,
          total: 100,
        })),
      );
      await new MeasurementStore(knex).ingest(parsed);
      const total = await count(knex, 'sla_ratio_samples');
      expect(total).toBe(480);

      const abort = abortOnStatement(
        knex,
        /DELETE FROM sla_ratio_samples\b/,
        2,
      );
      try {
        await replica.run('sla-measurement-retention', abort.signal);
      } finally {
        abort.detach();
      }
      expect(abort.aborted()).toBe(true);
      // The stamp says where kept detail starts (committed before any
      // delete); two statements of 10 rows ran, and the run is not recorded
      // as done.
      const series = await knex('sla_series').first();
      const keptFrom = Number(series.raw_kept_from);
      expect(keptFrom).toBeGreaterThan(hour - 10 * DAY);
      expect(series.raw_pruned_to).toBeNull();
      expect(await count(knex, 'sla_ratio_samples')).toBe(total - 20);
      const kept = async () =>
        Number(
          (
            await knex('sla_ratio_samples')
              .where('ts', '>=', keptFrom)
              .count({ n: '*' })
              .first()
          )?.n,
        );
      const keptBefore = await kept();

      await replica.run('sla-measurement-retention');
      const done = await knex('sla_series').first();
      expect(Number(done.raw_pruned_to)).toBe(keptFrom);
      expect(
        await knex('sla_ratio_samples').where('ts', '<', keptFrom),
      ).toHaveLength(0);
      expect(await kept()).toBe(keptBefore);
    });

    it('sla-catalog-graph-sync: an aborted sync writes nothing and the next one writes the whole graph', async () => {
      const catalog = catalogServiceMock({
        entities: [...testEntities, ...STANDALONE],
      });
      const controller = new AbortController();
      const query = catalog.queryEntities.bind(catalog);
      catalog.queryEntities = (async (...args: Parameters<typeof query>) => {
        const page = await query(...args);
        controller.abort();
        return page;
      }) as typeof query;
      const { knex, replica } = await setup({ catalog });

      await expect(
        replica.run('sla-catalog-graph-sync', controller.signal),
      ).rejects.toThrow(/aborted/);
      expect(await count(knex, 'sla_catalog_graph')).toBe(0);

      await replica.run('sla-catalog-graph-sync');
      expect(await count(knex, 'sla_catalog_graph')).toBe(
        testEntities.length + STANDALONE.length,
      );
    });

    it('sla-metric-source-*: stops after the target in hand, and the next run collects the others, none twice', async () => {
      const controller = new AbortController();
      const collected: string[] = [];
      const source: SlaMetricSource = {
        id: 'test',
        canMeasure: () => true,
        async collect(target, range) {
          collected.push(target.entityRef);
          controller.abort();
          return [
            {
              entityRef: target.entityRef,
              metric: target.target.metric,
              timestamp: new Date(range.from.getTime()).toISOString(),
              good: 100,
              total: 100,
            },
          ];
        },
      };
      const { knex, replica } = await setup({ metricSources: [source] });
      const refs = ENTITIES.slice(0, 3);
      await insertAgreements(knex, refs, T0);

      await replica.run('sla-metric-source-test', controller.signal);
      expect(collected).toHaveLength(1);
      const checkpoints = await knex('sla_source_checkpoints');
      expect(checkpoints.map(c => c.entity_ref)).toEqual(collected);
      expect(await count(knex, 'sla_ratio_samples')).toBe(1);

      await replica.run('sla-metric-source-test');
      expect(collected.sort()).toEqual([...refs].sort());
      expect(await count(knex, 'sla_source_checkpoints')).toBe(refs.length);
      expect(await count(knex, 'sla_ratio_samples')).toBe(refs.length);
      await replica.services.evaluation.stop();
    });

    it('sla-openslo-sync: stops after the entity in hand, and the next run creates the others, the first unchanged', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'sla-openslo-abort-'));
      writeFileSync(
        join(folder, 'slos.yaml'),
        readFileSync(
          join(
            __dirname,
            '..',
            'domain',
            'openslo',
            '__fixtures__',
            'ratio-good-total.yaml',
          ),
          'utf8',
        ),
      );
      const managed: Entity[] = ['slo-one', 'slo-two', 'slo-three'].map(
        name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location': `file:${join(
                folder,
                'catalog-info.yaml',
              )}`,
              'sla/openslo': 'slos.yaml',
            },
          },
          spec: { type: 'service', owner: 'team-checkout' },
        }),
      );
      const { knex, replica } = await setup({ entities: managed });
      const abort = abortOnStatement(
        knex,
        /insert into [`"]?sla_agreements\b/i,
      );
      try {
        await replica.run('sla-openslo-sync', abort.signal);
      } finally {
        abort.detach();
      }
      expect(abort.aborted()).toBe(true);
      const ids = async () =>
        (await knex('sla_agreements').select('id')).map(r => r.id).sort();
      const [first] = await ids();
      expect(await ids()).toEqual([first]);
      expect(
        replica.logs.some(l => /OpenSLO files read stopped/.test(l.message)),
      ).toBe(true);

      await replica.run('sla-openslo-sync');
      expect(await ids()).toEqual(
        managed
          .map(e => managedAgreementId(`component:default/${e.metadata.name}`))
          .sort(),
      );
      // The first one was read again and found unchanged: one version.
      expect(await count(knex, 'sla_agreement_versions')).toBe(managed.length);
    });

    it('sla-ticket-notifications: stops after the batch of tickets in hand, each notice sent once, and the next run sends the rest', async () => {
      const { knex, controller, replica } = await setup();
      const CHECKOUT = ENTITIES[0];
      await new AgreementStore(knex).insert(
        agreementFor(CHECKOUT, T0, {
          agreedAt: new Date(T0 - DAY).toISOString(),
          targets: [
            {
              id: 'p1-resolution',
              name: 'P1 resolution',
              aspect: 'support',
              metric: 'tickets',
              sli: {
                kind: 'ticket',
                measure: 'resolution',
                maxDuration: 'PT4H',
                priority: 'P1',
              },
              objective: 50,
              window: { type: 'rolling', duration: 'P7D' },
            },
          ],
        }),
        { type: 'created', summary: 'test' },
      );
      // 201 open P1 tickets, opened 3 h 10 min ago: 79 % of 4 h used. The
      // task reads open tickets 200 at a time.
      const tickets = Array.from({ length: 201 }, (_, i) => ({
        source: 'api',
        ticketId: `INC-${String(i).padStart(3, '0')}`,
        entityRef: CHECKOUT,
        at: new Date(T0 - 190 * MINUTE).toISOString(),
        state: 'new',
        priority: 'P1',
      }));
      await replica.services.tickets.record(replica.credentials, {
        items: tickets,
      });
      await replica.services.evaluation.stop();
      const notices = () =>
        replica.notifications.filter(n =>
          /resolution time/.test(`${n.payload.title}`),
        );

      await replica.run('sla-ticket-notifications', controller.signal);
      expect(controller.signal.aborted).toBe(true);
      // The batch in hand is finished: each of its tickets told once, at 75 %,
      // with both levels recorded.
      expect(notices()).toHaveLength(200);
      expect(await count(knex, 'sla_ticket_notices')).toBe(400);

      await replica.run('sla-ticket-notifications');
      expect(notices()).toHaveLength(201);
      expect(new Set(notices().map(n => `${n.payload.title}`)).size).toBe(201);
      expect(await count(knex, 'sla_ticket_notices')).toBe(402);
    });
  },
);
