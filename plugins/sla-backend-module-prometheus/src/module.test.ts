import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  SlaMetricSourcesExtensionPoint,
  slaMetricSourcesExtensionPoint,
} from '@opensla/backstage-plugin-sla-node';
import { PrometheusMetricSource } from './PrometheusMetricSource';
import { slaModulePrometheus } from './module';

async function startWithConfig(data: Record<string, unknown>) {
  const metricSources: jest.Mocked<SlaMetricSourcesExtensionPoint> = {
    addMetricSource: jest.fn(),
  };
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    extensionPoints: [[slaMetricSourcesExtensionPoint, metricSources]],
    features: [
      slaModulePrometheus,
      mockServices.rootConfig.factory({ data: data as any }),
      logger.factory,
    ],
  });
  return { backend, metricSources, logger };
}

describe('slaModulePrometheus', () => {
  it('adds a Prometheus metric source on the configured schedule', async () => {
    const { backend, metricSources } = await startWithConfig({
      sla: {
        prometheus: {
          baseUrl: 'http://127.0.0.1:9090',
          schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
        },
      },
    });

    expect(metricSources.addMetricSource).toHaveBeenCalledTimes(1);
    const [source, options] = metricSources.addMetricSource.mock.calls[0];
    expect(source).toBeInstanceOf(PrometheusMetricSource);
    expect(source.id).toBe('prometheus');
    expect(options).toEqual({
      schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
    });
    await backend.stop();
  });

  it('adds nothing without a baseUrl and says so once', async () => {
    const { backend, metricSources, logger } = await startWithConfig({
      sla: { prometheus: { timeout: '10s' } },
    });

    expect(metricSources.addMetricSource).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Prometheus metric source is inactive: sla.prometheus.baseUrl is not configured',
    );
    await backend.stop();
  });
});
