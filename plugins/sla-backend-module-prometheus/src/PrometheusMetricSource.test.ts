import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Measurement, Target } from '@opensla/backstage-plugin-sla-common';
import type { MeasurableTarget } from '@opensla/backstage-plugin-sla-node';
import { Duration } from 'luxon';
import { delay, http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { freeLocalPort } from './__testUtils__/freeLocalPort';
import { PrometheusMetricSource } from './PrometheusMetricSource';
import { PrometheusMetricSourceOptions } from './readPrometheusConfig';

const BASE_URL = 'http://127.0.0.1:9090';
const ENTITY_REF = 'component:default/checkout';

const server = setupServer();
registerMswTestHooks(server);

/** A series of the fake Prometheus: its value at an instant (unix seconds), or undefined for no sample. */
type FakeSeries = {
  labels?: Record<string, string>;
  valueAt: (unixSeconds: number) => string | undefined;
};

type RecordedRequest = {
  query: string;
  start: number;
  end: number;
  step: number;
  headers: Headers;
};

/**
 * Answers range queries like Prometheus does: one sample per step from
 * start to end inclusive, for each series of the query.
 */
function fakePrometheus(
  seriesByQuery: Record<string, FakeSeries[]>,
): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  server.use(
    http.get(`${BASE_URL}/api/v1/query_range`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const recorded = {
        query: params.get('query') ?? '',
        start: Number(params.get('start')),
        end: Number(params.get('end')),
        step: Number(params.get('step')),
        headers: request.headers,
      };
      requests.push(recorded);
      const series = seriesByQuery[recorded.query];
      if (!series) {
        return HttpResponse.json(
          {
            status: 'error',
            errorType: 'bad_data',
            error: `unknown query ${recorded.query}`,
          },
          { status: 400 },
        );
      }
      const result = series
        .map(s => {
          const values: Array<[number, string]> = [];
          for (let t = recorded.start; t <= recorded.end; t += recorded.step) {
            const value = s.valueAt(t);
            if (value !== undefined) {
              values.push([t, value]);
            }
          }
          return { metric: s.labels ?? {}, values };
        })
        .filter(s => s.values.length > 0);
      return HttpResponse.json({
        status: 'success',
        data: { resultType: 'matrix', result },
      });
    }),
  );
  return requests;
}

/** Answers every range query with the given response. */
function prometheusAnswering(
  respond: () => Response | Promise<Response>,
): void {
  server.use(http.get(`${BASE_URL}/api/v1/query_range`, respond));
}

function createSource(
  overrides: Partial<PrometheusMetricSourceOptions> = {},
): PrometheusMetricSource {
  return new PrometheusMetricSource({
    baseUrl: BASE_URL,
    headers: {},
    timeout: Duration.fromObject({ seconds: 5 }),
    step: Duration.fromObject({ minutes: 1 }),
    maxRange: Duration.fromObject({ days: 1 }),
    // These tests cover running owners' own PromQL; the policy has its own tests.
    allowFreeQueries: true,
    ...overrides,
  });
}

function ratioTarget(
  options: {
    source?: Target['source'];
    annotations?: Record<string, string>;
  } = {},
): MeasurableTarget {
  return {
    entityRef: ENTITY_REF,
    agreementId: 'agreement-1',
    annotations: options.annotations ?? {},
    target: {
      id: 'availability',
      name: 'Availability',
      aspect: 'availability',
      metric: 'availability',
      sli: { kind: 'ratio' },
      objective: 99.9,
      window: { type: 'rolling', duration: 'P28D' },
      ...(options.source ? { source: options.source } : {}),
    },
  };
}

function thresholdTarget(
  options: {
    operator?: 'lte' | 'gte';
    timeslice?: string;
    source?: Target['source'];
    annotations?: Record<string, string>;
  } = {},
): MeasurableTarget {
  return {
    entityRef: ENTITY_REF,
    agreementId: 'agreement-1',
    annotations: options.annotations ?? {},
    target: {
      id: 'latency',
      name: 'Latency',
      aspect: 'performance',
      metric: 'latency-p99',
      sli: {
        kind: 'threshold',
        operator: options.operator ?? 'lte',
        threshold: 0.3,
        unit: 's',
      },
      objective: 99,
      window: { type: 'rolling', duration: 'P28D' },
      ...(options.timeslice ? { timeslice: options.timeslice } : {}),
      ...(options.source ? { source: options.source } : {}),
    },
  };
}

