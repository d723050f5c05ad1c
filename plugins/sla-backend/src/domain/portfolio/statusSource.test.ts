import {
  earliestInstant,
  statusSource,
  targetFingerprint,
} from './statusSource';

const t = (iso: string) => Date.parse(iso);
const NOW = t('2026-11-30T10:07:30Z');
const TEN_MINUTES = 600_000;

describe('statusSource', () => {
  it('reads the evaluator’s statuses for an instant at most maxAge before now', () => {
    expect(statusSource(NOW, NOW, TEN_MINUTES)).toEqual({
      kind: 'live',
      at: NOW,
      oldest: t('2026-11-30T09:57:30Z'),
    });
    expect(statusSource(NOW - TEN_MINUTES, NOW, TEN_MINUTES).kind).toBe('live');
  });

  it('snaps an earlier instant to the whole hour at or before it', () => {
    expect(statusSource(NOW - TEN_MINUTES - 1, NOW, TEN_MINUTES)).toEqual({
      kind: 'snapshot',
      at: t('2026-11-30T09:00:00Z'),
    });
    // the previous end of the default 30-day period
    expect(statusSource(NOW - 30 * 86_400_000, NOW, TEN_MINUTES)).toEqual({
      kind: 'snapshot',
      at: t('2026-10-31T10:00:00Z'),
    });
    // a whole hour stays itself
    const hour = t('2026-10-01T00:00:00Z');
    expect(statusSource(hour, NOW, TEN_MINUTES)).toEqual({
      kind: 'snapshot',
      at: hour,
    });
  });

  it('evaluates a future instant (data may still arrive for it)', () => {
    expect(statusSource(NOW + 1, NOW, TEN_MINUTES)).toEqual({
      kind: 'evaluate',
      at: NOW + 1,
    });
  });
});

describe('targetFingerprint', () => {
  const target: { id: string; objective: number } = {
    id: 'availability',
    objective: 99.9,
  };
  const agreement = { entityRef: 'component:default/Checkout' };

  it('is the same for the same definition, whatever the ref’s case', () => {
    expect(targetFingerprint(agreement, target)).toBe(
      targetFingerprint(
        { entityRef: 'component:default/checkout' },
        { ...target },
      ),
    );
  });

  it('changes with the target, its entity or the maintenance windows', () => {
    const base = targetFingerprint(agreement, target);
    const stricter = { ...target, objective: 99.5 };
    expect(targetFingerprint(agreement, stricter)).not.toBe(base);
    expect(
      targetFingerprint({ entityRef: 'component:default/search' }, target),
    ).not.toBe(base);
    expect(
      targetFingerprint(
        { ...agreement, maintenanceWindows: [{ start: 'x', end: 'y' }] },
        target,
      ),
    ).not.toBe(base);
  });
});

describe('earliestInstant', () => {
  it('takes timestamps and event starts', () => {
    expect(
      earliestInstant([
        { kind: 'ratio', ts: 300 },
        { kind: 'duration', start: 100 },
        { kind: 'threshold', ts: 200 },
      ]),
    ).toBe(100);
  });
});
