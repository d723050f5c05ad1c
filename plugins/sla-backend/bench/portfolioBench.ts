/*
 * Benchmark of the portfolio as a server-side query (README "Benchmark",
 * issue 14 item 3). Prints figures and asserts nothing. For one database
 * (argv: sqlite | postgres): BENCH_ENTITIES services (default 100,000),
 * each with an agreed SLA of two targets, one in five also under an OLA
 * with one target (240,000 targets at 100,000 services), one breach
 * record per five services, two CSAT answers per service, a catalog of the
 * services owned by 2,000 teams (50 services each at 100,000).
 *
 * The statuses are stored as the breach evaluator and the snapshot task
 * keep them (a status per target evaluated just now; snapshots at the
 * whole hours the previous period's end falls in while the bench runs), so
 * that the bench measures the portfolio and not the evaluator (whose
 * cost at 100,000 services is issue 14 item 1's). Before each series the
 * bench moves every kept status's instant to now, as an evaluator round
 * does every 5 minutes (the first request after it is reported).
 *
 * Then, over HTTP to a backend started with the plugin on that database
 * (authentication and permission decisions by Backstage's test services:
 * a user token, a policy that allows), from a separate client process
 * (bench/httpClient.mjs), each request timed to the last byte:
 * 1. the page's first request (20 rows sorted by status, with the KPIs);
 * 2. the same for one owner's services;
 * 3. a status-filtered page sorted by breaches;
 * 4. the CSV export of every service, with the process's peak memory;
 * then the baseline in the same run: the service method visiting every
 * service per request (`fastPath: false`, the computation before the kept
 * views) against the kept views, p50/p95 and the ratio.
 * BENCH_ITERATIONS (default 20) requests each after 3 warm-up requests.
 */
import os from 'node:os';
import path from 'node:path';
import {
  timeStatements,
  connectInMemoryOrSchema,
  percentile,
  random,
  time,
  timeRequests,
} from './benchSupport';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { Agreement } from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { slaPlugin } from '../src/plugin';
import { portfolioOnDatabase } from '../src/__testUtils__/portfolioOnDatabase';
import { agreementRowsForBulkLoad } from '../src/store/AgreementStore';
import type { PortfolioQuery } from '../src/service/PortfolioService';
import { targetFingerprint } from '../src/domain/portfolio';
import {
  agreement,
  availability,
  latency,
} from '../src/domain/viability/testGraph';

const SERVICES = Number(
  process.env.BENCH_ENTITIES ?? process.env.BENCH_SERVICES ?? 100_000,
);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const BASELINE_ITERATIONS = Number(process.env.BENCH_BASELINE_ITERATIONS ?? 10);
const TEAMS = Math.max(1, Math.round(SERVICES / 50));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERIOD_MS = 30 * DAY;
const CHUNK = 100;

const refOf = (i: number) => `component:default/svc-${i}`;
const teamOf = (i: number) => `group:default/team-${i % TEAMS}`;
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ');

async function insertChunks(db: Knex, table: string, rows: object[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db(table).insert(rows.slice(i, i + CHUNK));
  }
}

