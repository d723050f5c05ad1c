import { alignmentFindings } from './alignmentFindings';
import {
  agreement,
  availability,
  byEntity,
  duration,
  latency,
} from './testGraph';

const A = 'component:default/a';
const B = 'component:default/b';
const dep = (entityRef: string, extra: object = {}) => ({
  entityRef,
  soft: false,
  ...extra,
});

describe('alignment checks (§3)', () => {
  it('flags a dependency that allows more time for the same priority', () => {
    // ours P1 ≤ PT1H (3,600,000 ms); a's UC P1 ≤ PT4H (14,400,000 ms): misaligned
    // a's P2 ≤ PT8H is another priority; b's P1 ≤ PT30M is tighter: aligned
    const findings = alignmentFindings(
      { id: 'x-sla', targets: [duration('p1', 'PT1H', 'P1')] },
      [dep(A), dep(B)],
      byEntity([
        agreement(
          'a-uc',
          A,
          [duration('a-p1', 'PT4H', 'P1'), duration('a-p2', 'PT8H', 'P2')],
          'UC',
        ),
        agreement('b-ola', B, [duration('b-p1', 'PT30M', 'P1')], 'OLA'),
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'duration',
        agreementId: 'x-sla',
        targetId: 'p1',
        ours: 3_600_000,
        theirs: 14_400_000,
        dependencies: [{ entityRef: A, agreementId: 'a-uc', targetId: 'a-p1' }],
      }),
    ]);
    expect(findings[0].message).toContain('PT4H');
  });

  it('treats equal durations and missing priorities on both sides as aligned/same', () => {
    // ours ≤ PT4H without priority; a ≤ PT4H (equal: aligned), b ≤ P1D without priority (misaligned)
    const findings = alignmentFindings(
      { id: 'x', targets: [duration('any', 'PT4H')] },
      [dep(A), dep(B)],
      byEntity([
        agreement('a', A, [duration('a', 'PT4H')]),
        agreement('b', B, [duration('b', 'P1D'), duration('b1', 'P1D', 'P1')]),
      ]),
    );
    expect(
      findings.map(f => [f.targetId, f.dependencies[0].targetId, f.theirs]),
    ).toEqual([['any', 'b', 86_400_000]]);
  });

  it('adds up the dependencies latency thresholds of the same unit', () => {
    // ours ≤ 800 ms; a ≤ 400 ms (and a looser 900 ms: the tightest counts),
    // b ≤ 500 ms, c ≤ 2 s (another unit: left out), soft d ≤ 700 ms (left out)
    // 400 + 500 = 900 ms > 800 ms: misaligned
    const C = 'component:default/c';
    const D = 'component:default/d';
    const findings = alignmentFindings(
      { id: 'x', targets: [latency('fast', 800)] },
      [dep(A), dep(B), dep(C), { entityRef: D, soft: true }],
      byEntity([
        agreement('a', A, [latency('a', 400), latency('a-slow', 900)]),
        agreement('b', B, [latency('b', 500)]),
        agreement('c', C, [latency('c', 2, 's')]),
        agreement('d', D, [latency('d', 700)]),
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'latency',
        targetId: 'fast',
        ours: 800,
        theirs: 900,
        unit: 'ms',
        dependencies: [
          { entityRef: A, agreementId: 'a', targetId: 'a' },
          { entityRef: B, agreementId: 'b', targetId: 'b' },
        ],
      }),
    ]);
  });

  it('counts a redundancy group by its slowest member and accepts a sum equal to ours', () => {
    // ours ≤ 600 ms; a ≤ 200 ms; group g: b ≤ 400 ms | c ≤ 300 ms → 400
    // 200 + 400 = 600 ≤ 600: aligned
    const C = 'component:default/c';
    const findings = alignmentFindings(
      { id: 'x', targets: [latency('fast', 600)] },
      [dep(A), dep(B, { group: 'g' }), dep(C, { group: 'g' })],
      byEntity([
        agreement('a', A, [latency('a', 200)]),
        agreement('b', B, [latency('b', 400)]),
        agreement('c', C, [latency('c', 300)]),
      ]),
    );
    expect(findings).toEqual([]);
  });

  it('flags an OLA or UC looser than the target it underpins', () => {
    // ours 99.9 %; a's OLA 99.5 % (looser: misaligned); b's SLA 99 % is not
    // an underpinning contract; b's UC 99.95 % is tighter
    const findings = alignmentFindings(
      { id: 'x', targets: [availability(99.9)] },
      [dep(A), dep(B)],
      byEntity([
        agreement('a-ola', A, [availability(99.5)], 'OLA'),
        agreement('b-sla', B, [availability(99)], 'SLA'),
        agreement('b-uc', B, [availability(99.95)], 'UC'),
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'underpinning',
        ours: 99.9,
        theirs: 99.5,
        dependencies: [
          { entityRef: A, agreementId: 'a-ola', targetId: 'availability' },
        ],
      }),
    ]);
  });
});
