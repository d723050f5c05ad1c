import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { SlaMetricSource } from '@opensla/backstage-plugin-sla-node';
import { JsonObject } from '@backstage/types';
import {
  Agreement,
  validateMeasurements,
} from '@opensla/backstage-plugin-sla-common';
import type { Knex } from 'knex';
import { createSlaServices } from '../service/createServices';
import { AgreementStore } from '../store/AgreementStore';
import { MeasurementStore } from '../store/MeasurementStore';
import { scheduleSlaTasks } from '../tasks/scheduleTasks';
import { testEntities } from './testBackend';

/** A line a replica logged. */
export type LoggedLine = {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  error?: unknown;
};

function capturingLogger(lines: LoggedLine[]): LoggerService {
  const log =
    (level: LoggedLine['level']) => (message: string, meta?: unknown) => {
      lines.push({ level, message, ...(meta ? { error: meta } : {}) });
    };
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

/** Runs the plugin's migrations on a test database (once per database). */
export async function migrated(knex: Knex): Promise<Knex> {
  return AgreementStore.connect({ getClient: async () => knex } as any);
}

/**
 * One replica of the plugin without an HTTP server: the services of
 * `createSlaServices` on a shared test database, with its own clock, and
 * the scheduled tasks of `scheduleSlaTasks` captured so that a test runs
 * them (with an abort signal) when it wants. Real stores on the real
 * database; only Backstage's own services are test doubles (the catalog
 * mock holds the test catalog; notifications are collected).
 */
export function startReplica(
  knex: Knex,
  options: {
    clock: () => Date;
    config?: JsonObject;
    /** Replaces the test catalog (e.g. to watch or stop its calls). */
    catalog?: CatalogService;
    entities?: Entity[];
    metricSources?: SlaMetricSource[];
    /** Called for each notification after it is collected. */
    onNotification?: (n: NotificationSendOptions) => void;
  },
) {
  const logs: LoggedLine[] = [];
  const notifications: NotificationSendOptions[] = [];
  const config = mockServices.rootConfig({ data: options.config ?? {} });
  const logger = capturingLogger(logs);
  const services = createSlaServices({
    config,
    logger,
    db: knex,
    auth: mockServices.auth(),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions(),
    catalog:
      options.catalog ??
      catalogServiceMock({
        entities: [...testEntities, ...(options.entities ?? [])],
      }),
    notifications: {
      async send(n: NotificationSendOptions) {
        notifications.push(n);
        options.onNotification?.(n);
      },
    },
    urlReader: mockServices.urlReader.mock(),
    metricSourceIds: () => (options.metricSources ?? []).map(s => s.id),
    clock: options.clock,
  });
  const tasks = new Map<
    string,
    SchedulerServiceTaskScheduleDefinition & {
      fn: (signal?: AbortSignal) => Promise<void>;
    }
  >();
  const scheduled = scheduleSlaTasks({
    scheduler: {
      async scheduleTask(task: any) {
        tasks.set(task.id, task);
      },
    } as any,
    config,
    logger,
    services,
    metricSources: (options.metricSources ?? []).map(source => ({ source })),
    clock: options.clock,
  });
  /** Runs a scheduled task as the scheduler would, with `signal`. */
  const run = async (id: string, signal?: AbortSignal) => {
    await scheduled;
    const task = tasks.get(id);
    if (!task) throw new Error(`No task ${id}`);
    await task.fn(signal ?? new AbortController().signal);
  };
  return {
    services,
    run,
    tasks,
    logs,
    notifications,
    /** Service credentials, allowed to push data. */
    credentials: mockCredentials.service(),
  };
}

/**
 * An abort signal that aborts once the database is asked to run a
 * statement matching `sql` (the `n`th such statement, default the first):
 * "the scheduler's timeout passes right after this write". The statement
 * itself runs; the task must stop at its next check.
 */
export function abortOnStatement(
  knex: Knex,
  sql: RegExp,
  n = 1,
): { signal: AbortSignal; aborted: () => boolean; detach: () => void } {
  const controller = new AbortController();
  let seen = 0;
  const listener = (query: { sql: string }) => {
    if (sql.test(query.sql) && ++seen === n) controller.abort();
  };
  knex.on('query', listener);
  return {
    signal: controller.signal,
    aborted: () => controller.signal.aborted,
    detach: () => knex.removeListener('query', listener),
  };
}

const HOUR = 3_600_000;

/** A ratio target over a rolling day, 99 %, agreed three hours before `now`. */
export function agreementFor(
  entityRef: string,
  now: number,
  extra: Partial<Agreement> = {},
): Agreement {
  const name = entityRef.split('/')[1];
  return {
    id: `${name}-sla`,
    kind: 'SLA',
    entityRef,
    title: `${name} SLA`,
    status: 'agreed',
    agreedAt: new Date(now - 3 * HOUR).toISOString(),
    version: 3,
    targets: [
      {
        id: 'requests',
        name: 'requests',
        aspect: 'availability' as const,
        metric: 'requests',
        sli: { kind: 'ratio' as const },
        objective: 99,
        window: { type: 'rolling' as const, duration: 'P1D' },
      },
    ],
    createdAt: new Date(now - 4 * HOUR).toISOString(),
    createdBy: 'user:default/alice',
    updatedAt: new Date(now - 3 * HOUR).toISOString(),
    updatedBy: 'user:default/alice',
    ...extra,
  };
}

export async function insertAgreements(
  knex: Knex,
  refs: string[],
  now: number,
) {
  const store = new AgreementStore(knex);
  for (const ref of refs) {
    await store.insert(agreementFor(ref, now), {
      type: 'created',
      summary: 'test',
    });
  }
}

/**
 * Stores breaching data (every request failed) for `refs` the way
 * `POST /measurements` does: samples and the evaluation queue in one
 * transaction. No replica is woken: the test runs the tasks.
 */
export async function storeFailing(knex: Knex, refs: string[], at: number) {
  const { parsed, errors } = validateMeasurements(
    refs.map(entityRef => ({
      entityRef,
      metric: 'requests',
      timestamp: new Date(at).toISOString(),
      good: 0,
      total: 100,
    })),
  );
  if (errors.length) throw new Error(JSON.stringify(errors));
  await new MeasurementStore(knex).ingest(parsed);
}

export async function openBreaches(knex: Knex) {
  const rows = await knex('sla_breaches').whereNull('closed_at');
  return rows.map(r => r.entity_ref as string).sort();
}
