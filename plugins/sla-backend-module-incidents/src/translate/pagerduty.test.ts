import { fixture } from '../__fixtures__';
import { translatePagerDutyWebhook } from './pagerduty';

const incident = {
  source: 'pagerduty',
  ticketId: 'Q2DLMTE6P8ZR1G',
  title: 'Checkout error rate above 5%',
  url: 'https://acme.pagerduty.com/incidents/Q2DLMTE6P8ZR1G',
};

describe('translatePagerDutyWebhook', () => {
  it.each([
    ['incident.triggered', '2026-11-30T08:58:03.114Z', 'new', 'P1'],
    ['incident.acknowledged', '2026-11-30T09:04:41.020Z', 'in-progress', 'P1'],
    ['incident.unacknowledged', '2026-11-30T09:34:41.020Z', 'new', 'P1'],
    ['incident.priority_updated', '2026-11-30T09:40:00.000Z', 'new', 'P2'],
    ['incident.resolved', '2026-11-30T11:15:27.500Z', 'resolved', 'P2'],
    // reopened into acknowledged; the +01:00 offset is normalised to UTC
    ['incident.reopened', '2026-12-01T06:30:00.000Z', 'in-progress', 'P2'],
  ])(
    '%s becomes a change at %s to %s with priority %s',
    (name, at, state, priority) => {
      expect(translatePagerDutyWebhook(fixture('pagerduty', name))).toEqual({
        kind: 'change',
        subject: { serviceId: 'PF9KMXH' },
        change: { ...incident, at, state, priority },
      });
    },
  );

  it('leaves the priority out when the account has no incident priorities', () => {
    const result = translatePagerDutyWebhook(
      fixture('pagerduty', 'incident.triggered.no-priority'),
    );
    expect(result).toEqual({
      kind: 'change',
      subject: { serviceId: 'PF9KMXH' },
      change: {
        source: 'pagerduty',
        ticketId: 'Q0NOPRIORITY1',
        at: '2026-11-30T12:00:00.000Z',
        state: 'new',
        title: 'Checkout error rate above 5%',
        url: 'https://acme.pagerduty.com/incidents/Q0NOPRIORITY1',
      },
    });
  });

  it.each([
    'incident.reassigned',
    'incident.escalated',
    'incident.annotated',
    'service.updated',
  ])('ignores %s', name => {
    expect(translatePagerDutyWebhook(fixture('pagerduty', name))).toMatchObject(
      {
        kind: 'ignored',
      },
    );
  });

  it('ignores event types it does not know', () => {
    const payload = fixture('pagerduty', 'incident.triggered');
    payload.event.event_type = 'incident.workflow.started';
    expect(translatePagerDutyWebhook(payload)).toEqual({
      kind: 'ignored',
      reason: 'event type incident.workflow.started does not move a ticket',
    });
  });

  const broken: Array<[string, (p: any) => unknown, string]> = [
    ['not an object', () => 'hello', 'payload has no event object'],
    ['no event', () => ({ messages: [] }), 'payload has no event object'],
    [
      'no event_type',
      p => {
        delete p.event.event_type;
        return p;
      },
      'event.event_type is missing',
    ],
    [
      'no data',
      p => {
        delete p.event.data;
        return p;
      },
      'incident.triggered: event.data is missing',
    ],
    [
      'data of another type',
      p => {
        p.event.data.type = 'incident_note';
        return p;
      },
      'event.data.type is incident_note, not incident',
    ],
    [
      'no incident id',
      p => {
        p.event.data.id = '';
        return p;
      },
      'event.data.id is missing',
    ],
    [
      'no service',
      p => {
        delete p.event.data.service;
        return p;
      },
      'event.data.service.id is missing',
    ],
    [
      'a time without offset',
      p => {
        p.event.occurred_at = '2026-11-30T08:58:03';
        return p;
      },
      'not an ISO 8601 instant with an offset',
    ],
    [
      'a time that is no date',
      p => {
        p.event.occurred_at = 'yesterday';
        return p;
      },
      'not an ISO 8601 instant with an offset',
    ],
    [
      'an unknown status on priority_updated',
      p => {
        p.event.event_type = 'incident.priority_updated';
        p.event.data.status = 'snoozed';
        return p;
      },
      'event.data.status snoozed is not triggered, acknowledged or resolved',
    ],
  ];
  it.each(broken)('refuses a payload with %s', (_, mutate, reason) => {
    const result = translatePagerDutyWebhook(
      mutate(fixture('pagerduty', 'incident.triggered')),
    );
    expect(result.kind).toBe('invalid');
    expect((result as { reason: string }).reason).toContain(reason);
  });

  it('drops a link that is not http(s)', () => {
    const payload = fixture('pagerduty', 'incident.triggered');
    payload.event.data.html_url = 'ftp://acme.example.com/incident';
    const result = translatePagerDutyWebhook(payload);
    expect(result.kind === 'change' && result.change.url).toBe(undefined);
  });
});
