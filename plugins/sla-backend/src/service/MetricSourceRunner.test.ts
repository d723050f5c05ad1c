import { mockServices } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  Agreement,
  Measurement,
} from '@opensla/backstage-plugin-sla-common';
import type { SlaMetricSource } from '@opensla/backstage-plugin-sla-node';
import { databases, testEntities } from '../__testUtils__/testBackend';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { EntityAccessGuard } from './EntityAccessGuard';
import { MetricSourceRunner } from './MetricSourceRunner';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const now = Date.parse('2026-06-10T12:00:30Z');

const agreement: Agreement = {
  id: 'checkout-sla',
  kind: 'SLA',
  entityRef: 'component:default/checkout',
  title: 'Checkout',
  status: 'agreed',
  version: 3,
  targets: [
    {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'requests',
      sli: { kind: 'ratio' },
      objective: 99,
      window: { type: 'rolling', duration: 'PT1H' },
    },
  ],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'user:default/alice',
};

function recordingSource(
  behaviour: (from: number, to: number) => Measurement[],
): SlaMetricSource & { calls: Array<[number, number]> } {
  const calls: Array<[number, number]> = [];
  return {
    id: 'fake',
    calls,
    canMeasure: t => t.target.metric === 'requests',
    async collect(_target, range) {
      calls.push([range.from.getTime(), range.to.getTime()]);
      return behaviour(range.from.getTime(), range.to.getTime());
    },
  };
}

const everyTenMinutes = (from: number, to: number): Measurement[] => {
  const out: Measurement[] = [];
  for (
    let t = Math.ceil(from / (10 * MINUTE)) * 10 * MINUTE;
    t < to;
    t += 10 * MINUTE
  ) {
    out.push({
      entityRef: 'component:default/checkout',
      metric: 'requests',
      timestamp: new Date(t).toISOString(),
      good: 99,
      total: 100,
    });
  }
  return out;
};

describe.each(databases.eachSupportedId())(
  'MetricSourceRunner on %p',
  databaseId => {
    async function setup() {
      const db = await databases.init(databaseId);
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@opensla/backstage-plugin-sla-backend',
          'migrations',
        ),
      });
      const agreements = new AgreementStore(db);
      await agreements.insert(agreement, { type: 'created', summary: 'test' });
      const measurements = new MeasurementStore(db);
      const guard = new EntityAccessGuard({
        catalog: catalogServiceMock({ entities: testEntities }),
        auth: mockServices.auth(),
        permissions: mockServices.permissions(),
        userInfo: mockServices.userInfo(),
        requireOwnership: true,
      });
      const logger = mockServices.logger.mock();
      const runner = new MetricSourceRunner({
        db,
        agreements,
        measurements,
        guard,
        logger,
        maxBackfillMs: 35 * 86_400_000,
      });
      const count = async () =>
        Number((await db('sla_ratio_samples').count({ n: '*' }))[0].n);
      return { runner, count, logger };
    }

    it('backfills the window, then collects only what is new', async () => {
      const { runner, count } = await setup();
      const source = recordingSource(everyTenMinutes);
      expect(await runner.run(source, now)).toEqual({
        collected: 1,
        failed: 0,
      });
      // the window (1 h) up to now − 2 min, on the minute: 10:58 → 11:58
      const settled = Date.parse('2026-06-10T11:58:00Z');
      expect(source.calls).toEqual([[settled - 60 * MINUTE, settled]]);
      expect(await count()).toBe(6);

      await runner.run(source, now + 10 * MINUTE);
      expect(source.calls[1]).toEqual([settled, settled + 10 * MINUTE]);
      expect(await count()).toBe(7);
    });

    it('retries the same range after a failure and stores nothing from it', async () => {
      const { runner, count, logger } = await setup();
      let fail = true;
      const source = recordingSource((from, to) => {
        if (fail) throw new Error('Prometheus is down');
        return everyTenMinutes(from, to);
      });
      expect(await runner.run(source, now)).toEqual({
        collected: 0,
        failed: 1,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Prometheus is down'),
      );
      expect(await count()).toBe(0);
      fail = false;
      await runner.run(source, now);
      expect(source.calls[1]).toEqual(source.calls[0]);
      expect(await count()).toBe(6);
    });

    it('refuses measurements of another series, storing nothing', async () => {
      const { runner, count } = await setup();
      const source = recordingSource((from, to) =>
        everyTenMinutes(from, to).map(m => ({ ...m, metric: 'other' })),
      );
      expect(await runner.run(source, now)).toEqual({
        collected: 0,
        failed: 1,
      });
      expect(await count()).toBe(0);
    });
  },
);
