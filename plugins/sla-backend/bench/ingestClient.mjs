// A separate client process for the ingest benchmark (bench/ingestBench.ts),
// as the services pushing measurements would be. Prints one JSON line.
// argv: mode base authorization options-json
//   batch:  POSTs `count` batches of `items` ratio samples (after `warmup`
//           uncounted ones), spread over `entities` entities or all for the
//           first one; timed until the answer's last byte.
//   stream: POSTs batches of `batchSize` samples over `entities` entities
//           with `concurrency` requests in flight for `seconds`, and every
//           `injectEveryMs` sends one breaching sample for a fresh entity,
//           then polls GET /breaches for it every `pollMs`: the breach
//           latency is from the breaching POST's answer to the first poll
//           that shows the breach open.
const [mode, base, authorization, optionsJson] = process.argv.slice(2);
const o = JSON.parse(optionsJson);
const ref = i => `component:default/svc-${i}`;
let clock = o.startTs;
const nextTs = () => new Date(clock++).toISOString();

async function post(items) {
  const t0 = process.hrtime.bigint();
  try {
    const res = await fetch(`${base}/measurements`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, status: res.status, text };
  } catch (error) {
    // A reset connection is an error to count, not the end of the run.
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, status: 0, text: String(error.cause ?? error) };
  }
}

function goodBatch(size, entities, firstEntity = 0) {
  const items = [];
  for (let k = 0; k < size; k++) {
    items.push({
      entityRef: ref(firstEntity + (k % entities)),
      metric: 'requests',
      timestamp: nextTs(),
      good: 100,
      total: 100,
    });
  }
  return items;
}

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length
    ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
    : null;
};

const summary = values => ({
  p50: pct(values, 50),
  p95: pct(values, 95),
  n: values.length,
});

if (mode === 'batch') {
  const timings = [];
  for (let i = 0; i < o.warmup + o.count; i++) {
    const r = await post(goodBatch(o.items, o.entities, o.firstEntity ?? 0));
    if (r.status !== 200) {
      console.error(`POST answered ${r.status}: ${r.text.slice(0, 300)}`);
      process.exit(1);
    }
    if (i >= o.warmup) timings.push(r.ms);
  }
  console.log(JSON.stringify({ timings }));
} else if (mode === 'stream') {
  const end = Date.now() + o.seconds * 1000;
  let sent = 0;
  let errors = 0;
  const failures = [];
  const postTimings = [];
  const latencies = [];
  const missed = [];
  const streamer = async () => {
    while (Date.now() < end) {
      const r = await post(goodBatch(o.batchSize, o.entities));
      if (r.status === 200) sent += o.batchSize;
      else {
        errors++;
        if (failures.length < 3)
          failures.push(`${r.status} ${r.text.slice(0, 300)}`);
      }
      postTimings.push(r.ms);
    }
  };
  // Every other breaching sample goes to an entity of the stream (one
  // never breached before), the others to a fresh entity.
  const streamLatencies = [];
  const injector = async () => {
    let victim = o.firstVictim;
    let streaming = 0;
    let n = 0;
    while (Date.now() + o.injectEveryMs < end) {
      await new Promise(wake => setTimeout(wake, o.injectEveryMs));
      const inStream = n++ % 2 === 1;
      const entityRef = ref(inStream ? streaming++ : victim++);
      const r = await post([
        {
          entityRef,
          metric: 'requests',
          timestamp: nextTs(),
          good: 0,
          total: 1_000_000,
        },
      ]);
      if (r.status !== 200) {
        errors++;
        continue;
      }
      const acked = Date.now();
      let seen = false;
      while (Date.now() - acked < o.giveUpMs) {
        let body = {};
        try {
          const res = await fetch(
            `${base}/breaches?entityRef=${encodeURIComponent(entityRef)}`,
            { headers: { authorization } },
          );
          body = await res.json();
        } catch {
          errors++;
        }
        if ((body.items ?? []).some(b => !b.closedAt)) {
          seen = true;
          break;
        }
        await new Promise(wake => setTimeout(wake, o.pollMs));
      }
      if (seen)
        (inStream ? streamLatencies : latencies).push(Date.now() - acked);
      else missed.push(entityRef);
    }
  };
  const started = Date.now();
  await Promise.all([
    ...Array.from({ length: o.concurrency }, streamer),
    injector(),
  ]);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      samplesPerSecond: sent / seconds,
      errors,
      failures,
      post: { p50: pct(postTimings, 50), p95: pct(postTimings, 95) },
      breachLatency: summary([...latencies, ...streamLatencies]),
      freshBreachLatency: summary(latencies),
      streamBreachLatency: summary(streamLatencies),
      missed,
    }),
  );
}
