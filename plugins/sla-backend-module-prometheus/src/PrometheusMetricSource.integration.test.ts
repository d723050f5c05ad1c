import { existsSync } from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import type { Measurement } from '@opensla/backstage-plugin-sla-common';
import type { MeasurableTarget } from '@opensla/backstage-plugin-sla-node';
import { Duration } from 'luxon';
import {
  PROMETHEUS_BINARY,
  RunningPrometheus,
  startPrometheus,
} from './__testUtils__/startPrometheus';
import { PrometheusMetricSource } from './PrometheusMetricSource';
import { parseQueryTemplate, QueryTemplate } from './queryTemplates';
import { PrometheusMetricSourceOptions } from './readPrometheusConfig';

/*
 * Runs the source against a real Prometheus with backfilled data. Skipped
 * only where Prometheus is not installed and SLA_REQUIRE_PROMETHEUS is not
 * set; CI sets it, so there a missing Prometheus fails the suite.
 */
const prometheusRequired = Boolean(process.env.SLA_REQUIRE_PROMETHEUS);
const prometheusInstalled = existsSync(PROMETHEUS_BINARY);
const describeWithPrometheus =
  prometheusInstalled || prometheusRequired ? describe : describe.skip;

/** The measured hour: 2024-01-15T10:00Z to 11:00Z, in unix seconds. */
const HOUR_START = Date.UTC(2024, 0, 15, 10) / 1000;
const HOUR_END = HOUR_START + 3600;
/** Samples start before and end after the hour, so that the first minute has a full [1m] range and points at or after the end exist. */
const DATA_START = HOUR_START - 5 * 60;
const DATA_END = HOUR_END + 5 * 60;
const SCRAPE_INTERVAL_SECONDS = 15;

/**
 * Events per minute, for the minute that ends at HOUR_START + m minutes.
 * Multiples of 4, so each 15 s scrape adds a whole quarter.
 */
function okRequestsInMinute(m: number): number {
  return 60 + 4 * mod(m, 3);
}
function failedRequestsInMinute(m: number): number {
  return mod(m, 10) === 0 ? 8 : 0;
}

/** Per-minute p99 latency of two instances; the worse of them counts. */
const LATENCY_OF_A = ['0.1', '0.15', '0.2', '0.25', '0.3'];
function latencyOfA(m: number): string {
  return LATENCY_OF_A[mod(m, 5)];
}
function latencyOfB(m: number): string {
  return m === 7 || m === 42 ? '0.9' : '0.2';
}

const OTHER_SERVICE_REQUESTS_PER_MINUTE = 100_000;

function mod(n: number, divisor: number): number {
  return ((n % divisor) + divisor) % divisor;
}

/**
 * Counters scraped every 15 s, each scrape adding a quarter of its minute's
 * events (so the rate is constant within a minute), and gauges sampled at
 * every whole minute.
 */
