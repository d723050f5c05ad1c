import { ConfigReader } from '@backstage/config';
import { Duration } from 'luxon';
import { DEFAULT_SCHEDULE, readPrometheusConfig } from './readPrometheusConfig';

function read(prometheus: unknown) {
  return readPrometheusConfig(
    new ConfigReader(
      prometheus === undefined ? {} : ({ sla: { prometheus } } as any),
    ),
  );
}

function millis(duration: Duration | undefined): number | undefined {
  return duration?.toMillis();
}

describe('readPrometheusConfig', () => {
  it('is undefined without sla.prometheus or without a baseUrl', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read({})).toBeUndefined();
    expect(read({ baseUrl: '  ', timeout: '5s' })).toBeUndefined();
  });

  it('applies the defaults', () => {
    const config = read({ baseUrl: 'http://127.0.0.1:9090/' });

    expect(config?.source.baseUrl).toBe('http://127.0.0.1:9090');
    expect(config?.source.headers).toEqual({});
    expect(millis(config?.source.timeout)).toBe(30_000);
    expect(millis(config?.source.step)).toBe(60_000);
    expect(millis(config?.source.maxRange)).toBe(86_400_000);
    expect(config?.schedule).toEqual(DEFAULT_SCHEDULE);
    expect(config?.schedule.frequency).toEqual({ minutes: 5 });
  });

  it('reads headers, durations in every format and the schedule', () => {
    const config = read({
      baseUrl: 'http://127.0.0.1:9090/prometheus',
      headers: { Authorization: 'Bearer token', 'X-Scope-OrgID': 'tenant-1' },
      timeout: 'PT10S',
      step: '5m',
      maxRange: { hours: 12 },
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 2 } },
    });

    expect(config?.source).toMatchObject({
      baseUrl: 'http://127.0.0.1:9090/prometheus',
      headers: { Authorization: 'Bearer token', 'X-Scope-OrgID': 'tenant-1' },
    });
    expect(millis(config?.source.timeout)).toBe(10_000);
    expect(millis(config?.source.step)).toBe(300_000);
    expect(millis(config?.source.maxRange)).toBe(12 * 3_600_000);
    expect(config?.schedule).toEqual({
      frequency: { minutes: 1 },
      timeout: { minutes: 2 },
    });
  });

  it('reads a number as milliseconds', () => {
    const config = read({ baseUrl: 'http://127.0.0.1:9090', timeout: 1500 });

    expect(millis(config?.source.timeout)).toBe(1500);
  });

  it.each([
    [
      { baseUrl: 'not a url' },
      "Invalid URL 'not a url' in config at 'sla.prometheus.baseUrl'",
    ],
    [
      { baseUrl: 'ftp://127.0.0.1' },
      "'sla.prometheus.baseUrl' must be an http(s) URL",
    ],
    [
      { baseUrl: 'http://127.0.0.1', timeout: 'soon' },
      "Invalid duration 'soon' in config at 'sla.prometheus.timeout'",
    ],
    [
      { baseUrl: 'http://127.0.0.1', timeout: 0 },
      "'sla.prometheus.timeout' must be positive",
    ],
    [
      { baseUrl: 'http://127.0.0.1', step: 'PT1.5S' },
      "'sla.prometheus.step' must be a whole number of seconds",
    ],
    [
      { baseUrl: 'http://127.0.0.1', step: 'PT0S' },
      "'sla.prometheus.step' must be a whole number of seconds",
    ],
    [
      { baseUrl: 'http://127.0.0.1', maxRange: 'PT30S' },
      "'sla.prometheus.maxRange' must be at least one step (PT1M)",
    ],
    [
      { baseUrl: 'http://127.0.0.1', schedule: { timeout: { minutes: 1 } } },
      'frequency',
    ],
  ])('refuses invalid config %j', (prometheus, message) => {
    expect(() => read(prometheus)).toThrow(message);
  });

  it('reads templates, the free-query switch and the caps, with safe defaults', () => {
    const defaults = read({ baseUrl: 'http://127.0.0.1:9090' });
    expect(defaults?.source.allowFreeQueries).toBe(false);
    expect(defaults?.source.templates?.size).toBe(0);
    expect(defaults?.source.maxResponseBytes).toBe(8 * 1024 * 1024);
    expect(defaults?.source.maxSeries).toBe(100);

    const config = read({
      baseUrl: 'http://127.0.0.1:9090',
      allowFreeQueries: true,
      limits: { maxResponseBytes: 1000, maxSeries: 3 },
      templates: {
        up: { description: 'Up', value: 'min(up{job="{{ param "job" }}"})' },
      },
    });
    expect(config?.source.allowFreeQueries).toBe(true);
    expect(config?.source.maxResponseBytes).toBe(1000);
    expect(config?.source.maxSeries).toBe(3);
    expect(config?.source.templates?.get('up')).toMatchObject({
      name: 'up',
      description: 'Up',
      value: { text: 'min(up{job="{{ param "job" }}"})' },
    });
  });

  it.each([
    [
      'a value outside a string',
      { t: { value: 'up{job={{ param "job" }}}' } },
      "Config at 'sla.prometheus.templates.t.value': placeholder",
    ],
    [
      'good without total',
      { t: { good: 'sum(up)' } },
      "Config at 'sla.prometheus.templates.t' needs both good and total",
    ],
    [
      'no query at all',
      { t: { description: 'nothing' } },
      "Config at 'sla.prometheus.templates.t' needs good and total",
    ],
  ])('stops at startup on a template with %s', (_, templates, message) => {
    expect(() => read({ baseUrl: 'http://127.0.0.1:9090', templates })).toThrow(
      message,
    );
  });

  it('stops at startup on a cap that is not a positive whole number', () => {
    expect(() =>
      read({ baseUrl: 'http://127.0.0.1:9090', limits: { maxSeries: 0 } }),
    ).toThrow(
      "Config at 'sla.prometheus.limits.maxSeries' must be a positive whole number",
    );
  });
});
