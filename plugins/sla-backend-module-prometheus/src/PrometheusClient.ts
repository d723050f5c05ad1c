import { isError } from '@backstage/errors';
import { Duration } from 'luxon';

/** One series of a range query; values may be NaN or ±Infinity. */
export type PrometheusSeries = {
  labels: Record<string, string>;
  samples: Array<{ timestampMillis: number; value: number }>;
};

/** Evaluation instants of a range query: start, start + step, …, end (inclusive). */
export type RangeQueryInstants = {
  startMillis: number;
  endMillis: number;
  step: Duration;
};

/** A response over `maxResponseBytes`: reported as it is, not as a network error. */
class ResponseTooLargeError extends Error {}

/** How much of a response body an error message quotes. */
const BODY_EXCERPT_LENGTH = 300;

/**
 * Runs range queries against the Prometheus HTTP API
 * (`GET /api/v1/query_range`). Every failure (network, timeout, HTTP error,
 * a query Prometheus rejects, a body that is not a range vector) throws an
 * Error whose message says what went wrong; nothing partial is returned.
 */
export class PrometheusClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeout: Duration;
  private readonly maxResponseBytes: number;
  private readonly maxSeries: number;

  constructor(options: {
    baseUrl: string;
    headers?: Record<string, string>;
    timeout: Duration;
    /** A larger body is refused (and no longer read). Default unlimited. */
    maxResponseBytes?: number;
    /** A response with more series is refused. Default unlimited. */
    maxSeries?: number;
  }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.timeout = options.timeout;
    this.maxResponseBytes = options.maxResponseBytes ?? Infinity;
    this.maxSeries = options.maxSeries ?? Infinity;
  }

  async queryRange(
    query: string,
    instants: RangeQueryInstants,
    signal?: AbortSignal,
  ): Promise<PrometheusSeries[]> {
    const url = new URL(`${this.baseUrl}/api/v1/query_range`);
    url.searchParams.set('query', query);
    url.searchParams.set('start', String(instants.startMillis / 1000));
    url.searchParams.set('end', String(instants.endMillis / 1000));
    url.searchParams.set('step', String(instants.step.as('seconds')));
    // Thanos and compatible query layers otherwise answer with whatever
    // stores responded, which would be recorded as final data; plain
    // Prometheus ignores the parameter.
    url.searchParams.set('partial_response', 'false');
    // Prometheus stops evaluating at its own timeout, so a query we gave up
    // on does not keep its CPU busy.
    // Float seconds: Prometheus reads "1.5" but not "1.5s".
    url.searchParams.set('timeout', String(this.timeout.as('seconds')));

    const timeoutSignal = AbortSignal.timeout(this.timeout.toMillis());
    const requestSignal = signal
      ? AbortSignal.any([signal, timeoutSignal])
      : timeoutSignal;

    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        headers: { Accept: 'application/json', ...this.headers },
        signal: requestSignal,
      });
      body = await readCapped(response, this.maxResponseBytes);
    } catch (error) {
      if (error instanceof ResponseTooLargeError) {
        throw error;
      }
      if (signal?.aborted) {
        throw new Error('the collection was aborted', { cause: error });
      }
      if (timeoutSignal.aborted) {
        throw new Error(
          `Prometheus at ${this.displayUrl()} did not answer within ${this.timeout.as(
            'seconds',
          )} s (timeout)`,
          { cause: error },
        );
      }
      throw new Error(
        `could not reach Prometheus at ${this.displayUrl()}: ${describeNetworkError(
          error,
        )}`,
        { cause: error },
      );
    }
    const series = parseRangeQueryResponse(response, body);
    if (series.length > this.maxSeries) {
      throw new Error(
        `the query returned ${series.length} series, more than the ${this.maxSeries} allowed (sla.prometheus.limits.maxSeries); aggregate it, e.g. sum(…)`,
      );
    }
    return series;
  }

  /** The base URL without credentials, for messages that end up in logs. */
  private displayUrl(): string {
    const url = new URL(this.baseUrl);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  }
}

