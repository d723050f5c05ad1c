import {
  describeTarget,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import { newTargetFormValues, targetFormValuesToInput } from './agreementForm';
import {
  TARGET_PRESETS,
  isStandardBusinessHours,
  standardBusinessHours,
} from './targetPresets';

function applied(id: string, metric = 'some_series') {
  const preset = TARGET_PRESETS.find(p => p.id === id)!;
  return targetFormValuesToInput({
    ...newTargetFormValues(),
    metric,
    ...preset.values('Europe/Berlin'),
  });
}

describe('target presets', () => {
  it('each fills a valid target once a metric is chosen', () => {
    for (const preset of TARGET_PRESETS) {
      const target = targetFormValuesToInput({
        ...newTargetFormValues(),
        metric: 'some_series',
        ...preset.values('Europe/Berlin'),
      });
      expect({
        id: preset.id,
        problems: validateAgreementInput({
          kind: 'SLA',
          entityRef: 'component:default/checkout',
          title: 'SLA',
          targets: [target],
        }),
      }).toEqual({ id: preset.id, problems: [] });
    }
  });

  it('availability: 99.9 % of requests over rolling 28 days, a ratio', () => {
    const target = applied('availability-99.9-28d', 'http_requests');
    expect(target).toEqual({
      name: 'Availability',
      aspect: 'availability',
      metric: 'http_requests',
      sli: { kind: 'ratio' },
      objective: 99.9,
      window: { type: 'rolling', duration: 'P28D' },
    });
    expect(describeTarget(target)).toBe(
      '99.9 % of requests succeed over a rolling 28 days',
    );
  });

  it('p95 latency: at most 300 ms, a threshold', () => {
    const target = applied('latency-p95-300ms', 'latency_p95');
    expect(target.sli).toEqual({
      kind: 'threshold',
      operator: 'lte',
      threshold: 300,
      unit: 'ms',
    });
    expect(describeTarget(target)).toBe(
      'latency_p95 ≤ 300 ms in 99 % of 1 minute intervals over a rolling 28 days',
    );
  });

  it('P1 resolution: within 4 business hours, Mon–Fri 09:00–17:00 in the target zone, per month', () => {
    const target = applied('p1-resolution-4h-business', 'incidents');
    expect(target.sli).toEqual({
      kind: 'duration',
      maxDuration: 'PT4H',
      priority: 'P1',
    });
    expect(target.calendar).toEqual(standardBusinessHours('Europe/Berlin'));
    expect(target.window).toEqual({
      type: 'calendar',
      unit: 'month',
      timeZone: 'Europe/Berlin',
    });
    expect(describeTarget(target)).toBe(
      'P1 incidents resolved within 4 business hours, 95 % per month',
    );
  });

  it('the satisfaction XLA names the metric the backend measures from feedback', () => {
    const preset = TARGET_PRESETS.find(p => p.id === 'csat-80-quarter')!;
    expect(preset.values('UTC').metric).toBe('csat');
  });

  it('a preset without business hours clears those of a previous choice', () => {
    const target = targetFormValuesToInput({
      ...newTargetFormValues(),
      metric: 'x',
      ...TARGET_PRESETS.find(p => p.id === 'p1-resolution-4h-business')!.values(
        'UTC',
      ),
      ...TARGET_PRESETS.find(p => p.id === 'availability-99.9-28d')!.values(
        'UTC',
      ),
    });
    expect(target.calendar).toBeUndefined();
    expect(target.sli).toEqual({ kind: 'ratio' });
  });

  it('recognises the standard business hours in any zone, and nothing else', () => {
    expect(isStandardBusinessHours(standardBusinessHours('Asia/Tokyo'))).toBe(
      true,
    );
    expect(isStandardBusinessHours(undefined)).toBe(false);
    expect(
      isStandardBusinessHours({
        ...standardBusinessHours('UTC'),
        holidays: ['2026-12-25'],
      }),
    ).toBe(false);
    expect(
      isStandardBusinessHours({
        timeZone: 'UTC',
        openingHours: { mon: [['08:00', '16:00']] },
      }),
    ).toBe(false);
  });
});
