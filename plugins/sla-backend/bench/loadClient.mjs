// autocannon in a separate process (bench/ingestBench.ts): `connections`
// clients for `seconds`, each alternating GET /attainment for one of the
// entities and POST /measurements of a small batch for it. Prints one JSON
// line: requests, errors (non-2xx and socket errors) and latency
// percentiles over every response (autocannon's own table has no p95).
import autocannon from 'autocannon';

const [base, authorization, optionsJson] = process.argv.slice(2);
const o = JSON.parse(optionsJson);
let clock = o.startTs;
let n = 0;
const ref = i => `component:default/svc-${i}`;
const latencies = { get: [], post: [] };
const failures = {};

const instance = autocannon({
  url: base,
  connections: o.connections,
  duration: o.seconds,
  headers: { authorization, 'content-type': 'application/json' },
  requests: [
    {
      method: 'GET',
      setupRequest: req => ({
        ...req,
        path: `${new URL(base).pathname}/attainment?entityRef=${encodeURIComponent(
          ref(n++ % o.entities),
        )}`,
      }),
    },
    {
      method: 'POST',
      setupRequest: req => {
        const entityRef = ref(n % o.entities);
        const items = Array.from({ length: o.batch }, () => ({
          entityRef,
          metric: 'requests',
          timestamp: new Date(clock++).toISOString(),
          good: 100,
          total: 100,
        }));
        return {
          ...req,
          path: `${new URL(base).pathname}/measurements`,
          body: JSON.stringify({ items }),
        };
      },
    },
  ],
});
instance.on('response', (client, statusCode, resBytes, responseTime) => {
  // With one request in flight per connection, the iterator still points
  // at the request this response answers.
  const method = client.requestIterator.currentRequest.method;
  (method === 'POST' ? latencies.post : latencies.get).push(responseTime);
  if (statusCode >= 300) failures[statusCode] = (failures[statusCode] ?? 0) + 1;
});
const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
instance.on('done', result => {
  const all = [...latencies.get, ...latencies.post];
  console.log(
    JSON.stringify({
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      failures,
      p50: pct(all, 50),
      p95: pct(all, 95),
      p99: pct(all, 99),
      get: { n: latencies.get.length, p50: pct(latencies.get, 50), p95: pct(latencies.get, 95) },
      post: { n: latencies.post.length, p50: pct(latencies.post, 50), p95: pct(latencies.post, 95) },
    }),
  );
});
