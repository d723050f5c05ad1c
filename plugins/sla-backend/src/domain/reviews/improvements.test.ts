import {
  improvementPlan,
  isImprovementMoveAllowed,
  validateImprovementInput,
} from './improvements';

describe('improvementPlan', () => {
  it('counts, finds the overdue and averages progress (hand-computed)', () => {
    const at = Date.parse('2026-06-01T00:00:00Z');
    const plan = improvementPlan(
      [
        { status: 'proposed', due: '2026-05-31T00:00:00Z' }, // overdue, 0 %
        { status: 'in-progress', progress: 50, due: '2026-06-01T00:00:00Z' }, // overdue at the instant
        { status: 'in-progress', progress: 20, due: '2026-07-01T00:00:00Z' },
        { status: 'done', progress: 80, due: '2026-01-01T00:00:00Z' }, // done: 100, never overdue
        { status: 'cancelled', progress: 10 },
      ],
      at,
    );
    // progress: (0 + 50 + 20 + 100) / 4 = 42.5
    expect(plan).toEqual({
      total: 5,
      open: 3,
      done: 1,
      cancelled: 1,
      overdue: 2,
      progress: 42.5,
    });
  });

  it('has no progress without initiatives', () => {
    expect(improvementPlan([], 0)).toEqual({
      total: 0,
      open: 0,
      done: 0,
      cancelled: 0,
      overdue: 0,
      progress: null,
    });
  });
});

describe('isImprovementMoveAllowed', () => {
  it('moves open initiatives and never reopens finished ones', () => {
    expect(isImprovementMoveAllowed('proposed', 'in-progress')).toBe(true);
    expect(isImprovementMoveAllowed('in-progress', 'done')).toBe(true);
    expect(isImprovementMoveAllowed('in-progress', 'in-progress')).toBe(true);
    expect(isImprovementMoveAllowed('done', 'in-progress')).toBe(false);
    expect(isImprovementMoveAllowed('cancelled', 'cancelled')).toBe(false);
  });
});

describe('validateImprovementInput', () => {
  const valid = {
    entityRef: 'component:default/checkout',
    title: 'Faster P1 handling',
    source: 'review',
    owner: 'user:default/alice',
  };
  const fields = (input: unknown, mode: 'create' | 'update' = 'create') =>
    validateImprovementInput(input, mode).map(e => e.field);

  it('accepts a minimal and a full initiative', () => {
    expect(fields(valid)).toEqual([]);
    expect(
      fields({
        ...valid,
        status: 'in-progress',
        progress: 40,
        due: '2026-12-01T00:00:00Z',
        targets: [{ agreementId: 'a', targetId: 't' }],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ ...valid, title: ' ' }, 'title'],
    [{ ...valid, source: 'rumour' }, 'source'],
    [{ ...valid, owner: undefined }, 'owner'],
    [{ ...valid, status: 'stalled' }, 'status'],
    [{ ...valid, progress: 101 }, 'progress'],
    [{ ...valid, due: 'next week' }, 'due'],
    [{ ...valid, targets: [{ agreementId: 'a' }] }, 'targets[0].targetId'],
    [{ ...valid, entityRef: undefined }, 'entityRef'],
  ])('refuses %j naming %s', (input, field) => {
    expect(fields(input)).toContain(field);
  });

  it('needs a version on update and keeps the entity', () => {
    const { entityRef: _e, ...rest } = valid;
    expect(fields(rest, 'update')).toEqual(['version']);
    expect(fields({ ...valid, version: 1 }, 'update')).toEqual(['entityRef']);
  });
});
