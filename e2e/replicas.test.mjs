// Many replicas on one PostgreSQL, and a replica killed mid-stream: two real
// backend processes (e2e/replica/backend.ts: the SLA plugin with the real
// catalog, auth, permission and notification plugins) share one database,
// and the test talks to them only through their public HTTP API (the
// database is read only to check that no batch is half stored).
//
// Needs the local PostgreSQL that scripts/test-all.sh starts
// (SLA_REPLICA_PG, default postgresql://postgres:sla-test@127.0.0.1:5432).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const pgUrl =
  process.env.SLA_REPLICA_PG ?? 'postgresql://postgres:sla-test@127.0.0.1:5432';
const prefix = `replica_${process.pid}_`;
const MINUTE = 60_000;
const BATCH = 100;
const BATCHES = 150;
const CHECKOUT = 'component:default/checkout';
const METRIC = 'replica_requests';
const logs = path.join(root, 'e2e-logs');

/** A replica: a backend process in its own process group. */
function startReplica(name, port) {
  fs.mkdirSync(logs, { recursive: true });
  const out = fs.openSync(path.join(logs, `replica-${name}.log`), 'a');
  const { hostname, port: pgPort, username, password } = new URL(pgUrl);
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'backend.ts',
      '--config',
      'app-config.yaml',
    ],
    {
      cwd: path.join(here, 'replica'),
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
        APP_CONFIG_backend_database_prefix: prefix,
        APP_CONFIG_backend_database_connection_host: hostname,
        APP_CONFIG_backend_database_connection_port: pgPort || '5432',
        APP_CONFIG_backend_database_connection_user: username,
        APP_CONFIG_backend_database_connection_password:
          decodeURIComponent(password),
      },
    },
  );
  const base = `http://localhost:${port}`;
  return {
    name,
    base,
    child,
    /** SIGKILL to the whole process group: no shutdown hooks run. */
    kill() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    async ready() {
      const deadline = Date.now() + 300_000;
      for (;;) {
        try {
          const res = await fetch(`${base}/.backstage/health/v1/readiness`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`replica ${name} did not start; see e2e-logs/replica-${name}.log`);
        }
        await new Promise(r => setTimeout(r, 1000));
      }
    },
  };
}

