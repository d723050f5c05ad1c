import {
  coreServices,
  createServiceFactory,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/** A scheduler that only remembers the tasks, so a test can run them. */
export function capturingScheduler() {
  const tasks = new Map<
    string,
    SchedulerServiceTaskScheduleDefinition & { fn: () => Promise<void> }
  >();
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        async scheduleTask(task: any) {
          tasks.set(task.id, task);
        },
        createScheduledTaskRunner: (schedule: any) => ({
          async run(task: any) {
            tasks.set(task.id, { ...schedule, ...task });
          },
        }),
        async triggerTask() {},
        async cancelTask() {},
        async getScheduledTasks() {
          return [];
        },
      } as any),
  });
  return { tasks, factory };
}
