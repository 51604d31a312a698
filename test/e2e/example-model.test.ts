import http from 'node:http';
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubectlProxy } from './kubectl-proxy.js';
import {
  applyObjects,
  BASE_IMAGE,
  buildAndPush,
  exec,
  kubectl,
  kubectlJson,
  REPO_ROOT,
  RESTRICTED_CONTAINER,
  restrictedNamespace,
  uniqueName,
} from './cluster-env.js';
import { parsePrometheusText, sumOf, type Sample } from '../helpers/prometheus-text.js';

// The example model (examples/iris, served by the templates' model server) on the real cluster: its image is
// built with Docker for both variants (from the repository root, the context its Dockerfile names),
// pushed by digest and run under Pod Security "restricted" (read-only root, non-root, no capabilities). Every
// request goes through the API server's pods proxy (reached with `kubectl proxy`, which gives the exact status
// and body of error answers too). Then the fault variants of the same image, chosen by MODEL_FAULT.

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'iris');
const PORT = 8080;
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

interface SmokeCase {
  name: string;
  inputs: number[][];
  expect: { predictions: string[] };
}
const cases = parseYaml(readFileSync(path.join(EXAMPLE, 'cases.yaml'), 'utf8')) as SmokeCase[];

/** Iris rows near the versicolor/virginica border, where v2 (retrained) answers differently from v1. */
const BORDER_ROWS = [
  [6.9, 3.1, 4.9, 1.5],
  [5.9, 3.2, 4.8, 1.8],
  [6.7, 3.0, 5.0, 1.7],
  [4.9, 2.5, 4.5, 1.7],
  [6.0, 2.2, 5.0, 1.5],
  [6.3, 2.8, 5.1, 1.5],
  [6.1, 2.6, 5.6, 1.4],
];

interface Terminated {
  exitCode: number;
  reason?: string;
}
interface ContainerStatus {
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: { running?: { startedAt: string }; waiting?: { reason?: string }; terminated?: Terminated };
  lastState: { terminated?: Terminated };
  user?: { linux?: { uid: number; gid: number } };
}
interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  status: {
    phase: string;
    conditions?: { type: string; status: string; lastTransitionTime: string }[];
    containerStatuses?: ContainerStatus[];
  };
}
interface Reply {
  status: number;
  body: unknown;
  ms: number;
  contentType: string;
}
interface LogLine {
  event?: string;
  method?: string;
  path?: string;
  status?: number;
  latency_ms?: number;
  msg?: string;
  [key: string]: unknown;
}

const ns = uniqueName('e2e-iris');
const images = { v1: '', v2: '' };
const buildSeconds: Record<string, number> = {};
const pods = { v1: '', v2: '' };
/** Requests this test sent to each pod, in order, to compare with the pod's request log. */
const sent = new Map<string, { method: string; path: string; status: number }[]>();
let proxy: ChildProcess | undefined;
let proxyBase = '';

const FAULT_PODS = {
  crash: { MODEL_FAULT: 'crash' },
  'never-ready': { MODEL_FAULT: 'never-ready' },
  oom: { MODEL_FAULT: 'oom' },
  error: { MODEL_FAULT: 'error' },
  wrong: { MODEL_FAULT: 'wrong' },
  // Slow predictions, and a drain delay long enough to see readiness go false while requests are served.
  slow: { MODEL_FAULT: 'slow', MODEL_FAULT_DELAY_MS: '3000', DRAIN_DELAY_SECONDS: '3' },
} as const;
type Fault = keyof typeof FAULT_PODS;
const faultPod = (fault: Fault): string => `iris-fault-${fault}`;
/** A pod of the same image whose Python cannot import prometheus_client, as in a base image without it. */
const NO_METRICS_POD = 'iris-no-metrics';
/** The server's latency buckets, as templates/docker/README.md documents them. */
const LATENCY_BUCKETS = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5', '5.0', '10.0', '30.0', '+Inf'];
/** The track the server reads from its pod's label, through the downward API, as the chart passes it. */
const TRACK_ENV = { name: 'MODEL_TRACK', valueFrom: { fieldRef: { fieldPath: "metadata.labels['track']" } } };
/** The tracks the two variants play here: v1 as stable, v2 as its canary. */
const TRACKS = { v1: 'stable', v2: 'canary' } as const;

