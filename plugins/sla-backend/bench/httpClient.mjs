// A separate client process for the HTTP benchmarks, as a browser would be:
// sends `count` GET requests one after another (after `warmup` uncounted
// ones) and prints the timings (ms) and the last answer as JSON.
// argv: url authorization count warmup
const [url, authorization, count, warmup] = process.argv.slice(2);
const timings = [];
let body;
for (let i = 0; i < Number(warmup) + Number(count); i++) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization } });
  body = await res.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 200) {
    console.error(`GET ${url} answered ${res.status}: ${JSON.stringify(body)}`);
    process.exit(1);
  }
  if (i >= Number(warmup)) timings.push(ms);
}
console.log(JSON.stringify({ timings, body }));
