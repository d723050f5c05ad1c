import { fixture } from '../__fixtures__';
import { translateOpsgenieWebhook } from './opsgenie';

const subject = {
  tags: ['service:payments', 'prod'],
  details: { component: 'payments-api', env: 'prod' },
  teams: ['4513b7ea-3b91-438f-b7e4-e3e54af9147c', 'payments-oncall'],
  entity: 'payments-api',
  source: 'Alertmanager',
  alias: 'payments-latency-p99',
  message: 'Payments latency p99 above 800 ms',
  integrationName: 'Backstage SLA',
};

describe('translateOpsgenieWebhook', () => {
  it.each([
    // createdAt 1796029083114 ms
    ['Create', '2026-11-30T08:58:03.114Z', 'new', 'P2'],
    // updatedAt in nanoseconds
    ['Acknowledge', '2026-11-30T09:06:21.020Z', 'in-progress', 'P2'],
    ['UnAcknowledge', '2026-11-30T09:36:21.020Z', 'new', 'P2'],
    ['Close', '2026-11-30T10:55:27.500Z', 'closed', 'P1'],
    ['Delete', '2026-11-30T10:56:40.000Z', 'closed', 'P2'],
  ])(
    '%s becomes a change at %s to %s with priority %s',
    (action, at, state, priority) => {
      expect(
        translateOpsgenieWebhook(fixture('opsgenie', action), {
          alertUrlBase: 'https://acme.app.opsgenie.com/',
        }),
      ).toEqual({
        kind: 'change',
        subject,
        change: {
          source: 'opsgenie',
          ticketId: '8418d193-2dab-4490-b331-8c02cdd196b7',
          at,
          state,
          priority,
          title: 'Payments latency p99 above 800 ms',
          url: 'https://acme.app.opsgenie.com/alert/detail/8418d193-2dab-4490-b331-8c02cdd196b7/details',
        },
      });
    },
  );

  it('has no link without alertUrlBase', () => {
    const result = translateOpsgenieWebhook(fixture('opsgenie', 'Create'));
    expect(result.kind === 'change' && 'url' in result.change).toBe(false);
  });

  it.each(['AddNote', 'Snooze', 'UpdatePriority'])('ignores %s', action => {
    expect(translateOpsgenieWebhook(fixture('opsgenie', action))).toEqual({
      kind: 'ignored',
      reason: `action ${action} does not move a ticket`,
    });
  });

  it('ignores actions it does not know, e.g. custom actions', () => {
    const payload = fixture('opsgenie', 'Create');
    payload.action = 'Restart payments';
    expect(translateOpsgenieWebhook(payload).kind).toBe('ignored');
  });

  it('reads a numeric priority and microsecond or string timestamps', () => {
    const payload = fixture('opsgenie', 'Acknowledge');
    payload.alert.priority = 3;
    payload.alert.updatedAt = '1796029581020000';
    const result = translateOpsgenieWebhook(payload);
    expect(result.kind === 'change' && result.change).toMatchObject({
      priority: 'P3',
      at: '2026-11-30T09:06:21.020Z',
    });
  });

  it('takes a Create without createdAt at its updatedAt', () => {
    const payload = fixture('opsgenie', 'Create');
    delete payload.alert.createdAt;
    const result = translateOpsgenieWebhook(payload);
    expect(result.kind === 'change' && result.change.at).toBe(
      '2026-11-30T08:58:03.114Z',
    );
  });

  const broken: Array<[string, (p: any) => unknown, string]> = [
    ['not an object', () => [1, 2], 'payload is not an object'],
    [
      'no action',
      p => {
        delete p.action;
        return p;
      },
      'action is missing',
    ],
    [
      'no alert',
      p => {
        delete p.alert;
        return p;
      },
      'Create: alert is missing',
    ],
    [
      'no alertId',
      p => {
        p.alert.alertId = ' ';
        return p;
      },
      'alert.alertId is missing',
    ],
    [
      'no timestamps',
      p => {
        delete p.alert.createdAt;
        delete p.alert.updatedAt;
        return p;
      },
      'alert.createdAt is not an epoch timestamp',
    ],
    [
      'a date string for a timestamp',
      p => {
        p.alert.createdAt = '2026-11-30';
        delete p.alert.updatedAt;
        return p;
      },
      'is not an epoch timestamp',
    ],
  ];
  it.each(broken)('refuses a payload with %s', (_, mutate, reason) => {
    const result = translateOpsgenieWebhook(
      mutate(fixture('opsgenie', 'Create')),
    );
    expect(result.kind).toBe('invalid');
    expect((result as { reason: string }).reason).toContain(reason);
  });
});

describe('Opsgenie timestamps', () => {
  it.each([
    [1796029581020, '2026-11-30T09:06:21.020Z'],
    [1796029581020000, '2026-11-30T09:06:21.020Z'],
    // nanoseconds that a double cannot hold exactly
    [1796029581020000000, '2026-11-30T09:06:21.020Z'],
    // as a string it is exact (as a JSON number it is already .020 after parsing)
    ['1796029581019999999', '2026-11-30T09:06:21.019Z'],
  ])('reads %p as %s', (updatedAt, at) => {
    const payload = fixture('opsgenie', 'Acknowledge');
    payload.alert.updatedAt = updatedAt;
    const result = translateOpsgenieWebhook(payload);
    expect(result.kind === 'change' && result.change.at).toBe(at);
  });
});