/** The pod spec the example should run with anywhere: restricted, read-only root, probes, resources. */
function podSpec(image: string, env: Record<string, string>, memory: { request: string; limit: string }): object {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, // the image's numeric USER
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: 'model',
        image,
        ports: [{ name: 'http', containerPort: PORT }],
        env: [TRACK_ENV, ...Object.entries(env).map(([name, value]) => ({ name, value }))],
        resources: { requests: { cpu: '100m', memory: memory.request }, limits: { cpu: '1', memory: memory.limit } },
        startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2, failureThreshold: 1 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
  };
}

const NORMAL_MEMORY = { request: '128Mi', limit: '256Mi' };

function deployment(variant: 'v1' | 'v2'): object {
  const labels = { app: 'iris', variant, track: TRACKS[variant] };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `iris-${variant}`, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(images[variant], {}, NORMAL_MEMORY) },
    },
  };
}

function faultPodObject(fault: Fault): object {
  const memory = fault === 'oom' ? { request: '128Mi', limit: '128Mi' } : NORMAL_MEMORY;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: faultPod(fault), namespace: ns, labels: { app: 'iris-fault', fault } },
    spec: podSpec(images.v1, { ...FAULT_PODS[fault] }, memory),
  };
}

function noMetricsPodObject(): object {
  const spec = podSpec(images.v1, {}, NORMAL_MEMORY) as { containers: { command?: string[] }[] };
  const hide = "import runpy, sys; sys.modules['prometheus_client'] = None; runpy.run_path('/app/serve.py', run_name='__main__')";
  if (spec.containers[0]) spec.containers[0].command = ['python3', '-c', hide];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: NO_METRICS_POD, namespace: ns, labels: { app: NO_METRICS_POD } }, spec };
}

