import { diffAgreements } from './diffAgreements';
import { nextReviewDue } from './nextReviewDue';
import { normalizeAgreementInput } from './normalizeAgreementInput';

const ratio = (name: string, id?: string) => ({
  ...(id ? { id } : {}),
  name,
  aspect: 'availability' as const,
  metric: 'requests',
  sli: { kind: 'ratio' as const, threshold: 5 } as any,
  objective: 99.9,
  window: { type: 'rolling' as const, duration: 'P28D', unit: 'week' } as any,
});

describe('normalizeAgreementInput', () => {
  it('derives unique target ids from names and keeps given ones', () => {
    const out = normalizeAgreementInput({
      kind: 'SLA',
      entityRef: 'component:default/a',
      title: '  A  ',
      targets: [
        ratio('Availability'),
        ratio('Availability'),
        ratio('Other', 'availability-2'),
        ratio('Über Ziel!'),
      ],
    });
    expect(out.title).toBe('A');
    expect(out.targets.map(t => t.id)).toEqual([
      'availability',
      'availability-3',
      'availability-2',
      'uber-ziel',
    ]);
  });

  it('keeps a source template and its parameters, and drops unknown source fields', () => {
    const out = normalizeAgreementInput({
      kind: 'SLA',
      entityRef: 'component:default/a',
      title: 'A',
      targets: [
        {
          ...ratio('Availability'),
          source: {
            type: 'prometheus',
            template: 'http-availability',
            parameters: { job: 'a' },
            extra: 'dropped',
          } as any,
        },
      ],
    });
    expect(out.targets[0].source).toEqual({
      type: 'prometheus',
      template: 'http-availability',
      parameters: { job: 'a' },
    });
  });

  it('drops fields that do not belong to the SLI or window kind', () => {
    const out = normalizeAgreementInput({
      kind: 'SLA',
      entityRef: 'component:default/a',
      title: 'A',
      targets: [ratio('X')],
      ...({ injected: true } as any),
    });
    expect(out.targets[0].sli).toEqual({ kind: 'ratio' });
    expect(out.targets[0].window).toEqual({
      type: 'rolling',
      duration: 'P28D',
    });
    expect(out).not.toHaveProperty('injected');
  });
});

describe('diffAgreements', () => {
  const before = normalizeAgreementInput({
    kind: 'SLA',
    entityRef: 'component:default/a',
    title: 'A',
    targets: [ratio('Availability'), ratio('Gone')],
  });

  it('names changed fields and target changes', () => {
    const after = {
      ...before,
      title: 'B',
      targets: [
        { ...before.targets[0], objective: 99.95 },
        { ...before.targets[0], id: 'new' },
      ],
    };
    expect(diffAgreements(before, after)).toEqual({
      fields: [
        'title',
        'targets.availability.objective',
        'targets.new',
        'targets.gone',
      ],
      summary:
        'title A → B; availability: objective 99.9 → 99.95; target new added; target gone removed',
    });
  });

  it('says when nothing changed', () => {
    expect(diffAgreements(before, before)).toEqual({
      fields: [],
      summary: 'No changes to the content',
    });
  });
});

describe('nextReviewDue', () => {
  it('is the review interval after agreement, a year by default', () => {
    expect(
      nextReviewDue({
        status: 'agreed',
        agreedAt: '2026-01-31T10:00:00.000Z',
        reviewInterval: 'P1M',
      }),
    ).toBe('2026-02-28T10:00:00.000Z');
    expect(
      nextReviewDue({
        status: 'under-review',
        agreedAt: '2026-01-01T00:00:00.000Z',
      }),
    ).toBe('2027-01-01T00:00:00.000Z');
  });

  it('is undefined for agreements not in force', () => {
    expect(
      nextReviewDue({ status: 'draft', agreedAt: '2026-01-01T00:00:00Z' }),
    ).toBeUndefined();
    expect(nextReviewDue({ status: 'agreed' })).toBeUndefined();
  });
});
