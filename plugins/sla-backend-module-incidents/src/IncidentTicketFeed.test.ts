import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import type { TicketStateChangeInput } from '@opensla/backstage-plugin-sla-common';
import { fixture } from './__fixtures__';
import { IncidentTicketFeed } from './IncidentTicketFeed';
import type { EntityResolution } from './catalog/types';
import {
  PagerDutySubject,
  translatePagerDutyWebhook,
} from './translate/pagerduty';

function setup(
  resolution: EntityResolution = {
    kind: 'found',
    entityRef: 'component:default/checkout',
  },
) {
  const logger = mockServices.logger.mock();
  const subscribe = jest.fn();
  const events = { subscribe, publish: jest.fn() } as unknown as EventsService;
  const feed = new IncidentTicketFeed<PagerDutySubject>({
    id: 'pagerduty',
    topic: 'pd',
    events,
    logger,
    translate: translatePagerDutyWebhook,
    resolveEntity: async () => resolution,
    describeSubject: s => `PagerDuty service ${s.serviceId}`,
  });
  const recorded: TicketStateChangeInput[][] = [];
  const sink = {
    record: jest.fn(async (changes: TicketStateChangeInput[]) => {
      recorded.push(changes);
    }),
  };
  return { feed, logger, subscribe, sink, recorded };
}

describe('IncidentTicketFeed', () => {
  it('subscribes to its topic when the SLA plugin starts it', async () => {
    const { feed, subscribe, sink } = setup();
    await feed.start(sink);
    expect(subscribe).toHaveBeenCalledWith({
      id: 'ticket-feed-pagerduty',
      topics: ['pd'],
      onEvent: expect.any(Function),
    });
  });

  it('records the change with its entity, from an object or a JSON string', async () => {
    const { feed, sink, recorded } = setup();
    const payload = fixture('pagerduty', 'incident.acknowledged');
    await feed.handle(sink, { topic: 'pd', eventPayload: payload });
    await feed.handle(sink, {
      topic: 'pd',
      eventPayload: JSON.stringify(payload),
    });
    const expected = {
      source: 'pagerduty',
      ticketId: 'Q2DLMTE6P8ZR1G',
      entityRef: 'component:default/checkout',
      at: '2026-11-30T09:04:41.020Z',
      state: 'in-progress',
      priority: 'P1',
      title: 'Checkout error rate above 5%',
      url: 'https://acme.pagerduty.com/incidents/Q2DLMTE6P8ZR1G',
    };
    expect(recorded).toEqual([[expected], [expected]]);
  });

  it('drops bad payloads with a warning and never throws', async () => {
    const { feed, sink, logger } = setup();
    await expect(
      feed.handle(sink, { topic: 'pd', eventPayload: '{not json' }),
    ).resolves.toBeUndefined();
    await expect(
      feed.handle(sink, { topic: 'pd', eventPayload: null }),
    ).resolves.toBeUndefined();
    expect(sink.record).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      'Ticket feed pagerduty dropped a payload on topic pd: payload has no event object',
    );
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('ignores event types that do not move a ticket, quietly', async () => {
    const { feed, sink, logger } = setup();
    await feed.handle(sink, {
      topic: 'pd',
      eventPayload: fixture('pagerduty', 'incident.annotated'),
    });
    expect(sink.record).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.debug).toHaveBeenCalledWith(
      'Ticket feed pagerduty: event type incident.annotated does not move a ticket',
    );
  });

  it('drops incidents of services no entity claims, or several do', async () => {
    const none = setup({ kind: 'none' });
    await none.feed.handle(none.sink, {
      topic: 'pd',
      eventPayload: fixture('pagerduty', 'incident.triggered'),
    });
    expect(none.sink.record).not.toHaveBeenCalled();
    expect(none.logger.info).toHaveBeenCalledWith(
      'Ticket feed pagerduty dropped Q2DLMTE6P8ZR1G (PagerDuty service PF9KMXH): no catalog entity is annotated for it',
    );
    const two = setup({
      kind: 'ambiguous',
      entityRefs: ['component:default/a', 'component:default/b'],
    });
    await two.feed.handle(two.sink, {
      topic: 'pd',
      eventPayload: fixture('pagerduty', 'incident.triggered'),
    });
    expect(two.sink.record).not.toHaveBeenCalled();
    expect(two.logger.warn).toHaveBeenCalledWith(
      'Ticket feed pagerduty dropped Q2DLMTE6P8ZR1G (PagerDuty service PF9KMXH): it matches several entities (component:default/a, component:default/b); annotate only one',
    );
  });

  it('logs a sink that refuses or fails instead of throwing', async () => {
    const { feed, sink, logger } = setup();
    sink.record.mockRejectedValueOnce(
      new InputError('priority P9 has no target'),
    );
    await expect(
      feed.handle(sink, {
        topic: 'pd',
        eventPayload: fixture('pagerduty', 'incident.triggered'),
      }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Ticket feed pagerduty could not record Q2DLMTE6P8ZR1G new at 2026-11-30T08:58:03.114Z from topic pd: InputError: priority P9 has no target',
    );
    sink.record.mockRejectedValueOnce(new Error('connection refused'));
    await feed.handle(sink, {
      topic: 'pd',
      eventPayload: fixture('pagerduty', 'incident.triggered'),
    });
    expect(logger.error).toHaveBeenCalledWith(
      'Ticket feed pagerduty could not record Q2DLMTE6P8ZR1G new at 2026-11-30T08:58:03.114Z from topic pd: Error: connection refused',
    );
  });
});