/** One request to a pod through the API server's pods proxy; body may be a value (sent as JSON) or raw text. */
async function call(pod: string, method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<Reply> {
  const url = `${proxyBase}/api/v1/namespaces/${ns}/pods/${pod}:${PORT}/proxy${urlPath}`;
  const started = Date.now();
  const init: RequestInit = { method, signal: AbortSignal.timeout(60_000) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and the assertions will say so
  }
  const list = sent.get(pod) ?? [];
  list.push({ method, path: urlPath, status: response.status });
  sent.set(pod, list);
  return { status: response.status, body: parsed, ms: Date.now() - started, contentType: response.headers.get('content-type') ?? '' };
}

/** GET /metrics on the pod: its samples, in the Prometheus text format. */
async function scrape(pod: string): Promise<Sample[]> {
  const reply = await call(pod, 'GET', '/metrics');
  expect(reply.status).toBe(200);
  expect(reply.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(String(reply.body));
}

/** GET http://<pod IP>:PORT<path> on a keep-alive connection: the status and the Connection header of the reply. */
function connectionHeader(podIp: string, urlPath: string): Promise<{ status: number; connection: string }> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const request = http.get({ host: podIp, port: PORT, path: urlPath, agent, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () => {
        agent.destroy();
        resolve({ status: response.statusCode ?? 0, connection: String(response.headers.connection ?? '') });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${podIp}:${PORT}${urlPath} timed out`)));
    request.on('error', reject);
  });
}

function v2Request(rows: number[][], datatype: 'FP32' | 'FP64' = 'FP32', nested = false): object {
  return { inputs: [{ name: 'input-0', shape: [rows.length, 4], datatype, data: nested ? rows : rows.flat() }] };
}

async function getPod(name: string): Promise<Pod> {
  return kubectlJson<Pod>(['-n', ns, 'get', 'pod', name]);
}

async function podFor(variant: 'v1' | 'v2'): Promise<string> {
  const list = await kubectlJson<{ items: Pod[] }>(['-n', ns, 'get', 'pods', '-l', `app=iris,variant=${variant}`]);
  const live = list.items.filter((p) => !p.metadata.deletionTimestamp);
  expect(live).toHaveLength(1);
  return live[0]?.metadata.name ?? '';
}

/** Polls the pod until check says yes; fails with the pod's last status otherwise. */
async function waitForPod(name: string, what: string, timeoutMs: number, check: (c: ContainerStatus, pod: Pod) => boolean): Promise<Pod> {
  const deadline = Date.now() + timeoutMs;
  let pod: Pod | undefined;
  while (Date.now() < deadline) {
    pod = await getPod(name);
    const c = pod.status.containerStatuses?.[0];
    if (c && check(c, pod)) return pod;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`pod ${name} did not get ${what} within ${timeoutMs / 1000}s; last status: ${JSON.stringify(pod?.status)}`);
}

async function podLogs(name: string, previous = false): Promise<LogLine[]> {
  const result = await kubectl(['-n', ns, 'logs', name, ...(previous ? ['--previous'] : [])]);
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      throw new Error(`pod ${name} logged a line that is not JSON: ${line}`);
    }
  });
}

beforeAll(async () => {
  await applyObjects([restrictedNamespace(ns)]);
  const started = await startKubectlProxy();
  proxy = started.child;
  proxyBase = started.url;
  // One after the other: the second build reuses the first one's cached runtime stage.
  for (const variant of ['v1', 'v2'] as const) {
    const started = Date.now();
    images[variant] = await buildAndPush(EXAMPLE, 'models/iris', { BASE_IMAGE, VARIANT: variant });
    buildSeconds[variant] = Math.round((Date.now() - started) / 1000);
  }
  // Everything at once: the fault pods go through their restarts while the variants are checked.
  await applyObjects([deployment('v1'), deployment('v2'), noMetricsPodObject(), ...(Object.keys(FAULT_PODS) as Fault[]).map(faultPodObject)]);
  await Promise.all(['v1', 'v2'].map((v) => kubectl(['-n', ns, 'rollout', 'status', `deployment/iris-${v}`, '--timeout=180s'], { timeoutMs: 200_000 })));
  pods.v1 = await podFor('v1');
  pods.v2 = await podFor('v2');
}, 900_000);

afterAll(async () => {
  proxy?.kill('SIGTERM');
  await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s'], { allowFailure: true });
}, 180_000);

describe('the iris example model', () => {
  it('builds both variants and pushes them by digest', () => {
    console.log(`iris image builds: v1 ${buildSeconds['v1']}s, v2 ${buildSeconds['v2']}s`);
    expect(images.v1).toMatch(/^127\.0\.0\.1:5000\/models\/iris@sha256:[a-f0-9]{64}$/);
    expect(images.v2).toMatch(/^127\.0\.0\.1:5000\/models\/iris@sha256:[a-f0-9]{64}$/);
    expect(images.v2).not.toBe(images.v1);
  });

  it('has no training code, compilers or caches in the image, and a numeric non-root user', async () => {
    const script = [
      'ls -A /app /app/model',
      'echo ---',
      'for t in gcc cc g++ c++ cpp ld as make pip pip3 python3-config; do command -v "$t"; done',
      'echo ---',
      'find / -xdev \\( -name train.py -o -name "*.ipynb" -o -name "iris.*" -o -path /root/.cache -o -path "/app/*pycache*" \\) -print',
      'echo ---',
      'ls -A /usr/include 2>/dev/null | wc -l',
    ].join('; ');
    // As root, to see every directory.
    const run = await exec('docker', ['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', 'sh', images.v1, '-c', script]);
    const [app, tools, found, headers] = run.stdout.split('---\n').map((s) => s.trim());
    expect(app?.split('\n').filter((l) => l !== '')).toEqual(['/app:', 'model', 'model_server', 'serve.py', '/app/model:', 'model-card.json', 'model.joblib']);
    expect(tools).toBe('');
    expect(found).toBe('');
    expect(headers).toBe('0');

    const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .Config}}', images.v1]);
    const config = JSON.parse(inspect.stdout) as { User: string; Env: string[]; Labels: Record<string, string> };
    expect(config.User).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/);
    expect(config.Env).toContain('PYTHONDONTWRITEBYTECODE=1');
    expect(config.Labels['dev.model-canary.variant']).toBe('v1');
    const v2 = await exec('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "dev.model-canary.variant"}}', images.v2]);
    expect(v2.stdout.trim()).toBe('v2');
  });

  it('runs as a non-root user on a read-only root file system', async () => {
    const pod = await getPod(pods.v1);
    const status = pod.status.containerStatuses?.[0];
    expect(status?.ready).toBe(true);
    if (status?.user?.linux) expect(status.user.linux.uid).toBe(10001);
    const id = await kubectl(['-n', ns, 'exec', pods.v1, '--', 'id', '-u']);
    expect(id.stdout.trim()).toBe('10001');
    const write = await kubectl(['-n', ns, 'exec', pods.v1, '--', 'touch', '/app/x'], { allowFailure: true });
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toContain('Read-only file system');
  });

  it('answers KServe V1 metadata and predictions with the expected classes', async () => {
    const pod = pods.v1;
    expect(await call(pod, 'GET', '/v1/models/iris')).toMatchObject({ status: 200, body: { name: 'iris', ready: true } });
    for (const c of cases) {
      const reply = await call(pod, 'POST', '/v1/models/iris:predict', { instances: c.inputs });
      expect({ case: c.name, ...reply }).toMatchObject({ case: c.name, status: 200, body: { predictions: c.expect.predictions } });
    }
    const all = await call(pod, 'POST', '/v1/models/iris:predict', { instances: cases.flatMap((c) => c.inputs) });
    expect(all.body).toEqual({ predictions: cases.flatMap((c) => c.expect.predictions) });
  });

  it('answers the Open Inference Protocol (V2) with the same classes', async () => {
    const pod = pods.v1;
    expect(await call(pod, 'GET', '/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
    expect(await call(pod, 'GET', '/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
    expect(await call(pod, 'GET', '/v2/models/iris/ready')).toMatchObject({ status: 200, body: { name: 'iris', ready: true } });
    const meta = await call(pod, 'GET', '/v2/models/iris');
    expect(meta).toMatchObject({
      status: 200,
      body: {
        name: 'iris',
        versions: ['v1'],
        platform: expect.stringMatching(/^sklearn/),
        inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }],
        outputs: expect.arrayContaining([{ name: 'predict', datatype: 'BYTES', shape: [-1] }]),
      },
    });
    for (const c of cases) {
      const reply = await call(pod, 'POST', '/v2/models/iris/infer', v2Request(c.inputs));
      expect({ case: c.name, ...reply }).toMatchObject({
        case: c.name,
        status: 200,
        body: { model_name: 'iris', outputs: [{ name: 'predict', shape: [c.inputs.length], datatype: 'BYTES', data: c.expect.predictions }] },
      });
    }
    // FP64, nested data, both outputs: the same classes, and probabilities that sum to 1.
    const rows = cases.flatMap((c) => c.inputs);
    const both = await call(pod, 'POST', '/v2/models/iris/infer', {
      id: 'req-1',
      ...v2Request(rows, 'FP64', true),
      outputs: [{ name: 'predict' }, { name: 'predict_proba' }],
    });
    expect(both.status).toBe(200);
    const body = both.body as { id: string; outputs: { name: string; shape: number[]; data: (string | number)[] }[] };
    expect(body.id).toBe('req-1');
    expect(body.outputs[0]?.data).toEqual(cases.flatMap((c) => c.expect.predictions));
    expect(body.outputs[1]).toMatchObject({ name: 'predict_proba', shape: [rows.length, 3] });
    const probabilities = (body.outputs[1]?.data ?? []) as number[];
    for (let i = 0; i < rows.length; i++) {
      expect(probabilities.slice(i * 3, i * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('answers bad requests with 400 and a JSON error', async () => {
    const pod = pods.v1;
    const bad: [string, unknown][] = [
      ['/v1/models/iris:predict', '{"instances": [[5.1, 3.5'],
      ['/v1/models/iris:predict', { instances: [[5.1, 3.5, 1.4]] }],
      ['/v1/models/iris:predict', { instances: [[5.1, 3.5, 1.4, 'wide']] }],
      ['/v1/models/iris:predict', { rows: [[5.1, 3.5, 1.4, 0.2]] }],
      ['/v2/models/iris/infer', { inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'INT8', data: [5, 3, 1, 0] }] }],
      ['/v2/models/iris/infer', { inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }] }],
      ['/v2/models/iris/infer', { inputs: [] }],
    ];
    for (const [urlPath, body] of bad) {
      const reply = await call(pod, 'POST', urlPath, body);
      expect({ request: body, ...reply }).toMatchObject({ request: body, status: 400, body: { error: expect.any(String) } });
    }
    const unknown = await call(pod, 'POST', '/v1/models/tulip:predict', { instances: [[5.1, 3.5, 1.4, 0.2]] });
    expect(unknown).toMatchObject({ status: 404, body: { error: expect.stringContaining('tulip') } });
  });

  it('logs one JSON line per request', async () => {
    const pod = pods.v1;
    const expected = sent.get(pod) ?? [];
    expect(expected.length).toBeGreaterThan(20);
    // The line is written as the response ends: give the last one a moment.
    let requests: LogLine[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const lines = await podLogs(pod); // throws on a line that is not JSON
      requests = lines.filter((l) => l.event === 'request' && !PROBE_PATHS.has(String(l.path)));
      if (requests.length >= expected.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(requests.map((l) => ({ method: l.method, path: l.path, status: l.status }))).toEqual(expected);
    for (const line of requests) {
      expect(line).toMatchObject({ ts: expect.any(String), level: 'info', latency_ms: expect.any(Number) });
      expect(line.latency_ms).toBeGreaterThanOrEqual(0);
    }
    // The kubelet's probes are requests too, and are logged the same way.
    const lines = await podLogs(pod);
    expect(lines.some((l) => l.event === 'request' && l.path === '/readyz' && l.status === 200)).toBe(true);
    expect(lines.some((l) => l.event === 'model-loaded' && l.variant === 'v1')).toBe(true);
  });

  it('v2 is the retrained model: its card says v2, it agrees on the cases and differs near the border', async () => {
    const pod = pods.v2;
    const card = await call(pod, 'GET', '/model-card');
    expect(card).toMatchObject({
      status: 200,
      body: {
        variant: 'v2',
        framework: 'sklearn',
        sklearn_version: expect.stringMatching(/^\d+\.\d+/),
        feature_names: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
        class_names: ['setosa', 'versicolor', 'virginica'],
      },
    });
    expect((card.body as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.85);
    const v1Card = await call(pods.v1, 'GET', '/model-card');
    expect(v1Card.body).toMatchObject({ variant: 'v1', framework: 'sklearn' });
    expect(await call(pod, 'GET', '/v2/models/iris')).toMatchObject({ status: 200, body: { versions: ['v2'] } });
    const inFile = await kubectl(['-n', ns, 'exec', pod, '--', 'cat', '/app/model/model-card.json']);
    expect(JSON.parse(inFile.stdout)).toMatchObject({ variant: 'v2' });

    for (const c of cases) {
      const v1 = await call(pod, 'POST', '/v1/models/iris:predict', { instances: c.inputs });
      expect({ case: c.name, ...v1 }).toMatchObject({ case: c.name, status: 200, body: { predictions: c.expect.predictions } });
      const v2 = await call(pod, 'POST', '/v2/models/iris/infer', v2Request(c.inputs));
      expect((v2.body as { outputs: { data: string[] }[] }).outputs[0]?.data).toEqual(c.expect.predictions);
    }
    const [a, b] = await Promise.all([pods.v1, pods.v2].map((p) => call(p, 'POST', '/v1/models/iris:predict', { instances: BORDER_ROWS })));
    const fromV1 = (a?.body as { predictions: string[] }).predictions;
    const fromV2 = (b?.body as { predictions: string[] }).predictions;
    expect(fromV1).toHaveLength(BORDER_ROWS.length);
    expect(fromV2.filter((p, i) => p !== fromV1[i]).length).toBeGreaterThan(0);
  });

  it.each([
    { variant: 'v1', track: 'stable' },
    { variant: 'v2', track: 'canary' },
  ] as const)(
    'serves Prometheus metrics on $variant (track $track): requests by route and status, latency, predictions by class',
    async ({ variant, track }) => {
      const pod = pods[variant];
      const labels = { model: 'iris', version: variant, track };
      const predict = '/v1/models/{model}:predict';
      const infer = '/v2/models/{model}/infer';
      const before = await scrape(pod);
      const answered: string[] = [];
      for (const c of cases) {
        const reply = await call(pod, 'POST', '/v1/models/iris:predict', { instances: c.inputs });
        expect(reply.status).toBe(200);
        answered.push(...(reply.body as { predictions: string[] }).predictions);
      }
      const border = await call(pod, 'POST', '/v2/models/iris/infer', v2Request(BORDER_ROWS));
      expect(border.status).toBe(200);
      answered.push(...((border.body as { outputs: { data: string[] }[] }).outputs[0]?.data ?? []));
      expect(await call(pod, 'POST', '/v1/models/iris:predict', { instances: [[5.1, 3.5, 1.4]] })).toMatchObject({ status: 400 });
      // Probes and scrapes are not model requests (the kubelet's own probes of /readyz and /healthz run all along).
      for (const probe of ['/v2/health/live', '/v2/health/ready', '/v2/models/iris/ready', '/metrics'])
        expect((await call(pod, 'GET', probe)).status).toBe(200);
      const after = await scrape(pod);
      const delta = (name: string, match: Record<string, string> = {}): number =>
        sumOf(after, name, { ...labels, ...match }) - sumOf(before, name, { ...labels, ...match });

      // Every series is the server's own and says which model, version and track it is.
      const ours = after.filter((s) => s.name.startsWith('model_'));
      expect(new Set(ours.map((s) => s.name))).toEqual(
        new Set([
          'model_requests_total',
          'model_request_duration_seconds_bucket',
          'model_request_duration_seconds_count',
          'model_request_duration_seconds_sum',
          'model_requests_in_flight',
          'model_load_duration_seconds',
          'model_predictions_total',
        ]),
      );
      expect(after.filter((s) => !s.name.startsWith('model_'))).toEqual([]);
      for (const s of ours) expect(s.labels).toMatchObject(labels);

      // Requests by route and status: exactly what was sent, nothing for the probes or the scrapes.
      expect(delta('model_requests_total', { route: predict, status: '200' })).toBe(cases.length);
      expect(delta('model_requests_total', { route: infer, status: '200' })).toBe(1);
      expect(delta('model_requests_total', { route: predict, status: '400' })).toBe(1);
      expect(delta('model_requests_total')).toBe(cases.length + 2);
      const routes = [...new Set(after.filter((s) => s.name === 'model_requests_total').map((s) => s.labels['route'] ?? ''))];
      for (const route of routes) expect(route).not.toMatch(/health|ready|metrics/);

      // The histogram holds the same requests: its count is the counter's, route by route, and its buckets are the documented ones.
      expect(delta('model_request_duration_seconds_count', { route: predict })).toBe(cases.length + 1);
      expect(delta('model_request_duration_seconds_count', { route: infer })).toBe(1);
      for (const route of routes) {
        const count = sumOf(after, 'model_request_duration_seconds_count', { ...labels, route });
        expect({ route, count }).toEqual({ route, count: sumOf(after, 'model_requests_total', { ...labels, route }) });
        expect(sumOf(after, 'model_request_duration_seconds_bucket', { ...labels, route, le: '+Inf' })).toBe(count);
      }
      const buckets = after.filter((s) => s.name === 'model_request_duration_seconds_bucket' && s.labels['route'] === predict);
      expect(buckets.map((s) => s.labels['le'])).toEqual(LATENCY_BUCKETS);
      expect(buckets.map((s) => s.value)).toEqual([...buckets.map((s) => s.value)].sort((a, b) => a - b));

      // Predictions by class add up to the rows answered, class by class; every class is there, at 0 if never answered.
      const classes = ['setosa', 'versicolor', 'virginica'];
      expect(
        after
          .filter((s) => s.name === 'model_predictions_total')
          .map((s) => s.labels['class'])
          .sort(),
      ).toEqual(classes);
      for (const c of classes)
        expect({ class: c, n: delta('model_predictions_total', { class: c }) }).toEqual({ class: c, n: answered.filter((a) => a === c).length });
      expect(delta('model_predictions_total')).toBe(cases.flatMap((c) => c.inputs).length + BORDER_ROWS.length);

      expect(sumOf(after, 'model_requests_in_flight', labels)).toBe(0); // the scrape itself is not a model request
      const load = sumOf(after, 'model_load_duration_seconds', labels);
      expect(load).toBeGreaterThan(0);
      expect(load).toBeLessThan(120);
      console.log(`iris ${variant} (${track}): model loaded in ${load}s; ${sumOf(after, 'model_requests_total', labels)} model requests counted`);
    },
  );

  it('without prometheus_client: starts and serves, /metrics answers 503 saying why, said once in the log', async () => {
    await kubectl(['-n', ns, 'wait', `pod/${NO_METRICS_POD}`, '--for=condition=Ready', '--timeout=120s'], { timeoutMs: 130_000 });
    const first = await call(NO_METRICS_POD, 'GET', '/metrics');
    expect(first.status).toBe(503);
    expect(String(first.body)).toContain('/metrics is off: this image has no prometheus_client (Debian: python3-prometheus-client');
    const c = cases[0];
    expect(await call(NO_METRICS_POD, 'POST', '/v1/models/iris:predict', { instances: c?.inputs })).toMatchObject({
      status: 200,
      body: { predictions: c?.expect.predictions },
    });
    expect((await call(NO_METRICS_POD, 'GET', '/metrics')).status).toBe(503);
    const lines = await podLogs(NO_METRICS_POD);
    const said = lines.filter((l) => l.event === 'metrics-off');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 'warning', msg: expect.stringContaining('the server runs without metrics') });
    expect(lines.find((l) => l.event === 'starting')).toMatchObject({ metrics: false, track: 'unknown' });
  });
});

describe('the iris example model, its fault variants', () => {
  it('crash: exits non-zero at start and ends in CrashLoopBackOff', async () => {
    const name = faultPod('crash');
    const pod = await waitForPod(
      name,
      'CrashLoopBackOff',
      90_000,
      (c) => c.state.waiting?.reason === 'CrashLoopBackOff' && c.lastState.terminated !== undefined,
    );
    const c = pod.status.containerStatuses?.[0];
    expect(c?.restartCount).toBeGreaterThanOrEqual(1);
    expect(c?.lastState.terminated?.exitCode).toBe(3);
    const previous = await podLogs(name, true);
    expect(previous.some((l) => l.event === 'fault' && l.fault === 'crash')).toBe(true);
  });

  it('never-ready: runs and answers liveness, but is never Ready', async () => {
    const name = faultPod('never-ready');
    const running = await waitForPod(name, 'started', 60_000, (c) => c.started === true && c.state.running !== undefined);
    const startedAt = Date.parse(running.status.containerStatuses?.[0]?.state.running?.startedAt ?? '');
    // Watch it until it has run for 20 s (at least a few seconds from now): Ready must never turn True.
    const until = Math.max(startedAt + 20_000, Date.now() + 4_000);
    while (Date.now() < until) {
      const pod = await getPod(name);
      const ready = pod.status.conditions?.find((x) => x.type === 'Ready');
      expect(ready?.status).toBe('False');
      // False since the pod began: had it ever been Ready, the condition would have changed after the start.
      expect(Date.parse(ready?.lastTransitionTime ?? '')).toBeLessThanOrEqual(startedAt + 1000);
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.containerStatuses?.[0]?.restartCount).toBe(0);
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(await call(name, 'GET', '/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
    expect(await call(name, 'GET', '/healthz')).toMatchObject({ status: 200 });
    expect(await call(name, 'GET', '/v2/health/ready')).toMatchObject({ status: 503, body: { ready: false } });
    expect(await call(name, 'GET', '/readyz')).toMatchObject({ status: 503 });
    expect(await call(name, 'GET', '/v1/models/iris')).toMatchObject({ status: 503, body: { name: 'iris', ready: false } });
    expect(await call(name, 'POST', '/v1/models/iris:predict', { instances: [[5.1, 3.5, 1.4, 0.2]] })).toMatchObject({ status: 503 });
  }, 120_000);

  it('oom: is OOMKilled by its memory limit', async () => {
    const name = faultPod('oom');
    const pod = await waitForPod(
      name,
      'OOMKilled',
      90_000,
      (c) => c.lastState.terminated?.reason === 'OOMKilled' || c.state.terminated?.reason === 'OOMKilled',
    );
    const c = pod.status.containerStatuses?.[0];
    const terminated = c?.lastState.terminated ?? c?.state.terminated;
    expect(terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    if (c?.lastState.terminated) {
      const previous = await podLogs(name, true);
      expect(previous.some((l) => l.event === 'fault' && l.fault === 'oom')).toBe(true);
    }
  });

  it('error and wrong: Ready, but failing or wrong predictions', async () => {
    for (const fault of ['error', 'wrong'] as const) {
      await kubectl(['-n', ns, 'wait', `pod/${faultPod(fault)}`, '--for=condition=Ready', '--timeout=60s']);
    }
    const failing = await call(faultPod('error'), 'POST', '/v1/models/iris:predict', { instances: cases[0]?.inputs });
    expect(failing).toMatchObject({ status: 500, body: { error: expect.stringContaining('fault') } });
    for (const c of cases) {
      const reply = await call(faultPod('wrong'), 'POST', '/v2/models/iris/infer', v2Request(c.inputs));
      expect(reply.status).toBe(200);
      const data = (reply.body as { outputs: { data: string[] }[] }).outputs[0]?.data ?? [];
      data.forEach((p, i) => expect(p).not.toBe(c.expect.predictions[i]));
    }
  });

  it('slow: predictions take the injected delay; SIGTERM turns readiness off and drains the request in flight', async () => {
    const name = faultPod('slow');
    await kubectl(['-n', ns, 'wait', `pod/${name}`, '--for=condition=Ready', '--timeout=60s']);
    const c = cases[0];
    const timed = await call(name, 'POST', '/v1/models/iris:predict', { instances: c?.inputs });
    expect(timed).toMatchObject({ status: 200, body: { predictions: c?.expect.predictions } });
    expect(timed.ms).toBeGreaterThanOrEqual(3000);

    // Straight to the pod (the API server's proxy drops hop-by-hop headers): keep-alive while serving.
    const podIp = (await kubectl(['-n', ns, 'get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).stdout.trim();
    const serving = await connectionHeader(podIp, '/healthz');
    expect(serving.status).toBe(200);
    expect(serving.connection).not.toBe('close');

    // A 3 s prediction in flight, then SIGTERM to the server (PID 1).
    const inFlight = call(name, 'POST', '/v1/models/iris:predict', { instances: c?.inputs });
    await new Promise((r) => setTimeout(r, 500));
    await kubectl(['-n', ns, 'exec', name, '--', 'python3', '-c', 'import os, signal; os.kill(1, signal.SIGTERM)']);
    // Within DRAIN_DELAY_SECONDS: still serving, live, no longer ready, and closing each connection after its
    // response, so keep-alive clients move to other pods before the server stops.
    expect(await call(name, 'GET', '/readyz')).toMatchObject({ status: 503, body: { ready: false } });
    expect(await call(name, 'GET', '/v2/health/ready')).toMatchObject({ status: 503 });
    expect(await call(name, 'GET', '/healthz')).toMatchObject({ status: 200 });
    expect(await connectionHeader(podIp, '/healthz')).toEqual({ status: 200, connection: 'close' });
    expect(await inFlight).toMatchObject({ status: 200, body: { predictions: c?.expect.predictions } });

    // The server then exits 0 (a clean stop; the kubelet starts it again).
    const pod = await waitForPod(name, 'a clean restart', 60_000, (s) => s.restartCount >= 1 && s.lastState.terminated !== undefined);
    expect(pod.status.containerStatuses?.[0]?.lastState.terminated?.exitCode).toBe(0);
    const previous = await podLogs(name, true);
    const draining = previous.findIndex((l) => l.event === 'draining' && l.signal === 'SIGTERM');
    const stopped = previous.findIndex((l) => l.event === 'stopped');
    const served = previous.findIndex((l, i) => i > draining && l.event === 'request' && l.path === '/v1/models/iris:predict' && l.status === 200);
    expect(draining).toBeGreaterThanOrEqual(0);
    expect(served).toBeGreaterThan(draining);
    expect(stopped).toBeGreaterThan(served);
    expect(Number(previous[served]?.latency_ms)).toBeGreaterThanOrEqual(3000);
  }, 120_000);
});
