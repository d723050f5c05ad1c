import {
  coreServices,
  createServiceFactory,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Duration } from 'luxon';
import { databases, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

/** A scheduler that records what the plugin schedules and runs nothing. */
function recordingScheduler(
  into: Array<SchedulerServiceTaskScheduleDefinition & { id: string }>,
) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: (): any => ({
      async scheduleTask(task: any) {
        into.push(task);
      },
      createScheduledTaskRunner: () => ({ run: async () => {} }),
      async triggerTask() {},
      async getScheduledTasks() {
        return [];
      },
    }),
  });
}

function ms(value: unknown): number {
  if (Duration.isDuration(value)) return value.toMillis();
  if (typeof value === 'string') return Duration.fromISO(value).toMillis();
  return Duration.fromObject(value as Record<string, number>).toMillis();
}

describe.each(databases.eachSupportedId())(
  'breach evaluation schedule on %p',
  databaseId => {
    it('runs every 5 minutes on every replica by default and as sla.breaches.schedule says', async () => {
      const byDefault: any[] = [];
      await startSlaBackend(databaseId, {
        features: [recordingScheduler(byDefault)],
      });
      const task = (tasks: any[], id = 'sla-breach-evaluation') =>
        tasks.find(t => t.id === id);
      // At the same wall-clock minutes on every replica, which share it.
      expect(task(byDefault).frequency).toEqual({ cron: '*/5 * * * *' });
      expect(task(byDefault).scope).toBe('local');
      expect(ms(task(byDefault).timeout)).toBe(4 * 60_000);
      // Changed entities left over are looked for every 10 seconds.
      const queue = task(byDefault, 'sla-evaluation-queue');
      expect(ms(queue.frequency)).toBe(10_000);
      expect(queue.scope).toBe('local');

      const configured: any[] = [];
      await startSlaBackend(databaseId, {
        features: [recordingScheduler(configured)],
        config: {
          sla: {
            breaches: {
              schedule: {
                frequency: { minutes: 2 },
                timeout: 'PT90S',
                initialDelay: { seconds: 5 },
              },
            },
            evaluation: {
              queueSchedule: {
                frequency: { seconds: 30 },
                timeout: { minutes: 1 },
                scope: 'global',
              },
            },
          },
        },
      });
      expect(ms(task(configured).frequency)).toBe(2 * 60_000);
      expect(ms(task(configured).timeout)).toBe(90_000);
      expect(ms(task(configured).initialDelay)).toBe(5_000);
      // A configured schedule keeps running on every replica...
      expect(task(configured).scope).toBe('local');
      // ...unless it says otherwise.
      const configuredQueue = task(configured, 'sla-evaluation-queue');
      expect(ms(configuredQueue.frequency)).toBe(30_000);
      expect(configuredQueue.scope).toBe('global');
    });
  },
);