function backfillOpenMetrics(): string {
  const lines: string[] = [
    '# HELP http_requests Requests served.',
    '# TYPE http_requests counter',
  ];
  const counters: Array<[string, (m: number) => number]> = [
    ['200', okRequestsInMinute],
    ['500', failedRequestsInMinute],
  ];
  for (const [code, eventsInMinute] of counters) {
    let value = 1000;
    for (let t = DATA_START; t <= DATA_END; t += SCRAPE_INTERVAL_SECONDS) {
      if (t > DATA_START) {
        // A scrape at t belongs to the minute (t rounded up to the minute).
        const minute = Math.ceil((t - HOUR_START) / 60);
        value += eventsInMinute(minute) / 4;
      }
      lines.push(
        `http_requests_total{code="${code}",job="checkout"} ${value} ${t}`,
      );
    }
  }
  // Another service's requests, which no query for checkout may select.
  let otherValue = 0;
  for (let t = DATA_START; t <= DATA_END; t += SCRAPE_INTERVAL_SECONDS) {
    otherValue += t > DATA_START ? OTHER_SERVICE_REQUESTS_PER_MINUTE / 4 : 0;
    lines.push(
      `http_requests_total{code="200",job="payments"} ${otherValue} ${t}`,
    );
  }
  lines.push(
    '# HELP request_latency_p99_seconds p99 request latency per instance.',
    '# TYPE request_latency_p99_seconds gauge',
  );
  const gauges: Array<[string, (m: number) => string]> = [
    ['a', latencyOfA],
    ['b', latencyOfB],
  ];
  for (const [instance, latency] of gauges) {
    for (let t = DATA_START; t <= DATA_END; t += 60) {
      const minute = (t - HOUR_START) / 60;
      lines.push(
        `request_latency_p99_seconds{instance="${instance}"} ${latency(
          minute,
        )} ${t}`,
      );
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

const ENTITY_REF = 'component:default/checkout';
const GOOD_QUERY =
  'sum(increase(http_requests_total{job="checkout",code="200"}[1m]))';
const TOTAL_QUERY = 'sum(increase(http_requests_total{job="checkout"}[1m]))';
const LATENCY_QUERY = 'request_latency_p99_seconds';

function ratioTarget(total = TOTAL_QUERY): MeasurableTarget {
  return {
    entityRef: ENTITY_REF,
    agreementId: 'agreement-1',
    annotations: {},
    target: {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'availability',
      sli: { kind: 'ratio' },
      objective: 99,
      window: { type: 'rolling', duration: 'P28D' },
      source: { type: 'prometheus', good: GOOD_QUERY, total },
    },
  };
}

const latencyTarget: MeasurableTarget = {
  entityRef: ENTITY_REF,
  agreementId: 'agreement-1',
  // The query comes from the annotation here, to cover that path for real.
  annotations: { 'sla/prometheus.latency-p99.value': LATENCY_QUERY },
  target: {
    id: 'latency',
    name: 'Latency',
    aspect: 'performance',
    metric: 'latency-p99',
    sli: { kind: 'threshold', operator: 'lte', threshold: 0.3, unit: 's' },
    objective: 95,
    window: { type: 'rolling', duration: 'P28D' },
    timeslice: 'PT1M',
  },
};

const theHour = {
  from: new Date(HOUR_START * 1000),
  to: new Date(HOUR_END * 1000),
};

function minutesOfTheHour(): number[] {
  return Array.from({ length: 60 }, (_, m) => m);
}

function ratioCounts(measurement: Measurement): {
  good: number;
  total: number;
} {
  if (!('good' in measurement)) {
    throw new Error(`not a ratio measurement: ${JSON.stringify(measurement)}`);
  }
  return measurement;
}

function isoMinute(m: number): string {
  return new Date((HOUR_START + m * 60) * 1000).toISOString();
}

describeWithPrometheus('PrometheusMetricSource against Prometheus', () => {
  let prometheus: RunningPrometheus | undefined;

  function createSource(
    maxRange = Duration.fromObject({ days: 1 }),
    options: Partial<PrometheusMetricSourceOptions> = {},
  ) {
    if (!prometheus) {
      throw new Error('Prometheus did not start');
    }
    return new PrometheusMetricSource({
      baseUrl: prometheus.baseUrl,
      headers: {},
      timeout: Duration.fromObject({ seconds: 10 }),
      step: Duration.fromObject({ minutes: 1 }),
      maxRange,
      allowFreeQueries: true,
      ...options,
    });
  }

  beforeAll(async () => {
    if (!prometheusInstalled) {
      throw new Error(
        `SLA_REQUIRE_PROMETHEUS is set but ${PROMETHEUS_BINARY} is missing; install the Debian package prometheus`,
      );
    }
    prometheus = await startPrometheus({ openMetrics: backfillOpenMetrics() });
  }, 30_000);

  afterAll(async () => {
    await prometheus?.stop();
  }, 15_000);

  it('measures a ratio target per minute, without the point at the end of the range', async () => {
    // Prometheus 2 selects [t - 1m, t] for increase(…[1m]) at t: the scrapes
    // at t - 1m and t bound the range exactly, so no extrapolation applies
    // and the increase is the minute's events. (Prometheus 3 selects
    // (t - 1m, t] and extrapolates three scrapes' growth by 4/3, which is
    // the same count because the rate is constant within each minute.)
    const measurements = await createSource().collect(ratioTarget(), theHour, {
      logger: mockServices.logger.mock(),
    });

    expect(measurements).toHaveLength(60);
    minutesOfTheHour().forEach(m => {
      const measurement = measurements[m];
      expect(measurement).toMatchObject({
        entityRef: ENTITY_REF,
        metric: 'availability',
        timestamp: isoMinute(m),
      });
      // Close rather than equal: Prometheus scales by a float ratio.
      expect(ratioCounts(measurement).good).toBeCloseTo(
        okRequestsInMinute(m),
        9,
      );
      expect(ratioCounts(measurement).total).toBeCloseTo(
        okRequestsInMinute(m) + failedRequestsInMinute(m),
        9,
      );
    });
    const sum = (key: 'good' | 'total') =>
      measurements.reduce((acc, m) => acc + ratioCounts(m)[key], 0);
    // 20 minutes each of 60, 64 and 68 good events; 6 minutes with 8 failures.
    expect(sum('good')).toBeCloseTo(3840, 6);
    expect(sum('total')).toBeCloseTo(3888, 6);
  });

  it('measures a threshold target with the worse of two instances per minute', async () => {
    const measurements = await createSource().collect(latencyTarget, theHour, {
      logger: mockServices.logger.mock(),
    });

    expect(measurements).toEqual(
      minutesOfTheHour().map(m => ({
        entityRef: ENTITY_REF,
        metric: 'latency-p99',
        timestamp: isoMinute(m),
        value: Math.max(Number(latencyOfA(m)), Number(latencyOfB(m))),
      })),
    );
    const slicesOverThreshold = measurements.filter(
      m => 'value' in m && m.value > 0.3,
    );
    expect(
      slicesOverThreshold.map(m => ('timestamp' in m ? m.timestamp : '')),
    ).toEqual([isoMinute(7), isoMinute(42)]);
  });

  it('returns the same measurements when the range is split into several requests', async () => {
    const logger = mockServices.logger.mock();
    const whole = await createSource().collect(ratioTarget(), theHour, {
      logger,
    });
    const split = await createSource(
      Duration.fromObject({ minutes: 20 }),
    ).collect(ratioTarget(), theHour, { logger });

    expect(split).toEqual(whole);
  });

  it('throws with the parse error Prometheus gives for a bad query', async () => {
    const badTotal = 'sum(increase(http_requests_total[1m])';

    await expect(
      createSource().collect(ratioTarget(badTotal), theHour, {
        logger: mockServices.logger.mock(),
      }),
    ).rejects.toThrow(
      /metric "availability" of component:default\/checkout from Prometheus: Prometheus rejected the query \(HTTP 400, bad_data\): .*parse error.*; query: sum\(increase\(http_requests_total\[1m\]\)$/,
    );
  });

  describe('with query templates (free PromQL not allowed)', () => {
    const templates = new Map<string, QueryTemplate>(
      [
        {
          name: 'http-availability',
          good: parseQueryTemplate(
            'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}",code="200"}[{{ range }}]))',
          ),
          total: parseQueryTemplate(
            'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}"}[{{ range }}]))',
          ),
        },
        {
          name: 'http-availability-regex',
          good: parseQueryTemplate(
            'sum(increase(http_requests_total{job=~"{{ annotation "prometheus.io/job" }}",code="200"}[{{ range }}]))',
          ),
          total: parseQueryTemplate(
            'sum(increase(http_requests_total{job=~"{{ annotation "prometheus.io/job" }}"}[{{ range }}]))',
          ),
        },
        {
          name: 'p99-by-instance',
          value: parseQueryTemplate(
            'request_latency_p99_seconds{instance=~"{{ param "instances" }}"}',
          ),
        },
      ].map(t => [t.name, t]),
    );

    function templated(options: Partial<PrometheusMetricSourceOptions> = {}) {
      return createSource(undefined, {
        allowFreeQueries: false,
        templates,
        ...options,
      });
    }

    function templateTarget(template: string, job: string): MeasurableTarget {
      const target = ratioTarget();
      return {
        ...target,
        annotations: { 'prometheus.io/job': job },
        target: {
          ...target.target,
          source: { type: 'prometheus', template },
        },
      };
    }

    const logger = mockServices.logger.mock();

    it('measures with a template filled from the entity exactly as with the written-out query', async () => {
      const fromTemplate = await templated().collect(
        templateTarget('http-availability', 'checkout'),
        theHour,
        { logger },
      );
      const written = await createSource().collect(ratioTarget(), theHour, {
        logger,
      });

      expect(fromTemplate).toHaveLength(60);
      expect(fromTemplate).toEqual(written);
    });

    it('refuses free PromQL, naming the config key', async () => {
      await expect(
        templated().collect(ratioTarget(), theHour, { logger }),
      ).rejects.toThrow(
        /refuses metric "availability" of component:default\/checkout: its PromQL is written in the target's source, and free queries are not allowed \(sla\.prometheus\.allowFreeQueries is false\)/,
      );
    });

    it.each([
      [
        'closes the string and adds a query',
        'checkout"}[1m])) or sum(increase(http_requests_total{job="payments',
      ],
      ['closes the matcher and selects everything', 'x", job!="'],
      ['ends with a backslash', 'checkout\\'],
      ['breaks the line', 'checkout"}\n'],
    ])(
      "keeps an annotation that %s one label value: no data, not another service's",
      async (_, job) => {
        // Prometheus accepts the query (no parse error) and finds no series
        // whose job is that literal text.
        const measurements = await templated().collect(
          templateTarget('http-availability', job),
          theHour,
          { logger },
        );
        expect(measurements).toEqual([]);
      },
    );

    it('quotes regular expressions in =~ matchers: ".*" matches only itself', async () => {
      const wildcard = await templated().collect(
        templateTarget('http-availability-regex', '.*'),
        theHour,
        { logger },
      );
      const either = await templated().collect(
        templateTarget('http-availability-regex', 'checkout|payments'),
        theHour,
        { logger },
      );
      const exact = await templated().collect(
        templateTarget('http-availability-regex', 'checkout'),
        theHour,
        { logger },
      );

      // Pasted into the query as it is, the same value would have counted
      // payments' requests as checkout's.
      const pasted = await createSource().collect(
        ratioTarget(
          'sum(increase(http_requests_total{job=~"checkout|payments"}[1m]))',
        ),
        theHour,
        { logger },
      );
      expect(pasted.every(m => ratioCounts(m).total > 100_000)).toBe(true);

      expect(wildcard).toEqual([]);
      expect(either).toEqual([]);
      expect(exact).toHaveLength(60);
      // payments' 100,000 requests a minute never reach checkout's counts
      expect(exact.every(m => ratioCounts(m).total < 1000)).toBe(true);
    });

    it('fails the target whose query returns more series than allowed', async () => {
      const twoInstances: MeasurableTarget = {
        ...latencyTarget,
        annotations: {},
        target: {
          ...latencyTarget.target,
          source: {
            type: 'prometheus',
            template: 'p99-by-instance',
            parameters: { instances: 'a' },
          },
        },
      };
      // One instance is within the cap of one series ...
      await expect(
        templated({ maxSeries: 1 }).collect(twoInstances, theHour, { logger }),
      ).resolves.toHaveLength(60);
      // ... but the query a free-PromQL owner could write returns two.
      await expect(
        createSource(undefined, { maxSeries: 1 }).collect(
          latencyTarget,
          theHour,
          { logger },
        ),
      ).rejects.toThrow(
        /the query returned 2 series, more than the 1 allowed \(sla\.prometheus\.limits\.maxSeries\)/,
      );
    });

    it('fails the target whose response is larger than allowed, without reading it all', async () => {
      await expect(
        templated({ maxResponseBytes: 500 }).collect(
          templateTarget('http-availability', 'checkout'),
          theHour,
          { logger },
        ),
      ).rejects.toThrow(
        /the response is larger than 500 bytes \(sla\.prometheus\.limits\.maxResponseBytes\)/,
      );
      // The same query within the cap answers.
      await expect(
        templated({ maxResponseBytes: 100_000 }).collect(
          templateTarget('http-availability', 'checkout'),
          theHour,
          { logger },
        ),
      ).resolves.toHaveLength(60);
    });

    it('fails the target whose query takes longer than the timeout', async () => {
      await expect(
        templated({ timeout: Duration.fromMillis(1) }).collect(
          templateTarget('http-availability', 'checkout'),
          theHour,
          { logger },
        ),
      ).rejects.toThrow(/did not answer within 0\.001 s \(timeout\)|timeout/);
    });
  });
});
