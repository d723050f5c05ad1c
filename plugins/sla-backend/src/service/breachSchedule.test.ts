import {
  coreServices,
  createBackendModule,
  SchedulerServiceTaskDescriptor,
} from '@backstage/backend-plugin-api';
import { databases, startSlaBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/** The plugin's scheduled tasks, as its scheduler lists them after start. */
function taskProbe(into: SchedulerServiceTaskDescriptor[]) {
  return createBackendModule({
    pluginId: 'sla',
    moduleId: 'task-probe',
    register(env) {
      env.registerInit({
        deps: {
          scheduler: coreServices.scheduler,
          lifecycle: coreServices.lifecycle,
        },
        async init({ scheduler, lifecycle }) {
          lifecycle.addStartupHook(async () => {
            into.push(...(await scheduler.getScheduledTasks()));
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())(
  'breach evaluation schedule on %p',
  databaseId => {
    it('runs every 5 minutes by default and as sla.breaches.schedule says', async () => {
      const byDefault: SchedulerServiceTaskDescriptor[] = [];
      await startSlaBackend(databaseId, { features: [taskProbe(byDefault)] });
      const task = (tasks: SchedulerServiceTaskDescriptor[]) =>
        tasks.find(t => t.id === 'sla-breach-evaluation')?.settings;
      expect(task(byDefault)).toMatchObject({
        cadence: 'PT5M',
        timeoutAfterDuration: 'PT4M',
      });

      const configured: SchedulerServiceTaskDescriptor[] = [];
      await startSlaBackend(databaseId, {
        features: [taskProbe(configured)],
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
      expect(task(configured)).toMatchObject({
        cadence: 'PT2M',
        timeoutAfterDuration: 'PT1M30S',
        initialDelayDuration: 'PT5S',
      });
    });
  },
);
