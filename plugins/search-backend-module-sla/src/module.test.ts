import searchPlugin from '@backstage/plugin-search-backend';
import {
  CHECKOUT,
  LEDGER,
  PAYMENTS,
  alice,
  availability,
  databases,
  fred,
  startSlaTestBackend,
} from './__testUtils__/slaTestBackend';
import { searchModuleSlaCollator } from './module';

jest.setTimeout(180_000);

/**
 * The whole path a reader takes: the real search backend with its in-memory
 * (Lunr) engine and permission filtering, this module's collator reading the
 * real SLA backend, the search query API.
 */
describe.each(databases.eachSupportedId())(
  'search for agreements on %p',
  databaseId => {
    async function start() {
      const backend = await startSlaTestBackend(databaseId, {
        features: [searchPlugin, searchModuleSlaCollator],
        readable: {
          'user:default/alice': [CHECKOUT, PAYMENTS],
          'user:default/fred': [LEDGER],
        },
        config: {
          permission: { enabled: true },
          search: {
            collators: {
              sla: {
                schedule: {
                  frequency: { minutes: 10 },
                  timeout: { minutes: 5 },
                },
              },
            },
          },
        },
      });
      await backend.agreement(alice, {
        kind: 'SLA',
        entityRef: CHECKOUT,
        title: 'Checkout SLA',
        targets: [availability(99)],
      });
      await backend.agreement(alice, {
        kind: 'OLA',
        entityRef: PAYMENTS,
        title: 'Payments OLA for checkout',
        targets: [availability(99)],
      });
      await backend.agreement(fred, {
        kind: 'SLA',
        entityRef: LEDGER,
        title: 'Ledger SLA for checkout',
        targets: [availability(99)],
      });
      await backend.measure(PAYMENTS, 900, 1000);
      // the search backend's task for the document type sla-agreement
      await backend.scheduler.triggerTask('search_index_sla_agreement');
      return backend;
    }

    const search = (
      http: Awaited<ReturnType<typeof start>>['http'],
      who: string,
      term: string,
    ) =>
      http
        .get('/api/search/query')
        .query({ term, 'types[0]': 'sla-agreement' })
        .set('Authorization', who);

    it('finds agreements with their status, only those the reader may read', async () => {
      const { http } = await start();

      const forAlice = await search(http, alice, 'checkout');
      expect(forAlice.status).toBe(200);
      const aliceResults = forAlice.body.results.map((r: any) => r.document);
      expect(aliceResults.map((d: any) => d.title).sort()).toEqual([
        'Checkout SLA',
        'Payments OLA for checkout',
      ]);
      expect(
        aliceResults.find((d: any) => d.entityRef === PAYMENTS),
      ).toMatchObject({ status: 'breached', kind: 'OLA' });
      expect(forAlice.body.results[0].type).toBe('sla-agreement');

      const forFred = await search(http, fred, 'checkout');
      expect(forFred.status).toBe(200);
      expect(forFred.body.results.map((r: any) => r.document.title)).toEqual([
        'Ledger SLA for checkout',
      ]);
    });

    it('answers 401 without credentials', async () => {
      const { http } = await start();
      const res = await http.get('/api/search/query').query({ term: 'sla' });
      expect(res.status).toBe(401);
    });
  },
);
