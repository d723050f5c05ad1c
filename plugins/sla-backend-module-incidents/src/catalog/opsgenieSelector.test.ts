import type { OpsgenieSubject } from '../translate/opsgenie';
import { parseOpsgenieSelector } from './opsgenieSelector';

const alert: OpsgenieSubject = {
  tags: ['service:payments', 'prod'],
  details: { component: 'payments-api', env: 'prod' },
  teams: ['payments-oncall'],
  entity: 'payments-api',
  source: 'Alertmanager',
  alias: 'payments-latency-p99',
  integrationName: 'Backstage SLA',
};

function matches(query: string): boolean {
  const selector = parseOpsgenieSelector(query);
  if (!selector.ok) throw new Error(selector.reason);
  return selector.matches(alert);
}

describe('parseOpsgenieSelector', () => {
  it.each([
    ['tag:"service:payments"', true],
    ['tag: "service:payments"', true],
    ['tags:prod', true],
    ['tag:"service:checkout"', false],
    ['TAG:"SERVICE:PAYMENTS"', true],
    ['detailsPair(component:payments-api)', true],
    ['detailsPair(component:checkout)', false],
    [
      'detailsPair(app:my-service) OR detailsPair(component:payments-api)',
      true,
    ],
    ['tag:prod AND detailsPair(env:prod)', true],
    ['tag:prod AND detailsPair(env:staging)', false],
    ['tag:prod detailsPair(env:staging)', false],
    ['tag:dev OR tag:prod AND entity:payments-api', true],
    ['teams:payments-oncall', true],
    ['entity=payments-api', true],
    ['source:Alertmanager', true],
    ['alias:payments-latency-p99', true],
    ['integration.name:"Backstage SLA"', true],
  ])('%s matches: %p', (query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  it.each([
    ['', 'empty or unbalanced query'],
    ['tag:"service', 'empty or unbalanced query'],
    ['payments', 'unsupported term "payments"'],
    ['message:latency*', 'unsupported term "message:latency*"'],
    ['NOT tag:prod', 'unsupported term "NOT"'],
    ['(tag:a OR tag:b)', 'unsupported term "(tag:a OR tag:b)"'],
    ['OR tag:prod', 'misplaced OR'],
    ['tag:prod AND', 'query ends with an operator'],
  ])('refuses %p: %s', (query, reason) => {
    expect(parseOpsgenieSelector(query)).toEqual({ ok: false, reason });
  });
});