/**
 * The body as text, read only up to `maxBytes`: a larger body (by its
 * Content-Length or as it streams in) is refused and the rest is not read.
 */
async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<string> {
  const tooLarge = () =>
    new ResponseTooLargeError(
      `the response is larger than ${maxBytes} bytes (sla.prometheus.limits.maxResponseBytes); narrow the query or shorten sla.prometheus.maxRange`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body || maxBytes === Infinity) {
    return response.text();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRangeQueryResponse(
  response: Response,
  body: string,
): PrometheusSeries[] {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    payload = undefined;
  }

  // Prometheus reports bad queries (400), execution errors (422) and its own
  // timeouts (503) with a JSON body that says why.
  if (isRecord(payload) && payload.status === 'error') {
    const errorType =
      typeof payload.errorType === 'string' ? payload.errorType : 'unknown';
    const detail =
      typeof payload.error === 'string' ? payload.error : 'no detail given';
    throw new Error(
      `Prometheus rejected the query (HTTP ${response.status}, ${errorType}): ${detail}`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `Prometheus answered HTTP ${response.status} ${
        response.statusText
      }: ${excerpt(body)}`.trim(),
    );
  }
  if (payload === undefined) {
    throw new Error(
      `malformed response from Prometheus, not JSON: ${excerpt(body)}`,
    );
  }
  if (
    !isRecord(payload) ||
    payload.status !== 'success' ||
    !isRecord(payload.data)
  ) {
    throw new Error(
      `malformed response from Prometheus, expected { status: "success", data }: ${excerpt(
        body,
      )}`,
    );
  }
  const { resultType, result } = payload.data;
  if (resultType !== 'matrix') {
    throw new Error(
      `malformed response from Prometheus, expected a range vector (resultType "matrix"), got ${JSON.stringify(
        resultType,
      )}`,
    );
  }
  if (!Array.isArray(result)) {
    throw new Error(
      'malformed response from Prometheus, data.result is not an array',
    );
  }
  return result.map(parseSeries);
}

function parseSeries(series: unknown): PrometheusSeries {
  if (!isRecord(series) || !Array.isArray(series.values)) {
    throw new Error(
      `malformed response from Prometheus, a series has no values: ${excerpt(
        JSON.stringify(series),
      )}`,
    );
  }
  const labels = isRecord(series.metric)
    ? (series.metric as Record<string, string>)
    : {};
  const samples = series.values.map(sample => {
    if (
      !Array.isArray(sample) ||
      sample.length !== 2 ||
      typeof sample[0] !== 'number' ||
      !Number.isFinite(sample[0]) ||
      typeof sample[1] !== 'string'
    ) {
      throw new Error(
        `malformed response from Prometheus, expected [unix seconds, "value"] samples, got ${excerpt(
          JSON.stringify(sample),
        )}`,
      );
    }
    return {
      timestampMillis: Math.round(sample[0] * 1000),
      value: parseSampleValue(sample[1]),
    };
  });
  return { labels, samples };
}

/** Prometheus writes special floats as `NaN`, `+Inf` and `-Inf`. */
function parseSampleValue(text: string): number {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default: {
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) {
        throw new Error(
          `malformed response from Prometheus, sample value ${JSON.stringify(
            text,
          )} is not a number`,
        );
      }
      return value;
    }
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, DNS, TLS) is in its cause. */
function describeNetworkError(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  // isError rather than instanceof: undici's errors may come from another realm.
  while (isError(current) && messages.length < 4) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages.length ? messages.join(': ') : String(error);
}

function excerpt(text: string): string {
  const singleLine = text.replace(/\s+/g, ' ').trim();
  if (!singleLine) {
    return '(empty body)';
  }
  return singleLine.length > BODY_EXCERPT_LENGTH
    ? `${singleLine.slice(0, BODY_EXCERPT_LENGTH)}…`
    : singleLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
