import { ConfigReader } from '@backstage/config';
import { readIncidentsConfig } from './config';

const read = (incidents: unknown) =>
  readIncidentsConfig(new ConfigReader({ sla: { incidents } } as any));

describe('readIncidentsConfig', () => {
  it('has both feeds on their default topics and a 60 s cache by default', () => {
    const config = readIncidentsConfig(new ConfigReader({}));
    expect(config.pagerduty).toEqual({ topic: 'pagerduty' });
    expect(config.opsgenie).toEqual({ topic: 'opsgenie' });
    expect(config.catalogCacheTtl.toMillis()).toBe(60_000);
  });

  it('reads topics, the Opsgenie link base, a disabled feed and the cache', () => {
    const config = read({
      pagerduty: { topic: 'pd-incidents' },
      opsgenie: { enabled: false },
      catalogCacheTtl: '10s',
    });
    expect(config.pagerduty).toEqual({ topic: 'pd-incidents' });
    expect(config.opsgenie).toBeUndefined();
    expect(config.catalogCacheTtl.toMillis()).toBe(10_000);
    expect(
      read({
        opsgenie: { alertUrlBase: 'https://acme.app.opsgenie.com' },
        catalogCacheTtl: 0,
      }),
    ).toMatchObject({
      opsgenie: {
        topic: 'opsgenie',
        alertUrlBase: 'https://acme.app.opsgenie.com',
      },
    });
  });

  it('reads the webhook checks', () => {
    expect(
      read({
        pagerduty: { webhookSecrets: ['s1'] },
        opsgenie: { webhookHeader: { name: 'X-Token', value: 'v' } },
      }),
    ).toMatchObject({
      pagerduty: { topic: 'pagerduty', webhookSecrets: ['s1'] },
      opsgenie: {
        topic: 'opsgenie',
        webhookHeader: { name: 'x-token', value: 'v' },
      },
    });
  });

  it.each([
    [{ pagerduty: { webhookSecrets: ['  '] } }, 'empty secret'],
    [
      { opsgenie: { webhookHeader: { name: 'X Token', value: 'v' } } },
      'a header name and a non-empty value',
    ],
    [
      { pagerduty: { topic: 'a/b' } },
      "Invalid topic in config at 'sla.incidents.pagerduty.topic'",
    ],
    [
      { pagerduty: { topic: 'x' }, opsgenie: { topic: 'x' } },
      'pagerduty and opsgenie need different topics',
    ],
    [
      { opsgenie: { alertUrlBase: 'acme.app.opsgenie.com' } },
      "Invalid URL in config at 'sla.incidents.opsgenie.alertUrlBase'",
    ],
    [
      { catalogCacheTtl: { hours: 2 } },
      "Invalid duration in config at 'sla.incidents.catalogCacheTtl'",
    ],
  ])('refuses %j', (incidents, message) => {
    expect(() => read(incidents)).toThrow(message);
  });
});
