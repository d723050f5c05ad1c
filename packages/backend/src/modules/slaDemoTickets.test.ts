import { translatePagerDutyWebhook } from '@opensla/backstage-plugin-sla-backend-module-incidents';
import { demoIncident, demoPagerDutyWebhook } from './slaDemoTickets';

describe('the demo PagerDuty incident', () => {
  const incident = demoIncident(Date.parse('2026-12-02T10:11:12Z'));

  it('is anchored to the UTC day, so a restart that day sends the same changes', () => {
    expect(incident.id).toBe('Q20261202CHK');
    expect(demoIncident(Date.parse('2026-12-02T23:59:59Z')).id).toBe(
      incident.id,
    );
    expect(incident.at(0)).toBe('2026-12-01T22:30:00.000Z');
    expect(incident.at(35)).toBe('2026-12-01T23:05:00.000Z');
  });

  it('is what the incidents module reads from a PagerDuty V3 webhook', () => {
    const common = {
      source: 'pagerduty',
      ticketId: 'Q20261202CHK',
      priority: 'P1',
      title: 'Checkout error rate above 5%',
      url: 'https://acme.pagerduty.com/incidents/Q20261202CHK',
    };
    expect(
      translatePagerDutyWebhook(
        demoPagerDutyWebhook(incident, 'incident.triggered', 0),
      ),
    ).toEqual({
      kind: 'change',
      subject: { serviceId: 'PCHKOUT' },
      change: { ...common, at: '2026-12-01T22:30:00.000Z', state: 'new' },
    });
    expect(
      translatePagerDutyWebhook(
        demoPagerDutyWebhook(incident, 'incident.acknowledged', 5),
      ),
    ).toEqual({
      kind: 'change',
      subject: { serviceId: 'PCHKOUT' },
      change: {
        ...common,
        at: '2026-12-01T22:35:00.000Z',
        state: 'in-progress',
      },
    });
  });
});
