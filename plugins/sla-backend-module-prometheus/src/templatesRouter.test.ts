import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { slaMetricSourcesExtensionPoint } from '@opensla/backstage-plugin-sla-node';
import request from 'supertest';
import { slaModulePrometheus } from './module';

async function start(prometheus: object | undefined) {
  const { server } = await startTestBackend({
    extensionPoints: [
      [slaMetricSourcesExtensionPoint, { addMetricSource: jest.fn() }],
    ],
    features: [
      slaModulePrometheus,
      mockServices.rootConfig.factory({
        data: (prometheus ? { sla: { prometheus } } : {}) as any,
      }),
    ],
  });
  return server;
}

describe('GET /api/sla/prometheus/templates', () => {
  const prometheus = {
    baseUrl: 'http://127.0.0.1:9090',
    templates: {
      'http-availability': {
        description: 'Requests without a 5xx',
        good: 'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}", code!~"5.."}[{{ range }}]))',
        total:
          'sum(increase(http_requests_total{job="{{ annotation "prometheus.io/job" }}"}[{{ range }}]))',
      },
      latency: {
        value: 'max(latency{route="{{ param "route" }}"})',
      },
    },
  };

  it('answers 401 without credentials', async () => {
    const server = await start(prometheus);
    const response = await request(server)
      .get('/api/sla/prometheus/templates')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('lists the templates an owner can pick, without their PromQL', async () => {
    const server = await start(prometheus);
    const response = await request(server)
      .get('/api/sla/prometheus/templates')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      enabled: true,
      allowFreeQueries: false,
      templates: [
        {
          name: 'http-availability',
          description: 'Requests without a 5xx',
          sliKinds: ['ratio'],
          annotations: ['prometheus.io/job'],
          parameters: [],
        },
        {
          name: 'latency',
          sliKinds: ['threshold'],
          annotations: [],
          parameters: ['route'],
        },
      ],
    });
    expect(JSON.stringify(response.body)).not.toContain('http_requests_total');
  });

  it('says when the module is inactive', async () => {
    const server = await start(undefined);
    const response = await request(server)
      .get('/api/sla/prometheus/templates')
      .set('Authorization', mockCredentials.service.header());
    expect(response.body).toEqual({
      enabled: false,
      allowFreeQueries: false,
      templates: [],
    });
  });
});
