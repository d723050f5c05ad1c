import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { OpsgenieSubject } from '../translate/opsgenie';
import {
  OpsgenieEntityResolver,
  pickOpsgenieEntity,
} from './OpsgenieEntityResolver';
import { PagerDutyEntityResolver } from './PagerDutyEntityResolver';

function component(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace, annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team-a',
      lifecycle: 'production',
    },
  };
}

const subject: OpsgenieSubject = {
  tags: ['service:payments'],
  details: { component: 'payments-api' },
  teams: ['payments-oncall'],
};

describe('PagerDutyEntityResolver', () => {
  const entities = [
    component('checkout', { 'pagerduty.com/service-id': 'PF9KMXH' }),
    component('search', { 'pagerduty.com/service-id': 'PSEARCH' }),
    component('search-ui', { 'pagerduty.com/service-id': 'PSEARCH' }, 'web'),
    component('lower', { 'pagerduty.com/service-id': 'pf9kmxh2' }),
    component('other', { 'pagerduty.com/integration-key': 'abc' }),
  ];

  it('finds the one entity annotated with the service id', async () => {
    const resolver = new PagerDutyEntityResolver({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      cacheTtlMs: 0,
    });
    await expect(resolver.resolve('PF9KMXH')).resolves.toEqual({
      kind: 'found',
      entityRef: 'component:default/checkout',
    });
    await expect(resolver.resolve('PNOPE')).resolves.toEqual({ kind: 'none' });
    // ids are compared exactly although the catalog filter is case-insensitive
    await expect(resolver.resolve('PF9KMXH2')).resolves.toEqual({
      kind: 'none',
    });
    await expect(resolver.resolve('PSEARCH')).resolves.toEqual({
      kind: 'ambiguous',
      entityRefs: ['component:default/search', 'component:web/search-ui'],
    });
  });

  it('asks the catalog again only after the cache time to live', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    let now = 1_000;
    const resolver = new PagerDutyEntityResolver({
      catalog,
      auth: mockServices.auth(),
      cacheTtlMs: 60_000,
      now: () => now,
    });
    await resolver.resolve('PF9KMXH');
    await resolver.resolve('PF9KMXH');
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities.mock.calls[0][0]).toMatchObject({
      filter: { 'metadata.annotations.pagerduty.com/service-id': 'PF9KMXH' },
      limit: 10,
    });
    now += 60_000;
    await resolver.resolve('PF9KMXH');
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});

describe('pickOpsgenieEntity', () => {
  const always = () => true;
  const never = () => false;
  it('takes the one entity whose selector matches', () => {
    expect(
      pickOpsgenieEntity(
        [
          {
            entityRef: 'component:default/a',
            matches: always,
            hasSelector: true,
          },
          {
            entityRef: 'component:default/b',
            matches: never,
            hasSelector: true,
            team: 'payments-oncall',
          },
        ],
        subject,
      ),
    ).toEqual({ kind: 'found', entityRef: 'component:default/a' });
  });

  it('calls two matching selectors ambiguous', () => {
    expect(
      pickOpsgenieEntity(
        [
          {
            entityRef: 'component:default/b',
            matches: always,
            hasSelector: true,
          },
          {
            entityRef: 'component:default/a',
            matches: always,
            hasSelector: true,
          },
        ],
        subject,
      ),
    ).toEqual({
      kind: 'ambiguous',
      entityRefs: ['component:default/a', 'component:default/b'],
    });
  });

  it('falls back to the team of an entity without a selector, if only one has it', () => {
    const withTeam = {
      entityRef: 'component:default/t',
      hasSelector: false,
      team: 'Payments-Oncall',
    };
    const selectorNoMatch = {
      entityRef: 'component:default/s',
      matches: never,
      hasSelector: true,
      team: 'payments-oncall',
    };
    expect(pickOpsgenieEntity([withTeam, selectorNoMatch], subject)).toEqual({
      kind: 'found',
      entityRef: 'component:default/t',
    });
    expect(
      pickOpsgenieEntity(
        [withTeam, { ...withTeam, entityRef: 'component:default/u' }],
        subject,
      ).kind,
    ).toBe('ambiguous');
    expect(pickOpsgenieEntity([selectorNoMatch], subject)).toEqual({
      kind: 'none',
    });
  });
});

describe('OpsgenieEntityResolver', () => {
  it('matches alerts against the annotated entities of the catalog, skipping unusable selectors', async () => {
    const logger = mockServices.logger.mock();
    const catalog = catalogServiceMock({
      entities: [
        component('payments', {
          'opsgenie.com/component-selector': 'tag:"service:payments"',
        }),
        component('checkout', {
          'opsgenie.com/component-selector': 'detailsPair(component:checkout)',
        }),
        component('broken', { 'opsgenie.com/component-selector': 'payments' }),
        component('ledger', { 'opsgenie.com/team': 'ledger-oncall' }),
        component('plain', {}),
      ],
    });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    const resolver = new OpsgenieEntityResolver({
      catalog,
      auth: mockServices.auth(),
      logger,
      cacheTtlMs: 60_000,
    });
    await expect(resolver.resolve(subject)).resolves.toEqual({
      kind: 'found',
      entityRef: 'component:default/payments',
    });
    await expect(
      resolver.resolve({
        tags: [],
        details: { component: 'checkout' },
        teams: [],
      }),
    ).resolves.toEqual({
      kind: 'found',
      entityRef: 'component:default/checkout',
    });
    await expect(
      resolver.resolve({ tags: [], details: {}, teams: ['ledger-oncall'] }),
    ).resolves.toEqual({
      kind: 'found',
      entityRef: 'component:default/ledger',
    });
    await expect(
      resolver.resolve({ tags: ['payments'], details: {}, teams: [] }),
    ).resolves.toEqual({ kind: 'none' });
    expect(queryEntities).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Opsgenie alerts are not matched to component:default/broken: its opsgenie.com/component-selector "payments" cannot be used: unsupported term "payments"',
    );
  });

  it('pages through the catalog', async () => {
    const entities = Array.from({ length: 1203 }, (_, i) =>
      component(`svc-${String(i).padStart(4, '0')}`, {
        'opsgenie.com/component-selector': `tag:svc-${i}`,
      }),
    );
    const catalog = catalogServiceMock({ entities });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    const resolver = new OpsgenieEntityResolver({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      cacheTtlMs: 0,
    });
    await expect(
      resolver.resolve({ tags: ['svc-1202'], details: {}, teams: [] }),
    ).resolves.toEqual({
      kind: 'found',
      entityRef: 'component:default/svc-1202',
    });
    expect(queryEntities).toHaveBeenCalledTimes(3);
  });
});
