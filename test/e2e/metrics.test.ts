import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyObjects,
  exec,
  kubectl,
  kubectlJson,
  PROMETHEUS_URL,
  REGISTRY,
  REPO_ROOT,
  RESTRICTED_CONTAINER,
  restrictedNamespace,
  uniqueName,
} from './cluster-env.js';

// The local cluster's metrics plumbing (cluster/metrics.sh): metrics-server behind metrics.k8s.io,
// Prometheus finding pods through Kubernetes service discovery and their prometheus.io annotations, and
// the adapter serving model_requests_per_second through custom.metrics.k8s.io. The pod is a tiny fake
// exporter: a counter model_requests_total that grows 10 per second on route /predict and 1000 per
// second on route /metrics, which the requests-per-second metric must leave out. (A rate over 1m of a
// series younger than a minute is lower than 10: Prometheus extrapolates only a little past its start.)

const ns = uniqueName('e2e-metrics');
const app = 'fake-exporter';
const METRICS_SH = path.join(REPO_ROOT, 'cluster', 'metrics.sh');
const PROMETHEUS = PROMETHEUS_URL;

const EXPORTER = `
import http.server, time
start = time.time()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/metrics":
            self.send_response(404); self.end_headers(); return
        t = time.time() - start
        labels = 'model="fake",version="1.0.0",track="stable",status="200"'
        body = ("# HELP model_requests_total Requests served.\\n# TYPE model_requests_total counter\\n"
                f'model_requests_total{{{labels},route="/predict"}} {int(t * 10)}\\n'
                f'model_requests_total{{{labels},route="/metrics"}} {int(t * 1000)}\\n').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("", 8080), Handler).serve_forever()
`;

