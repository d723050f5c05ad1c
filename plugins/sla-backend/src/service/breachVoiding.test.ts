import type {
  Agreement,
  ParsedTicketChange,
  Target,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import {
  Told,
  breachServiceOn,
  databaseWith,
} from '../__testUtils__/breachServiceOn';
import { databases } from '../__testUtils__/testBackend';
import { MeasurementStore } from '../store/MeasurementStore';
import { TicketStore } from '../store/TicketStore';
import { BreachService } from './BreachService';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const t = (iso: string) => Date.parse(iso);
const ENTITY = 'component:default/checkout';

function agreementWith(target: Target): Agreement {
  return {
    id: 'checkout-sla',
    kind: 'SLA',
    entityRef: ENTITY,
    title: 'Checkout SLA',
    status: 'agreed',
    agreedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
    targets: [target],
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: 'user:default/bob',
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'user:default/bob',
  };
}

/** P1 incidents resolved within 4 hours (24×7), half of them at least. */
const p1Resolution = agreementWith({
  id: 'p1-resolution',
  name: 'P1 resolution',
  aspect: 'support',
  metric: 'incidents',
  sli: {
    kind: 'ticket',
    measure: 'resolution',
    maxDuration: 'PT4H',
    priority: 'P1',
  },
  objective: 50,
  window: { type: 'rolling', duration: 'P7D' },
} as Target);

/** 99 % of requests over a rolling day. */
const availability = agreementWith({
  id: 'availability',
  name: 'Availability',
  aspect: 'availability',
  metric: 'requests',
  sli: { kind: 'ratio' },
  objective: 99,
  window: { type: 'rolling', duration: 'P1D' },
});

const change = (
  at: string,
  state: ParsedTicketChange['state'],
  priority?: string,
): ParsedTicketChange => ({
  source: 'pagerduty',
  ticketId: 'Q1CHECKOUT',
  entityRef: ENTITY,
  at: t(at),
  state,
  ...(priority ? { priority } : {}),
});

/** 1,000 requests a minute-sample at each instant, `bad` of them failed. */
const requests = (from: number, to: number, step: number, bad = 0) => {
  const out = [];
  for (let ts = from; ts < to; ts += step) {
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
};

describe.each(databases.eachSupportedId())(
  'breaches that late data voids, on %p',
  databaseId => {
    let db: Knex;
    let tickets: TicketStore;
    let measurements: MeasurementStore;
    let breaches: BreachService;
    let told: Told;

    async function setup(agreement: Agreement) {
      db = await databaseWith(databaseId, agreement);
      tickets = new TicketStore(db);
      measurements = new MeasurementStore(db);
      told = { notified: [], opened: [] };
      breaches = breachServiceOn(db, told);
    }

    const voided = async () =>
      db('sla_voided_breaches').select('id', 'opened_at', 'voided_at');

    /**
     * The incident tool's webhooks arrive first: triggered at 22:30,
     * acknowledged at 22:35. Evaluated at 13:03 the next day, the ticket
     * has run 14.5 h against 4 h: the target is breached.
     */
    async function breachedOnWebhooksAlone() {
      await setup(p1Resolution);
      await tickets.record([
        change('2026-12-01T22:30:00Z', 'new', 'P1'),
        change('2026-12-01T22:35:00Z', 'in-progress'),
      ]);
      await breaches.evaluateEntity(ENTITY, t('2026-12-02T13:03:00Z'));
      const [breach] = await breaches.list(ENTITY);
      expect(breach).toMatchObject({
        targetId: 'p1-resolution',
        closedAt: null,
      });
      expect(told.opened).toEqual([breach.id]);
      return breach;
    }

    it('voids the breach of a ticket whose pause arrived after the evaluation, and keeps it aside', async () => {
      const breach = await breachedOnWebhooksAlone();

      // The service desk's change arrives late and out of order: the
      // ticket has waited on the customer since 23:05 (35 min of 4 h
      // used). With it, the target was never breached.
      await tickets.record([
        change('2026-12-01T23:05:00Z', 'waiting-on-customer'),
      ]);
      await breaches.evaluateEntity(ENTITY, t('2026-12-02T13:10:00Z'));

      expect(await breaches.list(ENTITY)).toEqual([]);
      expect(await voided()).toEqual([
        {
          id: breach.id,
          opened_at: breach.openedAt,
          voided_at: '2026-12-02T13:10:00.000Z',
        },
      ]);
      // Nothing is left to count in reports or KPIs, and a later
      // evaluation neither brings it back nor opens another.
      await breaches.evaluateEntity(ENTITY, t('2026-12-02T14:00:00Z'));
      expect(await breaches.list(ENTITY)).toEqual([]);
      expect(told.opened).toEqual([breach.id]);
    });

    it('closes, not voids, a ticket breach that the late change confirms', async () => {
      const breach = await breachedOnWebhooksAlone();
      // The pause came only after the 4 hours had run out: the ticket
      // failed at 02:30 whatever followed, so the breach stands.
      await tickets.record([
        change('2026-12-02T05:00:00Z', 'waiting-on-customer'),
      ]);
      await breaches.evaluateEntity(ENTITY, t('2026-12-02T13:10:00Z'));
      expect(await breaches.list(ENTITY)).toEqual([
        expect.objectContaining({ id: breach.id, closedAt: null }),
      ]);
      expect(await voided()).toEqual([]);
    });

    it('voids a breach that late measurements disprove, and closes one that recovers', async () => {
      await setup(availability);
      const at = t('2026-12-02T12:00:00Z');
      // Only the last minute has arrived, half of it failed: breached.
      await measurements.ingest(requests(at - MINUTE, at, MINUTE, 500));
      await breaches.evaluateEntity(ENTITY, at);
      const [first] = await breaches.list(ENTITY);
      expect(first.closedAt).toBeNull();
      // The rest of the day arrives late, all good: 500 bad of 1,440,000
      // requests is well inside 1 %. The breach never happened.
      await measurements.ingest(requests(at - 24 * HOUR, at - MINUTE, MINUTE));
      await breaches.evaluateEntity(ENTITY, at + 5 * MINUTE);
      expect(await breaches.list(ENTITY)).toEqual([]);
      expect((await voided()).map(v => v.id)).toEqual([first.id]);

      // A real breach: 30 % failures for an hour (18,000 bad > 14,400
      // allowed); it recovers when they leave the rolling day.
      const from = at + HOUR;
      await measurements.ingest(requests(at, from, MINUTE));
      await measurements.ingest(requests(from, from + HOUR, MINUTE, 300));
      await breaches.evaluateEntity(ENTITY, from + HOUR);
      const [real] = await breaches.list(ENTITY);
      expect(real.closedAt).toBeNull();
      await measurements.ingest(
        requests(from + HOUR, from + 26 * HOUR, MINUTE),
      );
      await breaches.evaluateEntity(ENTITY, from + 26 * HOUR);
      expect(await breaches.list(ENTITY)).toEqual([
        expect.objectContaining({
          id: real.id,
          closedAt: new Date(from + 26 * HOUR).toISOString(),
        }),
      ]);
      expect((await voided()).map(v => v.id)).toEqual([first.id]);
    });

    it('closes, not voids, a breach whose recovery arrived a minute late (a metric source lag)', async () => {
      await setup(availability);
      const at = t('2026-12-02T12:00:00Z');
      // A good day, then 20,000 failed requests at 11:58: breached at 12:00.
      await measurements.ingest(
        requests(at - 24 * HOUR, at - 2 * MINUTE, MINUTE),
      );
      await measurements.ingest([
        {
          ...requests(at - 2 * MINUTE, at - MINUTE, MINUTE)[0],
          good: 0,
          total: 20_000,
        },
      ]);
      await breaches.evaluateEntity(ENTITY, at);
      const [breach] = await breaches.list(ENTITY);
      expect(breach.closedAt).toBeNull();
      // The 11:59 sample arrives after that evaluation: 3 million good
      // requests put the day back above 99 % from 11:59 on, but 11:58–11:59
      // was breached all the same.
      await measurements.ingest([
        {
          ...requests(at - MINUTE, at, MINUTE)[0],
          good: 3_000_000,
          total: 3_000_000,
        },
      ]);
      await breaches.evaluateEntity(ENTITY, at + MINUTE);
      expect(await breaches.list(ENTITY)).toEqual([
        expect.objectContaining({
          id: breach.id,
          closedAt: new Date(at + MINUTE).toISOString(),
        }),
      ]);
      expect(await voided()).toEqual([]);
    });
  },
);
