import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryDeployment } from '../../src/deploy/canary-plan.js';
import type { Deployment } from '../../src/deploy/types.js';
import type { KubeObject } from '../../src/render/objects.js';
import { CHART, chartRenderError as renderError, chartValues as values, renderChart as render } from '../helpers/chart-render.js';
import { HELM } from '../fixtures/render/context.js';
import { removeTempDirs } from '../helpers/temp.js';

// The chart's monitoring, rendered by the real pinned helm (the one cluster:up leaves in the build cache, as the
// render tests use): the pods' scrape annotations, MODEL_TRACK through the downward API, the PodMonitor only where
// the cluster serves monitoring.coreos.com/v1, and the HPA's requests-per-second metric named as the server's.

afterAll(removeTempDirs);

const PODMONITOR_API = 'monitoring.coreos.com/v1/PodMonitor';

interface Env {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: { containers: { name: string; env?: Env[] }[] };
}

const kinds = (objects: KubeObject[]): string[] => objects.map((o) => o.kind);
const deployment = (objects: KubeObject[]): Deployment => objects.find((o) => o.kind === 'Deployment') as Deployment;
const template = (d: Deployment): PodTemplate => d.spec.template as unknown as PodTemplate;
const podMonitor = (objects: KubeObject[]): KubeObject | undefined => objects.find((o) => o.kind === 'PodMonitor');
const TRACK_ENV: Env = { name: 'MODEL_TRACK', valueFrom: { fieldRef: { fieldPath: "metadata.labels['track']" } } };

describe.skipIf(!existsSync(HELM))(`the chart's monitoring (helm ${HELM})`, () => {
  describe('scrape annotations on the pod template', () => {
    it('are there by default: scrape, the serving port, /metrics; the settings checksum and podAnnotations stay', () => {
      const annotations = template(deployment(render(values({ podAnnotations: { 'team.example/owner': 'ml' } })))).metadata.annotations;
      expect(annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
        'team.example/owner': 'ml',
        'model-canary.dev/settings-checksum': expect.stringMatching(/^[a-f0-9]{64}$/),
      });
    });

    it('follow serving.port and monitoring.path', () => {
      const annotations = template(deployment(render(values({ serving: { port: 3000 }, monitoring: { path: '/stats/prometheus' } })))).metadata.annotations;
      expect(annotations).toMatchObject({ 'prometheus.io/port': '3000', 'prometheus.io/path': '/stats/prometheus' });
    });

    it('are left out with monitoring.enabled false', () => {
      const annotations = template(deployment(render(values({ monitoring: { enabled: false } })))).metadata.annotations;
      expect(Object.keys(annotations)).toEqual(['model-canary.dev/settings-checksum']);
    });
  });

  describe('MODEL_TRACK', () => {
    it("is the pod's track label through the downward API, before the user's environment", () => {
      const container = template(deployment(render(values({ env: [{ name: 'LOG_LEVEL', value: 'debug' }] })))).spec.containers[0];
      expect(container?.env).toEqual([TRACK_ENV, { name: 'LOG_LEVEL', value: 'debug' }]);
    });

    it("reads canary on the canary's copy: the copy keeps the reference and labels its pods track: canary", () => {
      const stable = deployment(render(values()));
      const canary = canaryDeployment(stable, 1, []);
      expect(template(stable).metadata.labels['track']).toBe('stable');
      expect(template(canary).metadata.labels['track']).toBe('canary');
      expect(template(canary).spec.containers[0]?.env).toEqual([TRACK_ENV]);
    });

    it('is not set on a KServe predictor (KServe labels its own pods)', () => {
      const isvc = render(values({ mode: 'kserve' })).find((o) => o.kind === 'InferenceService') as
        { spec: { predictor: { containers: { env?: Env[] }[] } } } | undefined;
      expect(isvc?.spec.predictor.containers[0]?.env ?? []).not.toContainEqual(TRACK_ENV);
    });
  });

  describe('the PodMonitor', () => {
    it('is not rendered when the cluster does not serve monitoring.coreos.com/v1', () => {
      expect(kinds(render(values()))).not.toContain('PodMonitor');
    });

    it(`is rendered with --api-versions ${PODMONITOR_API}: both tracks, the http port, the path, interval and timeout`, () => {
      const monitor = podMonitor(
        render(values({ monitoring: { podMonitor: { interval: '30s', scrapeTimeout: '5s', labels: { release: 'prometheus' } } } }), [PODMONITOR_API]),
      );
      expect(monitor).toMatchObject({
        apiVersion: 'monitoring.coreos.com/v1',
        metadata: {
          name: 'iris',
          namespace: 'models',
          labels: { release: 'prometheus', 'app.kubernetes.io/name': 'iris', 'app.kubernetes.io/managed-by': 'model-canary' },
        },
      });
      expect(monitor?.['spec']).toEqual({
        selector: { matchLabels: { 'app.kubernetes.io/name': 'iris', 'app.kubernetes.io/instance': 'iris' } },
        namespaceSelector: { matchNames: ['models'] },
        podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '5s' }],
      });
    });

    it('has the defaults of values.yaml: every 15s, 10s timeout', () => {
      const spec = podMonitor(render(values(), [PODMONITOR_API]))?.['spec'] as { podMetricsEndpoints: unknown[] };
      expect(spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }]);
    });

    it('is left out with monitoring.enabled or monitoring.podMonitor.enabled false, and in kserve mode, even where the API is served', () => {
      expect(kinds(render(values({ monitoring: { enabled: false } }), [PODMONITOR_API]))).not.toContain('PodMonitor');
      expect(kinds(render(values({ monitoring: { podMonitor: { enabled: false } } }), [PODMONITOR_API]))).not.toContain('PodMonitor');
      expect(kinds(render(values({ mode: 'kserve' }), [PODMONITOR_API]))).not.toContain('PodMonitor');
    });

    it('refuses an interval that is not a Prometheus duration, naming the value', () => {
      expect(renderError(values({ monitoring: { podMonitor: { interval: '15 seconds' } } }))).toContain("at '/monitoring/podMonitor/interval'");
    });
  });

  describe('the HPA', () => {
    it("names the server's requests-per-second metric by default, as the chart README tells the adapter to serve it", () => {
      const hpa = render(values({ autoscaling: { enabled: true, requestsPerSecond: { enabled: true } } })).find((o) => o.kind === 'HorizontalPodAutoscaler');
      const metrics = (hpa?.['spec'] as { metrics: { type: string; pods?: { metric: { name: string }; target: unknown } }[] }).metrics;
      expect(metrics.map((m) => m.type)).toEqual(['Resource', 'Pods']);
      expect(metrics[1]?.pods).toEqual({ metric: { name: 'model_requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } });
      const readme = readFileSync(path.join(CHART, 'README.md'), 'utf8');
      expect(readme).toContain('`model_requests_per_second`');
      expect(readme).toContain('`model_requests_total`');
    });

    it('scales on requests per second alone with a CPU target of 0, and refuses an HPA with no metric at all', () => {
      const hpa = render(values({ autoscaling: { enabled: true, targetCPUUtilizationPercentage: 0, requestsPerSecond: { enabled: true } } })).find(
        (o) => o.kind === 'HorizontalPodAutoscaler',
      );
      expect((hpa?.['spec'] as { metrics: { type: string }[] }).metrics.map((m) => m.type)).toEqual(['Pods']);
      expect(renderError(values({ autoscaling: { enabled: true, targetCPUUtilizationPercentage: 0 } }))).toContain(
        'give the HPA a metric (a CPU target of 1 to 100, or requestsPerSecond.enabled true)',
      );
    });
  });
});
