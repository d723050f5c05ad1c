import {
  parsePositiveDuration,
  supportedTimesliceMs,
  validateAgreementInput,
} from '@opensla/backstage-plugin-sla-common';
import {
  MAX_DURATION_PRESETS,
  REVIEW_INTERVAL_PRESETS,
  ROLLING_WINDOW_PRESETS,
  TIMESLICE_CHOICES,
  amountToIso,
  durationInWords,
  findPreset,
  findTimeslice,
  isoToAmount,
} from './durationChoices';

describe('duration choices of the editor', () => {
  it('offers every timeslice length the backend accepts, and only those', () => {
    const offered = TIMESLICE_CHOICES.map(c => supportedTimesliceMs(c.iso));
    expect(offered.every(ms => ms !== undefined)).toBe(true);
    // Every whole second from 1 minute to 1 hour that divides an hour.
    const accepted = [];
    for (let s = 60; s <= 3600; s++) {
      if (supportedTimesliceMs(`PT${s}S`) !== undefined)
        accepted.push(s * 1000);
    }
    expect(offered).toEqual(accepted);
    expect(
      TIMESLICE_CHOICES.filter(c => c.wholeMinutes).map(c => c.label),
    ).toEqual([
      '1 minute',
      '2 minutes',
      '3 minutes',
      '4 minutes',
      '5 minutes',
      '6 minutes',
      '10 minutes',
      '12 minutes',
      '15 minutes',
      '20 minutes',
      '30 minutes',
      '1 hour',
    ]);
    expect(findTimeslice('PT90S')?.label).toBe('1 minute 30 seconds');
    expect(findTimeslice('PT0.25H')?.iso).toBe('PT15M');
    expect(findTimeslice('PT7M')).toBeUndefined();
  });

  it('spells presets in plain words and sends valid ISO durations', () => {
    expect(ROLLING_WINDOW_PRESETS.map(p => p.label)).toContain(
      'rolling 28 days',
    );
    expect(REVIEW_INTERVAL_PRESETS.map(p => p.label)).toEqual([
      'every month',
      'every 3 months',
      'every 6 months',
      'every year',
    ]);
    for (const preset of [
      ...ROLLING_WINDOW_PRESETS,
      ...REVIEW_INTERVAL_PRESETS,
      ...MAX_DURATION_PRESETS,
    ]) {
      expect(parsePositiveDuration(preset.iso)).toBeDefined();
    }
    expect(durationInWords('P3M')).toBe('3 months');
  });

  it('turns a number and a unit into the ISO value the API takes, and back', () => {
    expect(amountToIso('28', 'days')).toBe('P28D');
    expect(amountToIso('36', 'hours')).toBe('PT36H');
    expect(amountToIso('90', 'minutes')).toBe('PT90M');
    expect(amountToIso('2', 'weeks')).toBe('P2W');
    expect(amountToIso('3', 'months')).toBe('P3M');
    expect(amountToIso('', 'days')).toBe('');
    expect(isoToAmount('P3M', ['weeks', 'months', 'years'])).toEqual({
      amount: '3',
      unit: 'months',
    });
    expect(isoToAmount('P1DT12H', ['hours', 'days', 'weeks'])).toEqual({
      amount: '36',
      unit: 'hours',
    });
    expect(isoToAmount('PT1H30M', ['minutes', 'hours', 'days'])).toEqual({
      amount: '90',
      unit: 'minutes',
    });
    expect(isoToAmount('P14D', ['hours', 'days', 'weeks'])).toEqual({
      amount: '14',
      unit: 'days',
    });
    // Months have no fixed length: not spelt in days.
    expect(isoToAmount('P1M', ['hours', 'days', 'weeks'])).toBeUndefined();
    expect(isoToAmount('nonsense', ['days'])).toBeUndefined();
  });

  it('refuses what the custom inputs send when the number is not one, naming the field', () => {
    const target = (duration: string) => ({
      name: 'Availability',
      aspect: 'availability',
      metric: 'http_requests',
      sli: { kind: 'ratio' },
      objective: 99.9,
      window: { type: 'rolling', duration },
    });
    const check = (duration: string) =>
      validateAgreementInput({
        kind: 'SLA',
        entityRef: 'component:default/checkout',
        title: 'SLA',
        targets: [target(duration)],
      }).map(e => e.field);
    expect(check(amountToIso('28', 'days'))).toEqual([]);
    expect(check(amountToIso('-3', 'days'))).toEqual([
      'targets[0].window.duration',
    ]);
    expect(check(amountToIso('0', 'days'))).toEqual([
      'targets[0].window.duration',
    ]);
  });

  it('finds the preset of a stored value, also spelt otherwise', () => {
    expect(findPreset(ROLLING_WINDOW_PRESETS, 'P28D')?.label).toBe(
      'rolling 28 days',
    );
    expect(findPreset(ROLLING_WINDOW_PRESETS, 'P4W')?.label).toBe(
      'rolling 28 days',
    );
    expect(findPreset(REVIEW_INTERVAL_PRESETS, 'P3M')?.label).toBe(
      'every 3 months',
    );
    expect(findPreset(ROLLING_WINDOW_PRESETS, 'P29D')).toBeUndefined();
  });
});
