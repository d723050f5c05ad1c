import type { AgreementStatus } from '@opensla/backstage-plugin-sla-common';
import {
  Validity,
  VersionRecord,
  inForceSpans,
  isValidAt,
  lastVersionInForceDuring,
  versionInForceAt,
} from './inForce';

const t = (day: string) => Date.parse(`2026-${day}T00:00:00Z`);
const v = (
  version: number,
  status: AgreementStatus,
  changedOn: string,
  validity: Validity = {},
): VersionRecord<Validity & { version: number }> => ({
  version,
  status,
  changedAt: t(changedOn),
  snapshot: () => ({ ...validity, version }),
});

/** created 03-01, agreed 04-01, review 06-01, amended, agreed 06-15, withdrawn 09-01 */
const history = [
  v(1, 'draft', '03-01'),
  v(2, 'negotiation', '03-10'),
  v(3, 'agreed', '04-01'),
  v(4, 'under-review', '06-01'),
  v(5, 'under-review', '06-05'),
  v(6, 'agreed', '06-15'),
  v(7, 'withdrawn', '09-01'),
];
const at = (day: string) => versionInForceAt(history, t(day))?.version;

describe('versionInForceAt', () => {
  it('answers the agreed version that was current at the instant', () => {
    expect(at('05-01')).toBe(3);
    expect(at('04-01')).toBe(3); // from the instant it was written
    expect(at('07-01')).toBe(6);
    expect(at('08-31')).toBe(6);
  });

  it('answers nothing under review, after withdrawal', () => {
    expect(at('06-01')).toBeUndefined();
    expect(at('06-10')).toBeUndefined();
    expect(at('09-01')).toBeUndefined();
    expect(at('12-01')).toBeUndefined();
  });

  it('backdates the first agreed version to its validFrom, or without limit', () => {
    expect(at('01-01')).toBe(3);
    expect(at('03-05')).toBe(3);
    const bounded = [
      v(1, 'draft', '03-01'),
      v(2, 'agreed', '04-01', { validFrom: '2026-03-15T00:00:00Z' }),
    ];
    expect(versionInForceAt(bounded, t('03-14'))).toBeUndefined();
    expect(versionInForceAt(bounded, t('03-15'))?.version).toBe(2);
    // a seeded agreement: one version, written agreed
    const seeded = [
      v(1, 'agreed', '11-22', { validFrom: '2026-04-01T00:00:00Z' }),
    ];
    expect(versionInForceAt(seeded, t('05-01'))?.version).toBe(1);
  });

  it('keeps each version inside its validity, [validFrom, validUntil)', () => {
    const expiring = [
      v(1, 'agreed', '01-01', { validUntil: '2026-07-01T00:00:00Z' }),
      v(2, 'expired', '07-01'),
    ];
    expect(versionInForceAt(expiring, t('06-30'))?.version).toBe(1);
    expect(versionInForceAt(expiring, t('07-01'))).toBeUndefined();
    // validUntil passed before the expiry task wrote its version
    const late = [
      v(1, 'agreed', '01-01', { validUntil: '2026-07-01T00:00:00Z' }),
      v(2, 'expired', '07-03'),
    ];
    expect(versionInForceAt(late, t('07-02'))).toBeUndefined();
  });

  it('never puts a version in force that was never agreed', () => {
    expect(
      inForceSpans([v(1, 'draft', '01-01'), v(2, 'withdrawn', '02-01')]),
    ).toEqual([]);
  });
});

describe('lastVersionInForceDuring', () => {
  it('answers the last version in force in the period', () => {
    expect(
      lastVersionInForceDuring(history, t('04-01'), t('05-01'))?.version,
    ).toBe(3);
    // amended in June: the version agreed last in June
    expect(
      lastVersionInForceDuring(history, t('06-01'), t('07-01'))?.version,
    ).toBe(6);
    // reviewed from 06-01: May's report still shows version 3
    expect(
      lastVersionInForceDuring(history, t('05-01'), t('06-01'))?.version,
    ).toBe(3);
    // withdrawn on 09-01: August is reported, September not
    expect(
      lastVersionInForceDuring(history, t('08-01'), t('09-01'))?.version,
    ).toBe(6);
    expect(
      lastVersionInForceDuring(history, t('09-01'), t('10-01')),
    ).toBeUndefined();
  });
});

describe('duringReview', () => {
  it('keeps the agreed version in force while the agreement is under review', () => {
    const spans = inForceSpans(history, { duringReview: true }).map(s => ({
      version: s.version.version,
      from: s.from,
      until: s.until,
    }));
    expect(spans).toEqual([
      { version: 3, from: -Infinity, until: t('06-15') },
      { version: 6, from: t('06-15'), until: t('09-01') },
    ]);
    expect(
      lastVersionInForceDuring(history, t('06-01'), t('06-15'), {
        duringReview: true,
      })?.version,
    ).toBe(3);
    // a review that ends in negotiation ends the agreed version there
    const renegotiated = [
      v(1, 'agreed', '01-01'),
      v(2, 'under-review', '02-01'),
      v(3, 'negotiation', '03-01'),
    ];
    expect(inForceSpans(renegotiated, { duringReview: true })[0].until).toBe(
      t('03-01'),
    );
  });
});

describe('isValidAt', () => {
  it('is [validFrom, validUntil), open where a bound is missing', () => {
    const a = {
      validFrom: '2026-04-01T00:00:00Z',
      validUntil: '2026-05-01T00:00:00Z',
    };
    expect(isValidAt(a, t('03-31'))).toBe(false);
    expect(isValidAt(a, t('04-01'))).toBe(true);
    expect(isValidAt(a, t('05-01'))).toBe(false);
    expect(isValidAt({}, t('05-01'))).toBe(true);
  });
});
