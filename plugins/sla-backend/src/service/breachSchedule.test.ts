import {
  coreServices,
  createServiceFactory,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Duration } from 'luxon';
import { databases, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

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
    it('runs every 5 minutes by default and as sla.breaches.schedule says', async () => {
      const byDefault: any[] = [];
      await startSlaBackend(databaseId, {
        features: [recordingScheduler(byDefault)],
      });
      const task = (tasks: any[]) =>
        tasks.find(t => t.id === 'sla-breach-evaluation');
      expect(ms(task(byDefault).frequency)).toBe(5 * 60_000);
      expect(ms(task(byDefault).timeout)).toBe(4 * 60_000);

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
          },
        },
      });
      expect(ms(task(configured).frequency)).toBe(2 * 60_000);
      expect(ms(task(configured).timeout)).toBe(90_000);
      expect(ms(task(configured).initialDelay)).toBe(5_000);
    });
  },
);