async function eventually<T>(what: string, ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000}s${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function prometheus<T>(apiPath: string): Promise<T> {
  const response = await fetch(`${PROMETHEUS}${apiPath}`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${apiPath}: ${body.error ?? response.status}`);
  return body.data;
}

/** A Kubernetes quantity ("10", "9983m", "1k") as a number. */
function quantity(q: string): number {
  const m = /^([0-9.]+)([mk]?)$/.exec(q);
  if (!m) throw new Error(`unexpected quantity ${q}`);
  return Number(m[1]) * (m[2] === 'm' ? 1e-3 : m[2] === 'k' ? 1e3 : 1);
}

let pod = '';

beforeAll(async () => {
  // A cluster started before metrics.sh was wired into cluster:up gets it here (a warm start: seconds).
  const status = await exec('bash', [METRICS_SH, 'status'], { allowFailure: true, timeoutMs: 60_000 });
  if (status.exitCode !== 0) await exec('bash', [METRICS_SH, 'up'], { timeoutMs: 1_800_000 });
  await applyObjects([
    restrictedNamespace(ns),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app } },
        template: {
          metadata: {
            labels: { app, track: 'stable' },
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' },
          },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'exporter',
                image: `${REGISTRY}/model-canary/debian-python:bookworm`,
                command: ['python3', '-c', EXPORTER],
                ports: [{ containerPort: 8080, name: 'http' }],
                readinessProbe: { httpGet: { path: '/metrics', port: 8080 }, periodSeconds: 1 },
                resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } },
                securityContext: RESTRICTED_CONTAINER,
              },
            ],
          },
        },
      },
    },
    // Both metric forms the chart's HPA uses; targets far above what the pod does, so it stays at 1.
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: app, namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } },
          { type: 'Pods', pods: { metric: { name: 'model_requests_per_second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
        ],
      },
    },
  ]);
  await kubectl(['-n', ns, 'rollout', 'status', `deployment/${app}`, '--timeout=120s']);
  const pods = await kubectlJson<{ items: { metadata: { name: string } }[] }>(['-n', ns, 'get', 'pods', '-l', `app=${app}`]);
  pod = pods.items[0]?.metadata.name ?? '';
  expect(pod).not.toBe('');
}, 1_900_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('metrics on the local cluster', () => {
  it('kubectl top pods answers for a running pod (metrics-server through metrics.k8s.io)', async () => {
    const started = Date.now();
    const line = await eventually('kubectl top pods lists the pod', 90_000, async () => {
      const top = await kubectl(['-n', ns, 'top', 'pods', '--no-headers'], { allowFailure: true, timeoutMs: 15_000 });
      return top.stdout
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.startsWith(`${pod} `));
    });
    console.log(`kubectl top pods after ${((Date.now() - started) / 1000).toFixed(0)}s: ${line}`);
    expect(line).toMatch(new RegExp(`^${pod}\\s+\\d+m\\s+\\d+Mi$`));
  }, 120_000);

  it('Prometheus scrapes the annotated pod through Kubernetes service discovery and a query returns its series', async () => {
    interface Target {
      labels: Record<string, string>;
      health: string;
      scrapeUrl: string;
      lastError: string;
    }
    const target = await eventually('Prometheus lists the pod as a healthy target', 60_000, async () => {
      const data = await prometheus<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
      return data.activeTargets.find((t) => t.labels['namespace'] === ns && t.labels['pod'] === pod && t.health === 'up');
    });
    expect(target.scrapeUrl).toMatch(/^http:\/\/10\.244\.0\.\d+:8080\/metrics$/);
    expect(target.labels['job']).toBe('kubernetes-pods');

    const query = encodeURIComponent(`model_requests_total{namespace="${ns}"}`);
    const series = await eventually('the query returns the series', 30_000, async () => {
      const data = await prometheus<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${query}`);
      return data.result.length === 2 ? data.result : undefined;
    });
    const routes = series.map((s) => s.metric['route']).sort();
    expect(routes).toEqual(['/metrics', '/predict']);
    for (const s of series) {
      expect(s.metric).toMatchObject({ __name__: 'model_requests_total', namespace: ns, pod, model: 'fake', version: '1.0.0', track: 'stable', status: '200' });
    }
  }, 120_000);

  it('the custom metrics API serves model_requests_per_second for the pod, without the /metrics route', async () => {
    const raw = await kubectl(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2']);
    const discovery = JSON.parse(raw.stdout) as { resources: { name: string; namespaced: boolean }[] };
    expect(discovery.resources).toContainEqual(expect.objectContaining({ name: 'pods/model_requests_per_second', namespaced: true }));

    interface MetricValueList {
      items: { describedObject: { kind: string; name: string; namespace: string }; metric: { name: string }; value: string }[];
    }
    const item = await eventually('the adapter serves a value for the pod', 60_000, async () => {
      const raw = await kubectl(['get', '--raw', `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/model_requests_per_second`], {
        allowFailure: true,
        timeoutMs: 15_000,
      });
      if (raw.exitCode !== 0) throw new Error(raw.stderr.trim());
      return (JSON.parse(raw.stdout) as MetricValueList).items.find((i) => i.describedObject.name === pod);
    });
    expect(item.describedObject).toMatchObject({ kind: 'Pod', namespace: ns });
    expect(item.metric.name).toBe('model_requests_per_second');
    // The same rate from Prometheus, for /predict alone and for every route: the adapter's value is the
    // first (10 per second once a minute of samples is in), and far from the second (/metrics: 1000 per second).
    const rate = async (selector: string): Promise<number> => {
      const q = encodeURIComponent(`sum(rate(model_requests_total{namespace="${ns}",pod="${pod}"${selector}}[1m]))`);
      const data = await prometheus<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${q}`);
      return Number(data.result[0]?.value[1] ?? NaN);
    };
    const rps = quantity(item.value);
    const [predict, all] = [await rate(',route="/predict"'), await rate('')];
    console.log(`model_requests_per_second for ${pod}: ${item.value}; Prometheus: /predict ${predict.toFixed(2)}/s, every route ${all.toFixed(2)}/s`);
    expect(rps).toBeGreaterThan(0);
    expect(rps).toBeLessThanOrEqual(11);
    expect(rps / predict).toBeGreaterThan(0.5);
    expect(rps / predict).toBeLessThan(2);
    expect(all).toBeGreaterThan(50 * rps);
  }, 120_000);

  it('an HPA gets both metrics: CPU from metrics.k8s.io, requests per second from custom.metrics.k8s.io', async () => {
    interface Hpa {
      status: {
        currentReplicas?: number;
        currentMetrics?: {
          type: string;
          resource?: { name: string; current: { averageUtilization?: number } };
          pods?: { metric: { name: string }; current: { averageValue: string } };
        }[];
      };
    }
    const started = Date.now();
    const metrics = await eventually('the HPA reports both current metrics', 120_000, async () => {
      const hpa = await kubectlJson<Hpa>(['-n', ns, 'get', 'hpa', app]);
      const current = hpa.status.currentMetrics ?? [];
      const cpu = current.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current.averageUtilization;
      const rps = current.find((m) => m.type === 'Pods' && m.pods?.metric.name === 'model_requests_per_second')?.pods?.current.averageValue;
      return cpu !== undefined && rps !== undefined ? { cpu, rps, replicas: hpa.status.currentReplicas } : undefined;
    });
    console.log(`HPA after ${((Date.now() - started) / 1000).toFixed(0)}s: cpu ${metrics.cpu}%, requests/s ${metrics.rps}, replicas ${metrics.replicas}`);
    expect(metrics.cpu).toBeGreaterThanOrEqual(0);
    expect(quantity(metrics.rps)).toBeGreaterThan(0);
    expect(quantity(metrics.rps)).toBeLessThanOrEqual(11);
    expect(metrics.replicas).toBe(1);
  }, 150_000);
});
