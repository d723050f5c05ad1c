import { mockServices } from '@backstage/backend-test-utils';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import {
  Told,
  breachServiceOn,
  databaseWith,
} from '../__testUtils__/breachServiceOn';
import { databases } from '../__testUtils__/testBackend';
import { MeasurementStore } from '../store/MeasurementStore';
import { TargetStateStore } from '../store/TargetStateStore';
import { EvaluationWorker } from './EvaluationWorker';
import { EvaluationQueueStore } from '../store/EvaluationQueueStore';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const ENTITY = 'component:default/search';

/** A ratio target over a rolling day, 99 %: 1 % of the day's requests may fail. */
const agreement: Agreement = {
  id: 'search-sla',
  kind: 'SLA',
  entityRef: ENTITY,
  title: 'Search SLA',
  status: 'agreed',
  agreedAt: '2026-06-01T00:00:00.000Z',
  version: 3,
  targets: [
    {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'requests',
      sli: { kind: 'ratio' },
      objective: 99,
      window: { type: 'rolling', duration: 'P1D' },
    },
  ],
  createdAt: '2026-05-30T00:00:00.000Z',
  createdBy: 'user:default/bob',
  updatedAt: '2026-06-01T00:00:00.000Z',
  updatedBy: 'user:default/bob',
};

/**
 * One sample of 1,000 requests at half past every hour from 2026-06-06
 * to 2026-06-10 11:30, all good except 500 failures at the given half hours.
 */
function samples(badAt: string[]) {
  const out = [];
  for (
    let ts = t('2026-06-06T00:30:00Z');
    ts < t('2026-06-10T12:00:00Z');
    ts += HOUR
  ) {
    const bad = badAt.some(b => t(b) === ts) ? 500 : 0;
    out.push({
      kind: 'ratio' as const,
      entityRef: ENTITY,
      metric: 'requests',
      ts,
      good: 1000 - bad,
      total: 1000,
    });
  }
  return out;
}