async function main() {
  const kind = process.argv[2] ?? 'sqlite';
  const next = random(11);
  const { db, close } = await connectInMemoryOrSchema(
    kind,
    'sla_portfolio_bench',
  );
  const started = Date.now();
  try {
    await db.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
    const agreedAt = new Date(started - 60 * DAY).toISOString();
    const agreements: Agreement[] = [];
    for (let i = 0; i < SERVICES; i++) {
      const sla = agreement(`svc-${i}-sla`, refOf(i), [
        availability(99 + Math.round(next() * 99) / 100),
        latency('latency', 300),
      ]);
      agreements.push({ ...sla, agreedAt, reviewInterval: 'P3M' });
      if (i % 5 === 0) {
        const ola = agreement(
          `svc-${i}-ola`,
          refOf(i),
          [availability(99.5)],
          'OLA',
        );
        agreements.push({ ...ola, agreedAt });
      }
    }
    const [loadMs] = await time(async () => {
      const rows = agreementRowsForBulkLoad(agreements, {
        type: 'created',
        summary: 'bench',
      });
      await insertChunks(db, 'sla_agreements', rows.agreements);
      await insertChunks(db, 'sla_agreement_versions', rows.versions);
      await insertChunks(db, 'sla_targets', rows.targets);
    });

    // Kept statuses: most met, some at risk or breached, a few without data.
    const statusOf = () => {
      const x = next();
      if (x < 0.04) return 'breached';
      if (x < 0.1) return 'at-risk';
      if (x < 0.12) return 'no-data';
      return 'met';
    };
    const targets = agreements.flatMap(a =>
      a.targets.map(t => ({
        a,
        t,
        fingerprint: targetFingerprint(a, t),
      })),
    );
    const now = Date.now();
    await insertChunks(
      db,
      'sla_target_states',
      targets.map(({ a, t, fingerprint }) => ({
        agreement_id: a.id,
        target_id: t.id,
        status: statusOf(),
        warning_level: 0,
        changed_at: new Date(now - 6 * HOUR).toISOString(),
        backfilled_at: now - 6 * HOUR,
        fingerprint,
        evaluated_at: now,
      })),
    );
    // Snapshots at the hours the default period's previous end (30 days
    // back) falls in while the bench runs (as the snapshot task keeps them).
    const firstHour = Math.floor((now - PERIOD_MS) / HOUR) * HOUR;
    for (const at of [firstHour, firstHour + HOUR, firstHour + 2 * HOUR]) {
      await insertChunks(
        db,
        'sla_target_snapshots',
        targets.map(({ a, t, fingerprint }) => ({
          at,
          agreement_id: a.id,
          target_id: t.id,
          entity_ref: a.entityRef,
          status: statusOf(),
          fingerprint,
          kept_at: now,
        })),
      );
    }
    const severities = ['minor', 'major', 'critical'];
    const causes = ['own', 'internal', 'third-party'];
    const breaches = Array.from({ length: SERVICES / 5 }, (_, k) => {
      const opened = now - Math.round(next() * 55 * 24) * HOUR;
      return {
        id: `breach-${k}`,
        entity_ref: refOf(k * 5),
        agreement_id: `svc-${k * 5}-sla`,
        target_id: 'availability',
        opened_at: new Date(opened).toISOString(),
        closed_at:
          k % 4 === 0 ? null : new Date(opened + 6 * HOUR).toISOString(),
        severity: severities[k % 3],
        cause: causes[k % 3],
        details: '{}',
      };
    });
    const feedback = Array.from({ length: SERVICES * 2 }, (_, k) => ({
      id: `feedback-${k}`,
      entity_ref: refOf(k % SERVICES),
      kind: 'impromptu',
      campaign_id: null,
      given_by: `user:default/u-${k}`,
      given_at: new Date(
        now - Math.round(next() * 59 * 24 * 60) * 60_000 - 1,
      ).toISOString(),
      scale: 'csat',
      score: 1 + Math.floor(next() * 5),
      state: null,
      version: 1,
      data: '{}',
    }));
    // one open breach per target: the open ones on distinct targets
    await insertChunks(db, 'sla_breaches', breaches);
    await insertChunks(db, 'sla_feedback', feedback);
    const entities: Entity[] = Array.from({ length: SERVICES }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `svc-${i}`, namespace: 'default' },
      spec: { type: 'service', owner: teamOf(i) },
      relations: [{ type: 'ownedBy', targetRef: teamOf(i) }],
    }));
    console.log(
      `portfolio bench on ${kind}: ${SERVICES} services, ${
        agreements.length
      } agreements, ${targets.length} targets (stored in ${(
        loadMs / 1000
      ).toFixed(1)} s), ${breaches.length} breaches, ${
        feedback.length
      } CSAT answers, ${TEAMS} owners; load average ${load()}`,
    );

    const [startMs, backend] = await time(() =>
      startTestBackend({
        features: [
          slaPlugin,
          mockServices.database.factory({ knex: db }),
          mockServices.rootConfig.factory({ data: {} }),
          catalogServiceMock.factory({ entities }),
        ],
      }),
    );
    const base = `http://127.0.0.1:${backend.server.port()}/api/sla/portfolio`;
    const auth = mockCredentials.user.header();
    const page = '?period=P30D&sort=status&order=asc&limit=20';
    const series: Array<[string, string]> = [
      ['first page + KPIs (20 rows by status)', page],
      [
        `one owner's page (${SERVICES / TEAMS} services)`,
        `${page}&owner=team-7`,
      ],
      [
        'status breached, sorted by breaches desc',
        '?period=P30D&status=breached&sort=breaches&order=desc&limit=20',
      ],
    ];
    // An evaluator round: every kept status's instant moves to now.
    const round = () =>
      db('sla_target_states').update({ evaluated_at: Date.now() });
    const profile = process.env.BENCH_HTTP_PROFILE
      ? await startProfile()
      : undefined;
    const sql = process.env.BENCH_SQL_TIMING ? timeStatements(db) : undefined;
    try {
      // the first request waits for the catalog's graph and reads everything
      const [firstMs] = await time(() => timeRequests(base + page, auth, 1, 0));
      console.log(
        `  backend started in ${(startMs / 1000).toFixed(
          1,
        )} s; first request ${(firstMs / 1000).toFixed(
          1,
        )} s (catalog graph loaded, everything read)`,
      );
      for (const [label, query] of series) {
        await round();
        const after = await timeRequests(base + query, auth, 1, 0);
        const { timings, body } = await timeRequests(
          base + query,
          auth,
          ITERATIONS,
          3,
        );
        console.log(
          `  ${label}: p50 ${percentile(timings, 50).toFixed(
            1,
          )} ms, p95 ${percentile(timings, 95).toFixed(1)} ms (${
            body.items.length
          } rows of ${body.total}, targets met ${
            body.kpis.targetsMetPercent.value
          } %, ${body.kpis.breaches.total.value} breaches, CSAT ${
            body.kpis.csat.value
          } %); first after a round ${after.timings[0].toFixed(
            0,
          )} ms; load ${load()}`,
        );
      }
      await round();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const csv = await timeRequests(`${base}?format=csv`, auth, 3, 1);
      clearInterval(sampler);
      console.log(
        `  CSV export of every service: p50 ${percentile(
          csv.timings,
          50,
        ).toFixed(0)} ms, max ${Math.max(...csv.timings).toFixed(0)} ms (${
          csv.body.lines
        } lines, ${(csv.body.bytes / 2 ** 20).toFixed(1)} MiB); RSS ${(
          rssBefore /
          2 ** 20
        ).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(
          0,
        )} MiB during; load ${load()}`,
      );
    } finally {
      await profile?.stop(process.env.BENCH_HTTP_PROFILE!);
      sql?.print();
      await backend.stop();
    }

    // The baseline in the same run: the service method visiting every
    // service on each request (fastPath: false, the computation before the
    // kept views) against the kept views, same database, same queries; the
    // catalog and the permission decision in memory (no HTTP).
    const byRef = new Map(
      entities.map(e => [`component:default/${e.metadata.name}`, e]),
    );
    const serviceOf = (fastPath: boolean) =>
      portfolioOnDatabase(db, {
        entities: byRef,
        clock: () => new Date(),
        fastPath,
      });
    const paths = { visiting: serviceOf(false), kept: serviceOf(true) };
    const queries: Array<[string, PortfolioQuery]> = [
      ['first page + KPIs', { period: 'P30D', sort: 'status' }],
      ["one owner's page", { period: 'P30D', sort: 'status', owner: 'team-7' }],
      [
        'status breached by breaches',
        { period: 'P30D', status: 'breached', sort: 'breaches', order: 'desc' },
      ],
    ];
    await round();
    for (const [label, query] of queries) {
      const p95s: Record<string, number> = {};
      const lines: string[] = [];
      for (const [name, service] of Object.entries(paths)) {
        await service.portfolio({} as any, query, { limit: 20 });
        const samples: number[] = [];
        for (let i = 0; i < BASELINE_ITERATIONS; i++) {
          const [ms] = await time(() =>
            service.portfolio({} as any, query, { limit: 20 }),
          );
          samples.push(ms);
        }
        p95s[name] = percentile(samples, 95);
        lines.push(
          `${name} p50 ${percentile(samples, 50).toFixed(1)} / p95 ${p95s[
            name
          ].toFixed(1)} ms`,
        );
      }
      lines.push(`kept views ${JSON.stringify(paths.kept.stats)}`);
      console.log(
        `  service method, ${label}: ${lines.join(
          '; ',
        )}; baseline / kept views at p95 ${(p95s.visiting / p95s.kept).toFixed(
          1,
        )}×; load ${load()}`,
      );
    }
    console.log(
      `  process RSS at the end ${(process.memoryUsage().rss / 2 ** 20).toFixed(
        0,
      )} MiB; bench took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await close();
  }
}

/** A CPU profile of the HTTP part (BENCH_HTTP_PROFILE=file), for tuning. */
async function startProfile() {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

main().catch(error => {
  console.error(String(error?.stack ?? error).slice(-1500));
  process.exit(1);
});