async function call(replica, token, method, route, body) {
  const res = await fetch(`${replica.base}/api/sla${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

const start = Math.floor((Date.now() - 26 * 24 * 60 * MINUTE) / MINUTE) * MINUTE;
/** Batch k: BATCH one-minute samples of 10 requests, one of them failed. */
function batch(k) {
  return {
    items: Array.from({ length: BATCH }, (_, i) => ({
      entityRef: CHECKOUT,
      metric: METRIC,
      timestamp: new Date(start + (k * BATCH + i) * MINUTE).toISOString(),
      good: i === 0 ? 9 : 10,
      total: 10,
    })),
  };
}

describe('replicas on one PostgreSQL', () => {
  let a;
  let b;
  let token;
  let agreementId;
  let db;

  before(async () => {
    // One after the other: Backstage's catalog fails its start when another
    // process holds its migration lock (a rolling deploy starts pods in turn).
    a = startReplica('a', 7101);
    await a.ready();
    b = startReplica('b', 7102);
    await b.ready();
    const res = await fetch(`${a.base}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    token = (await res.json()).backstageIdentity.token;
    // the catalog ingests the demo entities shortly after the start
    const deadline = Date.now() + 180_000;
    for (;;) {
      const access = await call(b, token, 'GET', `/access?entityRef=${CHECKOUT}`);
      if (access.status === 200 && access.body.update) break;
      if (Date.now() > deadline) throw new Error(`checkout never became editable: ${JSON.stringify(access.body)}`);
      await new Promise(r => setTimeout(r, 2000));
    }
    const created = await call(a, token, 'POST', '/agreements', {
      kind: 'SLA',
      scope: 'service',
      entityRef: CHECKOUT,
      title: 'Replica test SLA',
      targets: [
        {
          name: 'Availability',
          aspect: 'availability',
          metric: METRIC,
          sli: { kind: 'ratio' },
          objective: 99.95,
          window: { type: 'rolling', duration: 'P28D' },
        },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    agreementId = created.body.id;
    for (const to of ['draft', 'negotiation', 'agreed']) {
      const moved = await call(b, token, 'POST', `/agreements/${agreementId}/transitions`, { to });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
    }
    // pluginDivisionMode database: one database per plugin, named prefix + id
    db = new Client({ connectionString: `${pgUrl}/${prefix}sla` });
    await db.connect();
  });

  after(async () => {
    await db?.end();
    a?.kill();
    b?.kill();
  });

  it('keeps every acknowledged batch whole when a replica is killed mid-stream, and totals exact after re-sending', async () => {
    const acknowledged = new Set();
    let sent = 0;
    let killedAt;
    // stream batches to replica a; kill its process group (SIGKILL) while
    // one is in flight once 20 have been acknowledged
    while (sent < BATCHES) {
      const k = sent++;
      const pending = call(a, token, 'POST', '/measurements', batch(k)).then(
        r => r,
        () => undefined,
      );
      if (acknowledged.size >= 20 && killedAt === undefined) {
        await new Promise(r => setTimeout(r, 15));
        killedAt = k;
        a.kill();
      }
      const res = await pending;
      if (killedAt !== undefined) break;
      assert.ok(res && res.status < 300, `batch ${k}: ${res && JSON.stringify(res.body)}`);
      acknowledged.add(k);
    }
    assert.ok(killedAt !== undefined, 'the replica was killed mid-stream');

    // restarted on the same database
    a = startReplica('a', 7101);
    await a.ready();
    const stored = await db.query(
      `select (s.ts - $1::bigint) / ${MINUTE * BATCH} as k, count(*)::int as n
         from sla_ratio_samples s join sla_series r on r.id = s.series_id
        where r.metric = $2 group by 1 order by 1`,
      [start, METRIC],
    );
    const counts = new Map(stored.rows.map(r => [Number(r.k), r.n]));
    for (const k of acknowledged) {
      assert.equal(counts.get(k), BATCH, `acknowledged batch ${k} is whole`);
    }
    for (const [k, n] of counts) {
      assert.equal(n, BATCH, `batch ${k} is whole or absent, not half there (${n})`);
    }

    // re-send everything, through both replicas at once
    const all = Array.from({ length: BATCHES }, (_, k) => k);
    await Promise.all(
      [a, b].map(async (replica, i) => {
        for (const k of all.filter(x => x % 2 === i)) {
          const res = await call(replica, token, 'POST', '/measurements', batch(k));
          assert.ok(res.status < 300, JSON.stringify(res.body));
        }
      }),
    );
    // and once more in full through b: duplicates change nothing
    for (const k of all.slice(0, 10)) {
      await call(b, token, 'POST', '/measurements', batch(k));
    }
    const at = new Date(start + BATCHES * BATCH * MINUTE + MINUTE).toISOString();
    const [fromA, fromB] = await Promise.all(
      [a, b].map(r => call(r, token, 'GET', `/attainment?entityRef=${CHECKOUT}&at=${at}`)),
    );
    assert.equal(fromA.status, 200, JSON.stringify(fromA.body));
    // either replica answers the same, right after the other's writes
    assert.deepEqual(fromA.body, fromB.body);
    const target = fromA.body.items.find(t => t.agreementId === agreementId);
    const requests = BATCHES * BATCH * 10;
    assert.equal(target.counted, requests);
    // one failed request per batch
    assert.ok(
      Math.abs(target.attainment - (100 * (requests - BATCHES)) / requests) < 1e-9,
      `attainment ${target.attainment}`,
    );

    // a new minute through a, read at once through b: the same figures
    const extra = await call(a, token, 'POST', '/measurements', {
      items: [
        {
          entityRef: CHECKOUT,
          metric: METRIC,
          timestamp: new Date(start + BATCHES * BATCH * MINUTE).toISOString(),
          good: 10,
          total: 10,
        },
      ],
    });
    assert.equal(extra.status, 200, JSON.stringify(extra.body));
    const readB = await call(b, token, 'GET', `/attainment?entityRef=${CHECKOUT}&at=${at}`);
    const readA = await call(a, token, 'GET', `/attainment?entityRef=${CHECKOUT}&at=${at}`);
    assert.deepEqual(readB.body, readA.body);
    assert.equal(
      readB.body.items.find(t => t.agreementId === agreementId).counted,
      requests + 10,
    );
  });

  it('opens one breach per breached target, with one review, whichever replica evaluates', async () => {
    // a burst of failures now, posted through both replicas at the same time
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const failing = i => ({
      items: [
        {
          entityRef: CHECKOUT,
          metric: METRIC,
          timestamp: new Date(now - (i + 1) * MINUTE).toISOString(),
          good: 0,
          total: 100_000,
        },
      ],
    });
    // and unhappy feedback on the same service through both at once, each
    // scored answer evaluating the service again on its replica
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) =>
        call(i % 2 ? a : b, token, 'POST', '/measurements', failing(i)),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        call(i % 2 ? a : b, token, 'POST', '/feedback', {
          entityRef: CHECKOUT,
          kind: 'impromptu',
          score: 1,
        }),
      ),
    ]);
    for (const res of answers) {
      assert.ok(res.status < 300, JSON.stringify(res.body));
    }
    const deadline = Date.now() + 120_000;
    let open;
    for (;;) {
      const res = await call(b, token, 'GET', `/breaches?entityRef=${CHECKOUT}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      open = res.body.items.filter(x => x.agreementId === agreementId && !x.closedAt);
      if (open.length || Date.now() > deadline) break;
      await new Promise(r => setTimeout(r, 2000));
    }
    assert.equal(open.length, 1, `one open breach: ${JSON.stringify(open)}`);
    const reviews = await call(a, token, 'GET', `/reviews?agreementId=${agreementId}`);
    const forBreach = reviews.body.items.filter(r => r.trigger?.breachId === open[0].id);
    assert.equal(forBreach.length, 1);
    // one notification per opening: each owner got "is breached" once; a
    // second send with the same scope would have updated the row
    const notes = new Client({ connectionString: `${pgUrl}/${prefix}notifications` });
    await notes.connect();
    try {
      const { rows } = await notes.query(
        `select "user", updated from notification where topic = $1 and title like '%is breached%'`,
        [`sla:${agreementId}:${open[0].targetId}`],
      );
      assert.ok(rows.length > 0, 'the owners were told');
      assert.equal(new Set(rows.map(r => r.user)).size, rows.length);
      assert.deepEqual(rows.filter(r => r.updated !== null), [], 'never sent twice');
    } finally {
      await notes.end();
    }
  });
  it('shares the time-driven rounds: every entity due evaluated, none twice in a round, by both replicas', async () => {
    // more agreements in force, created and agreed through both replicas
    const refs = [
      'component:default/storefront-web',
      'component:default/cart',
      'component:default/payments',
      'component:default/promotions',
      'api:default/checkout-api',
      'api:default/cart-api',
      'api:default/payments-api',
      'api:default/promotions-api',
      'system:default/online-store',
    ];
    for (const [i, entityRef] of refs.entries()) {
      const replica = i % 2 ? a : b;
      const created = await call(replica, token, 'POST', '/agreements', {
        kind: 'SLA',
        scope: 'service',
        entityRef,
        title: `Round test SLA ${i}`,
        targets: [
          {
            name: 'Availability',
            aspect: 'availability',
            metric: METRIC,
            sli: { kind: 'ratio' },
            objective: 99,
            window: { type: 'rolling', duration: 'P7D' },
          },
        ],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      for (const to of ['draft', 'negotiation', 'agreed']) {
        // the demo's dependencies multiply: agree whatever they support
        const moved = await call(replica, token, 'POST', `/agreements/${created.body.id}/transitions`, {
          to,
          ...(to === 'agreed' ? { viabilityOverride: { reason: 'replica test' } } : {}),
        });
        assert.equal(moved.status, 200, JSON.stringify(moved.body));
      }
    }
    const expected = new Set([CHECKOUT, ...refs].map(r => r.toLowerCase()));
    // rounds every minute on each replica (e2e/replica/app-config.yaml);
    // the rounds table's key (round, entity) is what keeps an entity from
    // being evaluated twice in a round. Rounds visit only the targets whose
    // status may have changed (issue 14 item 1): a new agreement is due in
    // the first round after it is agreed, a healthy one then holds for days,
    // a breached one (checkout) is due every round. Look at the rounds that
    // started after the agreements until every entity was visited in two
    // rounds or more have passed.
    const since = Date.now();
    const deadline = since + 200_000;
    let rounds = [];
    for (;;) {
      const { rows } = await db.query(
        `select round_at::bigint as round_at, entity_ref, claimed_by
           from sla_evaluation_rounds where round_at >= $1`,
        [Math.ceil(since / MINUTE) * MINUTE],
      );
      const byRound = new Map();
      for (const r of rows) {
        const list = byRound.get(String(r.round_at)) ?? [];
        list.push(r);
        byRound.set(String(r.round_at), list);
      }
      rounds = [...byRound.values()];
      const visited = new Set(rows.map(r => r.entity_ref));
      const owners = new Set(rows.map(r => r.claimed_by));
      if (
        (rounds.length >= 2 && [...expected].every(ref => visited.has(ref)) && owners.size === 2) ||
        Date.now() > deadline
      ) {
        break;
      }
      await new Promise(r => setTimeout(r, 5000));
    }
    assert.ok(rounds.length >= 2, `two rounds seen (${rounds.length})`);
    const visited = new Set(rounds.flat().map(r => r.entity_ref));
    for (const ref of expected) assert.ok(visited.has(ref), `${ref} evaluated by a round`);
    for (const list of rounds) {
      const seen = list.map(r => r.entity_ref);
      assert.equal(new Set(seen).size, seen.length, 'no entity twice in a round');
    }
    const owners = new Set(rounds.flat().map(r => r.claimed_by));
    assert.equal(owners.size, 2, `both replicas took part: ${[...owners].join(', ')}`);
  });
});
