// A separate client process for the HTTP benchmarks, as a browser would be:
// sends `count` GET requests one after another (after `warmup` uncounted
// ones) and prints the timings (ms) and the last answer as JSON. A request
// is timed until the last byte of its answer has arrived; parsing the JSON
// in the client is not counted (for 10,000 portfolio items it is the
// browser's 50–80 ms, not the backend's).
// argv: url authorization count warmup; url may be a JSON array of URLs,
// requested in turn (e.g. the same page at moving instants). Server-Timing
// headers, where the server sends them, come back as `serverTimings` (one
// string per counted request).
const [target, authorization, count, warmup] = process.argv.slice(2);
const urls = target.startsWith('[') ? JSON.parse(target) : [target];
const timings = [];
const serverTimings = [];
let body;
for (let i = 0; i < Number(warmup) + Number(count); i++) {
  const url = urls[i % urls.length];
  const t0 = process.hrtime.bigint();
  // one retry when a kept-alive connection was closed under the request
  // (the server's keep-alive timeout racing the next request)
  const res = await fetch(url, { headers: { authorization } }).catch(() =>
    fetch(url, { headers: { authorization } }),
  );
  const bytes = await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // CSV (the portfolio's export): its size and lines, not its text
  body = (res.headers.get('content-type') ?? '').includes('csv')
    ? {
        bytes: bytes.byteLength,
        lines: Buffer.from(bytes).toString('utf8').split('\n').length - 1,
      }
    : JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (res.status !== 200) {
    console.error(`GET ${url} answered ${res.status}: ${JSON.stringify(body)}`);
    process.exit(1);
  }
  if (i >= Number(warmup)) {
    timings.push(ms);
    const serverTiming = res.headers.get('server-timing');
    if (serverTiming) serverTimings.push(serverTiming);
  }
}
console.log(JSON.stringify({ timings, serverTimings, body }));