describe.each(databases.eachSupportedId())(
  'BreachService on %p',
  databaseId => {
    const service = breachServiceOn;
    const setupDatabase = () => databaseWith(databaseId, agreement);

    async function setup(badAt: string[]) {
      const db = await setupDatabase();
      await new MeasurementStore(db).ingest(samples(badAt));
      return service(db, { notified: [], opened: [] });
    }

    it('records the breaches of the past on a first evaluation, dated to the hour', async () => {
      // 500 bad of the day's 24,000 requests against 240 allowed: breached
      // from the first whole hour whose day holds the failures (06-08 11:00)
      // until they leave the rolling day (06-09 11:00); again from 06-10 10:00.
      const breaches = await setup([
        '2026-06-08T10:30:00Z',
        '2026-06-10T09:30:00Z',
      ]);
      await breaches.evaluateEntity(ENTITY, t('2026-06-10T12:00:00Z'));
      const list = await breaches.list(ENTITY);
      expect(
        list.map(b => [b.openedAt, b.closedAt, b.severity, b.cause]),
      ).toEqual([
        // 500 / 240 = 2.08 × the budget: major
        ['2026-06-10T10:00:00.000Z', null, 'major', 'own'],
        [
          '2026-06-08T11:00:00.000Z',
          '2026-06-09T11:00:00.000Z',
          'major',
          'own',
        ],
      ]);
      // Evaluating again records nothing twice.
      await breaches.evaluateEntity(ENTITY, t('2026-06-10T12:05:00Z'));
      expect(await breaches.list(ENTITY)).toHaveLength(2);
    });

    it('records a breach in the first hour of data of a target agreed days before its data', async () => {
      // Agreed 06-01, data from 06-06 00:30: the history starts at the hour
      // of the first sample, and its breach still opens at the first whole
      // hour whose day holds the failures.
      const breaches = await setup(['2026-06-06T00:30:00Z']);
      await breaches.evaluateEntity(ENTITY, t('2026-06-10T12:00:00Z'));
      expect(
        (await breaches.list(ENTITY)).map(b => [b.openedAt, b.closedAt]),
      ).toEqual([['2026-06-06T01:00:00.000Z', '2026-06-07T01:00:00.000Z']]);
    });

    it('dates a breach found after an evaluation gap to when it began', async () => {
      const breaches = await setup(['2026-06-08T10:30:00Z']);
      // Met at 09:00; the next evaluation comes five hours later.
      await breaches.evaluateEntity(ENTITY, t('2026-06-08T09:00:00Z'));
      expect(await breaches.list(ENTITY)).toEqual([]);
      await breaches.evaluateEntity(ENTITY, t('2026-06-08T14:00:00Z'));
      const [breach] = await breaches.list(ENTITY);
      expect(breach).toMatchObject({
        openedAt: '2026-06-08T11:00:00.000Z',
        closedAt: null,
      });
      // Recovered once the failures leave the day.
      await breaches.evaluateEntity(ENTITY, t('2026-06-09T11:00:00Z'));
      expect((await breaches.list(ENTITY))[0].closedAt).toBe(
        '2026-06-09T11:00:00.000Z',
      );
    });

    it('dates a backfilled breach back to its first hour when the target was evaluated before its data arrived', async () => {
      // As on a fresh start: the evaluation runs before the metric source
      // has backfilled the window, then the backfill arrives.
      const db = await setupDatabase();
      const breaches = service(db, { notified: [], opened: [] });
      await breaches.evaluateEntity(ENTITY, t('2026-06-10T11:00:00Z'));
      expect(await breaches.list(ENTITY)).toEqual([]);
      await new MeasurementStore(db).ingest(
        samples(['2026-06-08T10:30:00Z', '2026-06-10T09:30:00Z']),
      );
      await breaches.evaluateEntity(ENTITY, t('2026-06-10T12:00:00Z'));
      expect(
        (await breaches.list(ENTITY)).map(b => [b.openedAt, b.closedAt]),
      ).toEqual([
        ['2026-06-10T10:00:00.000Z', null],
        ['2026-06-08T11:00:00.000Z', '2026-06-09T11:00:00.000Z'],
      ]);
    });

    it('opens one breach, one review and one notification however many evaluations run at once', async () => {
      const db = await setupDatabase();
      const measurements = new MeasurementStore(db);
      await measurements.ingest(samples([]));
      const told: Told = { notified: [], opened: [] };
      // Two instances (two replicas) on one database.
      const replicas = [service(db, told), service(db, told)];
      // Met so far, with its history recorded.
      await replicas[0].evaluateEntity(ENTITY, t('2026-06-10T11:50:00Z'));
      expect(told).toEqual({ notified: [], opened: [] });
      // Then 500 of 1,000 requests fail: breached (250 allowed over the day).
      await measurements.ingest([
        {
          kind: 'ratio',
          entityRef: ENTITY,
          metric: 'requests',
          ts: t('2026-06-10T11:55:00Z'),
          good: 500,
          total: 1000,
        },
      ]);
      // Both evaluate it many times at once, at close instants.
      const base = t('2026-06-10T12:00:00Z');
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          replicas[i % 2].evaluateEntity(ENTITY, base + (i % 3) * 1000),
        ),
      );
      const list = await replicas[0].list(ENTITY);
      expect(list.map(b => [b.openedAt, b.closedAt])).toEqual([
        ['2026-06-10T12:00:00.000Z', null],
      ]);
      expect(told.opened).toEqual([list[0].id]);
      expect(told.notified.filter(n => n.includes('is breached'))).toHaveLength(
        1,
      );
      // The budget warning (100 % consumed) is told once as well.
      expect(told.notified).toHaveLength(2);
    });

    it('never lets an older evaluation undo a later one', async () => {
      const db = await setupDatabase();
      await new MeasurementStore(db).ingest(samples(['2026-06-08T10:30:00Z']));
      const breaches = service(db, { notified: [], opened: [] });
      // Breached at 14:00; an evaluation for 09:00 (met) arrives late.
      await breaches.evaluateEntity(ENTITY, t('2026-06-08T14:00:00Z'));
      await breaches.evaluateEntity(ENTITY, t('2026-06-08T09:00:00Z'));
      const [breach] = await breaches.list(ENTITY);
      expect(breach).toMatchObject({ closedAt: null });
      const [state] = await db('sla_target_states');
      expect(Number(state.evaluated_at)).toBe(t('2026-06-08T14:00:00Z'));
      expect(state.status).toBe('breached');
    });

    it('stops a round between entities once the scheduler aborts it', async () => {
      const db = await setupDatabase();
      await new MeasurementStore(db).ingest(samples(['2026-06-10T09:30:00Z']));
      const breaches = service(db, { notified: [], opened: [] });
      const states = new TargetStateStore(db);
      const at = t('2026-06-10T12:00:00Z');
      const worker = new EvaluationWorker({
        queue: new EvaluationQueueStore(db),
        evaluate: (ref, now) => breaches.evaluateEntity(ref, now),
        roundEntities: (now, full) =>
          full ? Promise.resolve([ENTITY]) : states.dueEntityRefs(now),
        clock: () => new Date(at),
        logger: mockServices.logger.mock(),
      });
      const aborted = new AbortController();
      aborted.abort();
      const stopped = await worker.runRound(5 * 60_000, aborted.signal);
      expect(stopped).toMatchObject({ candidates: 1, evaluated: 0 });
      expect(await breaches.list(ENTITY)).toEqual([]);
      // The next round (never evaluated: due) opens the breach.
      expect(await worker.runRound(5 * 60_000)).toMatchObject({
        evaluated: 1,
      });
      expect(await breaches.list(ENTITY)).toHaveLength(1);
      // Breached: due again in the next round.
      expect(await states.dueEntityRefs(at + 5 * 60_000)).toEqual([ENTITY]);
    });
  },
);
