import type { Target } from '@opensla/backstage-plugin-sla-common';
import type { MeasurableTarget } from '@opensla/backstage-plugin-sla-node';
import { parseQueryTemplate, QueryTemplate } from './queryTemplates';
import {
  QueryPolicy,
  renderQuery,
  resolvePrometheusQueries,
} from './resolvePrometheusQueries';

const availability: QueryTemplate = {
  name: 'http-availability',
  good: parseQueryTemplate(
    'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}", code!~"5.."}[{{ range }}]))',
  ),
  total: parseQueryTemplate(
    'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}"}[{{ range }}]))',
  ),
};
const latency: QueryTemplate = {
  name: 'latency',
  value: parseQueryTemplate('max(latency{route="{{ param "route" }}"})'),
};

function policy(allowFreeQueries = false): QueryPolicy {
  return {
    templates: new Map([
      [availability.name, availability],
      [latency.name, latency],
    ]),
    allowFreeQueries,
  };
}

function measurable(
  kind: 'ratio' | 'threshold',
  source?: Target['source'],
  annotations: Record<string, string> = {},
): MeasurableTarget {
  return {
    entityRef: 'component:default/checkout',
    agreementId: 'a1',
    annotations: { 'prometheus.io/job': 'checkout', ...annotations },
    target: {
      id: 't1',
      name: 'T',
      aspect: kind === 'ratio' ? 'availability' : 'performance',
      metric: kind === 'ratio' ? 'availability' : 'latency',
      sli:
        kind === 'ratio'
          ? { kind: 'ratio' }
          : { kind: 'threshold', operator: 'lte', threshold: 1 },
      objective: 99,
      window: { type: 'rolling', duration: 'P28D' },
      ...(source ? { source } : {}),
    },
  };
}

const FREE = { type: 'prometheus', good: 'sum(up)', total: 'count(up)' };

describe('resolvePrometheusQueries', () => {
  it('uses the template a target names, filled from the entity', () => {
    const target = measurable('ratio', {
      type: 'prometheus',
      template: 'http-availability',
    });
    const resolved = resolvePrometheusQueries(target, policy());
    expect(resolved).toMatchObject({ kind: 'ratio', origin: 'template' });
    if (resolved?.kind !== 'ratio') throw new Error('not ratio');
    expect(renderQuery(resolved.good, target, resolved.parameters, 60)).toBe(
      'sum(increase(http_requests_total{job="checkout", code!~"5.."}[60s]))',
    );
  });

  it('passes the target parameters to a threshold template', () => {
    const target = measurable('threshold', {
      type: 'prometheus',
      template: 'latency',
      parameters: { route: '/pay' },
    });
    const resolved = resolvePrometheusQueries(target, policy());
    if (resolved?.kind !== 'threshold') throw new Error('not threshold');
    expect(renderQuery(resolved.value, target, resolved.parameters, 300)).toBe(
      'max(latency{route="/pay"})',
    );
  });

  it('refuses free PromQL in the target when free queries are not allowed', () => {
    expect(
      resolvePrometheusQueries(measurable('ratio', FREE), policy()),
    ).toEqual({
      kind: 'refused',
      reason: expect.stringContaining(
        'sla.prometheus.allowFreeQueries is false',
      ),
    });
  });

  it('refuses free PromQL in annotations when free queries are not allowed', () => {
    const target = measurable('threshold', undefined, {
      'sla/prometheus.latency.value': 'max(latency)',
    });
    expect(resolvePrometheusQueries(target, policy())).toEqual({
      kind: 'refused',
      reason: expect.stringContaining('sla/prometheus.latency.* annotations'),
    });
  });

  it('runs free PromQL where config allows it', () => {
    expect(
      resolvePrometheusQueries(measurable('ratio', FREE), policy(true)),
    ).toMatchObject({ kind: 'ratio', origin: 'target' });
  });

  it('prefers a template annotation over refused free queries, for migration', () => {
    const target = measurable('ratio', FREE, {
      'sla/prometheus.availability.template': 'http-availability',
    });
    expect(resolvePrometheusQueries(target, policy())).toMatchObject({
      kind: 'ratio',
      origin: 'template',
      template: 'http-availability',
    });
  });

  it('refuses an unknown template and names the configured ones', () => {
    expect(
      resolvePrometheusQueries(
        measurable('ratio', { type: 'prometheus', template: 'nope' }),
        policy(true),
      ),
    ).toEqual({
      kind: 'refused',
      reason: expect.stringContaining(
        '"nope", which is not configured (sla.prometheus.templates: http-availability, latency)',
      ),
    });
  });

  it('refuses a template without the queries the SLI needs', () => {
    expect(
      resolvePrometheusQueries(
        measurable('ratio', { type: 'prometheus', template: 'latency' }),
        policy(),
      ),
    ).toEqual({
      kind: 'refused',
      reason:
        'query template "latency" has no good and total queries, which a ratio SLI needs',
    });
  });

  it('leaves targets of other sources and targets without queries alone', () => {
    expect(
      resolvePrometheusQueries(
        measurable('ratio', { type: 'datadog', template: 'http-availability' }),
        policy(),
      ),
    ).toBeUndefined();
    expect(
      resolvePrometheusQueries(
        measurable('ratio', { type: 'prometheus' }),
        policy(),
      ),
    ).toBeUndefined();
  });
});