const GOOD = 'sum(increase(http_requests_total{code!~"5.."}[1m]))';
const TOTAL = 'sum(increase(http_requests_total[1m]))';
const LATENCY =
  'histogram_quantile(0.99, sum by (le) (rate(latency_bucket[1m])))';

const prometheusRatioSource = {
  type: 'prometheus',
  good: GOOD,
  total: TOTAL,
};

/** 2024-01-15T10:00:00Z in unix seconds. */
const T0 = Date.UTC(2024, 0, 15, 10) / 1000;

function at(minutesAfterT0: number): Date {
  return new Date((T0 + minutesAfterT0 * 60) * 1000);
}

function constant(value: string): FakeSeries {
  return { valueAt: () => value };
}

function timestampsOf(measurements: Measurement[]): Array<string | undefined> {
  return measurements.map(m => ('timestamp' in m ? m.timestamp : undefined));
}

function collectOptions() {
  return { logger: mockServices.logger.mock() };
}

describe('PrometheusMetricSource', () => {
  describe('canMeasure', () => {
    const source = createSource();

    it.each([
      [
        'a ratio target with good and total in its source',
        ratioTarget({ source: prometheusRatioSource }),
        true,
      ],
      [
        'a ratio target with good and total annotations',
        ratioTarget({
          annotations: {
            'sla/prometheus.availability.good': GOOD,
            'sla/prometheus.availability.total': TOTAL,
          },
        }),
        true,
      ],
      [
        'a ratio target whose prometheus source leaves the queries to annotations',
        ratioTarget({
          source: { type: 'prometheus' },
          annotations: {
            'sla/prometheus.availability.good': GOOD,
            'sla/prometheus.availability.total': TOTAL,
          },
        }),
        true,
      ],
      [
        'a ratio target with only a good annotation',
        ratioTarget({
          annotations: { 'sla/prometheus.availability.good': GOOD },
        }),
        false,
      ],
      [
        'a ratio target with annotations of another metric',
        ratioTarget({
          annotations: {
            'sla/prometheus.latency.good': GOOD,
            'sla/prometheus.latency.total': TOTAL,
          },
        }),
        false,
      ],
      [
        'a ratio target with blank queries',
        ratioTarget({ source: { type: 'prometheus', good: ' ', total: '' } }),
        false,
      ],
      [
        'a ratio target whose source is another module',
        ratioTarget({
          source: { type: 'datadog', good: GOOD, total: TOTAL },
          annotations: {
            'sla/prometheus.availability.good': GOOD,
            'sla/prometheus.availability.total': TOTAL,
          },
        }),
        false,
      ],
      ['a ratio target without queries', ratioTarget(), false],
      [
        'a threshold target with a value in its source',
        thresholdTarget({ source: { type: 'prometheus', value: LATENCY } }),
        true,
      ],
      [
        'a threshold target with a value annotation',
        thresholdTarget({
          annotations: { 'sla/prometheus.latency-p99.value': LATENCY },
        }),
        true,
      ],
      [
        'a threshold target with only ratio queries',
        thresholdTarget({ source: prometheusRatioSource }),
        false,
      ],
      [
        'a duration target, even with queries',
        {
          ...ratioTarget({ source: prometheusRatioSource }),
          target: {
            ...ratioTarget().target,
            sli: { kind: 'duration' as const, maxDuration: 'PT4H' },
          },
        },
        false,
      ],
    ])('%s', (_name, target, expected) => {
      expect(source.canMeasure(target)).toBe(expected);
    });
  });

  describe('ratio targets', () => {
    it('pairs good and total by timestamp and skips points without a pair or a finite value', async () => {
      // Minutes 0..5: 0 good/total pair, 1 only good, 2 only total,
      // 3 NaN good, 4 an idle minute (0 of 0), 5 +Inf total.
      const goodValues: Record<number, string> = {
        0: '95',
        1: '50',
        3: 'NaN',
        4: '0',
        5: '10',
      };
      const totalValues: Record<number, string> = {
        0: '100',
        2: '60',
        3: '70',
        4: '0',
        5: '+Inf',
      };
      const requests = fakePrometheus({
        [GOOD]: [{ valueAt: t => goodValues[(t - T0) / 60] }],
        [TOTAL]: [{ valueAt: t => totalValues[(t - T0) / 60] }],
      });

      const measurements = await createSource().collect(
        ratioTarget({ source: prometheusRatioSource }),
        { from: at(0), to: at(6) },
        collectOptions(),
      );

      expect(measurements).toEqual([
        {
          entityRef: ENTITY_REF,
          metric: 'availability',
          timestamp: '2024-01-15T10:00:00.000Z',
          good: 95,
          total: 100,
        },
        {
          entityRef: ENTITY_REF,
          metric: 'availability',
          timestamp: '2024-01-15T10:04:00.000Z',
          good: 0,
          total: 0,
        },
      ]);
      expect(requests.map(r => [r.query, r.start, r.end, r.step])).toEqual(
        expect.arrayContaining([
          [GOOD, T0, T0 + 300, 60],
          [TOTAL, T0, T0 + 300, 60],
        ]),
      );
    });

    it('sums several series of a query', async () => {
      fakePrometheus({
        [GOOD]: [
          { labels: { instance: 'a' }, ...constant('40') },
          { labels: { instance: 'b' }, ...constant('50') },
        ],
        [TOTAL]: [
          { labels: { instance: 'a' }, ...constant('45') },
          { labels: { instance: 'b' }, ...constant('55') },
        ],
      });

      const measurements = await createSource().collect(
        ratioTarget({ source: prometheusRatioSource }),
        { from: at(0), to: at(2) },
        collectOptions(),
      );

      expect(measurements).toEqual([
        expect.objectContaining({ good: 90, total: 100 }),
        expect.objectContaining({ good: 90, total: 100 }),
      ]);
    });

    it('refuses points with more good than total events and warns once', async () => {
      fakePrometheus({
        [GOOD]: [{ valueAt: t => (t === T0 + 60 ? '120' : '90') }],
        [TOTAL]: [constant('100')],
      });
      const options = collectOptions();

      const measurements = await createSource().collect(
        ratioTarget({ source: prometheusRatioSource }),
        { from: at(0), to: at(3) },
        options,
      );

      expect(timestampsOf(measurements)).toEqual([
        '2024-01-15T10:00:00.000Z',
        '2024-01-15T10:02:00.000Z',
      ]);
      expect(options.logger.warn).toHaveBeenCalledTimes(1);
      expect(options.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /skipped 1 point\(s\) of metric "availability" of component:default\/checkout .*first at 2024-01-15T10:01:00.000Z \(good 120, total 100\)/,
        ),
      );
    });

    it('sends the configured headers', async () => {
      const requests = fakePrometheus({
        [GOOD]: [constant('1')],
        [TOTAL]: [constant('1')],
      });

      await createSource({
        headers: { Authorization: 'Bearer secret-token' },
      }).collect(
        ratioTarget({ source: prometheusRatioSource }),
        { from: at(0), to: at(1) },
        collectOptions(),
      );

      expect(requests).toHaveLength(2);
      for (const request of requests) {
        expect(request.headers.get('authorization')).toBe(
          'Bearer secret-token',
        );
      }
    });
  });

  describe('threshold targets', () => {
    const latencySource = { type: 'prometheus', value: LATENCY };

    it('takes the highest value of several series for an lte threshold, skipping NaN and Inf', async () => {
      fakePrometheus({
        [LATENCY]: [
          { labels: { pod: 'a' }, valueAt: t => (t === T0 ? '0.2' : '0.1') },
          { labels: { pod: 'b' }, valueAt: t => (t === T0 ? '0.15' : '0.4') },
          { labels: { pod: 'c' }, valueAt: t => (t === T0 ? 'NaN' : '+Inf') },
        ],
      });

      const measurements = await createSource().collect(
        thresholdTarget({ operator: 'lte', source: latencySource }),
        { from: at(0), to: at(2) },
        collectOptions(),
      );

      expect(measurements).toEqual([
        {
          entityRef: ENTITY_REF,
          metric: 'latency-p99',
          timestamp: '2024-01-15T10:00:00.000Z',
          value: 0.2,
        },
        {
          entityRef: ENTITY_REF,
          metric: 'latency-p99',
          timestamp: '2024-01-15T10:01:00.000Z',
          value: 0.4,
        },
      ]);
    });

    it('takes the lowest value of several series for a gte threshold', async () => {
      fakePrometheus({
        [LATENCY]: [
          { labels: { pod: 'a' }, ...constant('0.2') },
          { labels: { pod: 'b' }, ...constant('0.15') },
          { labels: { pod: 'c' }, ...constant('-Inf') },
        ],
      });

      const measurements = await createSource().collect(
        thresholdTarget({ operator: 'gte', source: latencySource }),
        { from: at(0), to: at(1) },
        collectOptions(),
      );

      expect(measurements).toEqual([
        expect.objectContaining({
          timestamp: '2024-01-15T10:00:00.000Z',
          value: 0.15,
        }),
      ]);
    });

    it('evaluates once per timeslice, aligned to the epoch', async () => {
      const requests = fakePrometheus({ [LATENCY]: [constant('0.25')] });

      const measurements = await createSource().collect(
        thresholdTarget({ timeslice: 'PT5M', source: latencySource }),
        { from: at(1), to: at(21) },
        collectOptions(),
      );

      expect(timestampsOf(measurements)).toEqual([
        '2024-01-15T10:05:00.000Z',
        '2024-01-15T10:10:00.000Z',
        '2024-01-15T10:15:00.000Z',
        '2024-01-15T10:20:00.000Z',
      ]);
      expect(requests).toEqual([
        expect.objectContaining({
          start: T0 + 300,
          end: T0 + 1200,
          step: 300,
        }),
      ]);
    });
  });

  describe('time range', () => {
    it('includes from and excludes to, even if Prometheus returns points outside the range', async () => {
      // A Prometheus-compatible server that ignores start and end.
      prometheusAnswering(() =>
        HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: {},
                values: [-1, 0, 1, 2, 3].map(m => [T0 + m * 60, '0.1']),
              },
            ],
          },
        }),
      );

      const measurements = await createSource().collect(
        thresholdTarget({ source: { type: 'prometheus', value: LATENCY } }),
        { from: at(0), to: at(2) },
        collectOptions(),
      );

      expect(timestampsOf(measurements)).toEqual([
        '2024-01-15T10:00:00.000Z',
        '2024-01-15T10:01:00.000Z',
      ]);
    });

    it('asks Prometheus for step-aligned instants in [from, to)', async () => {
      const requests = fakePrometheus({ [LATENCY]: [constant('0.1')] });

      const measurements = await createSource().collect(
        thresholdTarget({ source: { type: 'prometheus', value: LATENCY } }),
        {
          from: new Date((T0 + 30) * 1000),
          to: new Date((T0 + 180) * 1000),
        },
        collectOptions(),
      );

      expect(requests).toEqual([
        expect.objectContaining({ start: T0 + 60, end: T0 + 120, step: 60 }),
      ]);
      expect(timestampsOf(measurements)).toEqual([
        '2024-01-15T10:01:00.000Z',
        '2024-01-15T10:02:00.000Z',
      ]);
    });

    it('does not query when the range holds no step', async () => {
      const requests = fakePrometheus({ [LATENCY]: [constant('0.1')] });

      const measurements = await createSource().collect(
        thresholdTarget({ source: { type: 'prometheus', value: LATENCY } }),
        {
          from: new Date((T0 + 1) * 1000),
          to: new Date((T0 + 59) * 1000),
        },
        collectOptions(),
      );

      expect(measurements).toEqual([]);
      expect(requests).toEqual([]);
    });

    it('splits a range longer than maxRange into contiguous requests', async () => {
      const requests = fakePrometheus({
        [GOOD]: [constant('9')],
        [TOTAL]: [constant('10')],
      });
      const dayMinutes = 24 * 60;

      const measurements = await createSource().collect(
        ratioTarget({ source: prometheusRatioSource }),
        { from: at(0), to: at(3 * dayMinutes + 10) },
        collectOptions(),
      );

      const goodRequests = requests
        .filter(r => r.query === GOOD)
        .map(r => [r.start, r.end]);
      const day = dayMinutes * 60;
      expect(goodRequests).toEqual([
        [T0, T0 + day - 60],
        [T0 + day, T0 + 2 * day - 60],
        [T0 + 2 * day, T0 + 3 * day - 60],
        [T0 + 3 * day, T0 + 3 * day + 540],
      ]);
      expect(requests.filter(r => r.query === TOTAL)).toHaveLength(4);
      expect(measurements).toHaveLength(3 * dayMinutes + 10);
      expect(new Set(timestampsOf(measurements)).size).toBe(
        measurements.length,
      );
      const timestamps = timestampsOf(measurements);
      expect(timestamps[0]).toBe('2024-01-15T10:00:00.000Z');
      expect(timestamps[timestamps.length - 1]).toBe(
        '2024-01-18T10:09:00.000Z',
      );
    });

    it('keeps each request under the point limit of Prometheus', async () => {
      const requests = fakePrometheus({ [LATENCY]: [constant('0.1')] });

      await createSource({
        maxRange: Duration.fromObject({ days: 30 }),
      }).collect(
        thresholdTarget({ source: { type: 'prometheus', value: LATENCY } }),
        { from: at(0), to: at(12_000) },
        collectOptions(),
      );

      expect(requests.map(r => (r.end - r.start) / r.step + 1)).toEqual([
        11_000, 1_000,
      ]);
    });
  });

  describe('where the queries come from', () => {
    const annotations = {
      'sla/prometheus.availability.good': 'annotated_good',
      'sla/prometheus.availability.total': 'annotated_total',
    };

    it('prefers the target source over annotations', async () => {
      const requests = fakePrometheus({
        [GOOD]: [constant('1')],
        [TOTAL]: [constant('1')],
      });

      await createSource().collect(
        ratioTarget({ source: prometheusRatioSource, annotations }),
        { from: at(0), to: at(1) },
        collectOptions(),
      );

      expect(requests.map(r => r.query).sort()).toEqual([GOOD, TOTAL].sort());
    });

    it('uses the annotations when the target source has no queries', async () => {
      const requests = fakePrometheus({
        annotated_good: [constant('1')],
        annotated_total: [constant('1')],
      });

      await createSource().collect(
        ratioTarget({ source: { type: 'prometheus' }, annotations }),
        { from: at(0), to: at(1) },
        collectOptions(),
      );

      expect(requests.map(r => r.query).sort()).toEqual([
        'annotated_good',
        'annotated_total',
      ]);
    });

    it('reads a threshold query from its annotation', async () => {
      const requests = fakePrometheus({ annotated_latency: [constant('0.1')] });

      const measurements = await createSource().collect(
        thresholdTarget({
          annotations: {
            'sla/prometheus.latency-p99.value': 'annotated_latency',
          },
        }),
        { from: at(0), to: at(1) },
        collectOptions(),
      );

      expect(requests.map(r => r.query)).toEqual(['annotated_latency']);
      expect(measurements).toHaveLength(1);
    });
  });

  describe('failures', () => {
    const target = ratioTarget({ source: prometheusRatioSource });
    const range = { from: at(0), to: at(5) };

    /** The message names the target and the query, then the cause. */
    function failureMatching(cause: RegExp): RegExp {
      return new RegExp(
        `metric "availability" of component:default/checkout.*${cause.source}.*query: sum\\(increase\\(http_requests_total`,
      );
    }

    it('throws when Prometheus does not answer within the timeout', async () => {
      prometheusAnswering(async () => {
        await delay(2_000);
        return HttpResponse.json({
          status: 'success',
          data: { resultType: 'matrix', result: [] },
        });
      });

      await expect(
        createSource({ timeout: Duration.fromMillis(100) }).collect(
          target,
          range,
          collectOptions(),
        ),
      ).rejects.toThrow(
        failureMatching(/did not answer within 0\.1 s \(timeout\)/),
      );
    });

    it('throws when the caller aborts', async () => {
      prometheusAnswering(async () => {
        await delay(2_000);
        return HttpResponse.json({});
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);

      await expect(
        createSource().collect(target, range, {
          ...collectOptions(),
          signal: controller.signal,
        }),
      ).rejects.toThrow(failureMatching(/the collection was aborted/));
    });

    it('throws with the Prometheus error of a bad query', async () => {
      prometheusAnswering(() =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'bad_data',
            error: '1:38: parse error: unclosed left parenthesis',
          },
          { status: 400 },
        ),
      );

      await expect(
        createSource().collect(target, range, collectOptions()),
      ).rejects.toThrow(
        failureMatching(
          /Prometheus rejected the query \(HTTP 400, bad_data\): 1:38: parse error: unclosed left parenthesis/,
        ),
      );
    });

    it('throws when only one of the ratio queries fails', async () => {
      fakePrometheus({ [GOOD]: [constant('1')] });

      await expect(
        createSource().collect(target, range, collectOptions()),
      ).rejects.toThrow(
        /metric "availability" of component:default\/checkout.*bad_data.*query: sum\(increase\(http_requests_total\[1m\]\)\)$/,
      );
    });

    it('throws when Prometheus is down', async () => {
      const unusedPort = await freeLocalPort();
      // Let the request reach the network, where nothing listens.
      server.use(
        http.get(`http://127.0.0.1:${unusedPort}/*`, () => passthrough()),
      );

      await expect(
        createSource({ baseUrl: `http://127.0.0.1:${unusedPort}` }).collect(
          target,
          range,
          collectOptions(),
        ),
      ).rejects.toThrow(
        failureMatching(
          new RegExp(
            `could not reach Prometheus at http://127\\.0\\.0\\.1:${unusedPort}: fetch failed: .*ECONNREFUSED`,
          ),
        ),
      );
    });

    it('throws on an HTTP error', async () => {
      prometheusAnswering(
        () =>
          new HttpResponse('upstream connect error', {
            status: 500,
            statusText: 'Internal Server Error',
          }),
      );

      await expect(
        createSource().collect(target, range, collectOptions()),
      ).rejects.toThrow(
        failureMatching(
          /Prometheus answered HTTP 500 Internal Server Error: upstream connect error/,
        ),
      );
    });

    it('throws on a body that is not JSON', async () => {
      prometheusAnswering(
        () =>
          new HttpResponse('<html>login required</html>', {
            status: 200,
            headers: { 'Content-Type': 'text/html' },
          }),
      );

      await expect(
        createSource().collect(target, range, collectOptions()),
      ).rejects.toThrow(
        failureMatching(
          /malformed response from Prometheus, not JSON: <html>login required<\/html>/,
        ),
      );
    });

    it.each([
      [
        'an instant vector',
        { status: 'success', data: { resultType: 'vector', result: [] } },
        /expected a range vector/,
      ],
      [
        'no data',
        { status: 'success' },
        /expected \{ status: "success", data \}/,
      ],
      [
        'a sample that is not a number',
        {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [{ metric: {}, values: [[T0, 'twelve']] }],
          },
        },
        /sample value "twelve" is not a number/,
      ],
      [
        'a sample without a timestamp',
        {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [{ metric: {}, values: [['1']] }],
          },
        },
        /expected \[unix seconds, "value"\] samples/,
      ],
    ])('throws on JSON of the wrong shape: %s', async (_name, body, cause) => {
      prometheusAnswering(() => HttpResponse.json(body));

      await expect(
        createSource().collect(target, range, collectOptions()),
      ).rejects.toThrow(failureMatching(cause));
    });

    it('throws for a target it cannot measure', async () => {
      await expect(
        createSource().collect(ratioTarget(), range, collectOptions()),
      ).rejects.toThrow(
        'metric "availability" of component:default/checkout has no Prometheus queries',
      );
    });
  });
});
