import { mockServices } from '@backstage/backend-test-utils';
import { Duration } from 'luxon';
import { readExpiryConfig } from './expiryConfig';

const read = (expiry?: unknown) =>
  readExpiryConfig(
    mockServices.rootConfig({
      data: expiry === undefined ? {} : { sla: { expiry } as any },
    }),
  );

describe('readExpiryConfig', () => {
  it('runs every 15 minutes, soon after start, with notices 30, 7 and 1 day ahead by default', () => {
    expect(read()).toEqual({
      schedule: {
        frequency: { minutes: 15 },
        timeout: { minutes: 10 },
        initialDelay: { seconds: 10 },
      },
      noticeDays: [30, 7, 1],
    });
  });

  it('reads the frequency as an ISO duration, an object or a cron expression', () => {
    const iso = read({ frequency: 'PT1H' }).schedule.frequency as Duration;
    expect(iso.toMillis()).toBe(3_600_000);
    expect(read({ frequency: { minutes: 5 } }).schedule.frequency).toEqual({
      minutes: 5,
    });
    expect(
      read({ frequency: { cron: '0 * * * *' } }).schedule.frequency,
    ).toEqual({ cron: '0 * * * *' });
  });

  it('reads the notice days, largest first, without duplicates', () => {
    expect(read({ noticeDays: [1, 14, 14, 60] }).noticeDays).toEqual([
      60, 14, 1,
    ]);
    expect(read({ noticeDays: [] }).noticeDays).toEqual([]);
  });

  it('refuses invalid values, naming the key', () => {
    expect(() => read({ frequency: 'soon' })).toThrow(/sla\.expiry\.frequency/);
    expect(() => read({ frequency: { minutes: 0 } })).toThrow(
      /sla\.expiry\.frequency/,
    );
    expect(() => read({ noticeDays: [30, 0] })).toThrow(
      /sla\.expiry\.noticeDays/,
    );
    expect(() => read({ noticeDays: [7.5] })).toThrow(
      /sla\.expiry\.noticeDays/,
    );
    expect(() => read({ noticeDays: '30' })).toThrow(/sla\.expiry\.noticeDays/);
  });
});
