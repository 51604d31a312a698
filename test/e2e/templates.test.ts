import { type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubectlProxy } from './kubectl-proxy.js';
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text.js';
import { removeTempDirs } from '../helpers/temp.js';
import {
  applyObjects,
  BASE_IMAGE as ML_IMAGE,
  exec,
  kubectl,
  REGISTRY,
  REPO_ROOT,
  RESTRICTED_CONTAINER,
  restrictedNamespace,
  uniqueName,
} from './cluster-env.js';
import { dockerConfig, runCommandIn, uniqueSha, workspace } from './run-command.js';

// "Bring only your model": for each template, a workspace holding nothing but the model artifact (trained here,
// inside the debian-ml image with no network) and a ten-line model file goes through `command: build` in-process
// against the real Docker engine and registry; the image must be small, non-root, labelled, pushed by digest and
// free of guard findings. Then it runs on the cluster under Pod Security "restricted" and answers KServe V1 and
// the Open Inference Protocol (V2) through the API server's pods proxy.
//
// onnxruntime (and skl2onnx and onnx, to convert the model) are not in Debian. As an air-gapped user would, the
// test downloads their wheels on the host with pip (PyPI is reachable from the host, not from image builds) into
// a wheelhouse cached under /var/cache/model-canary/wheelhouse, keyed by the requirement list and the target
// Python, and uses them offline: the conversion mounts one, the ONNX image gets the other as image.wheelhouse.

const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
const FIXTURE = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'templates');
/**
 * The wheels the ONNX image installs (with their dependencies), and those the conversion needs: onnx wants
 * ml_dtypes, whose 0.6 needs numpy 2, and the conversion runs on Debian's numpy 1.24, so 0.5.4 is pinned.
 */
const RUNTIME_WHEELS = ['onnxruntime==1.32.0'];
const CONVERT_WHEELS = ['skl2onnx==1.20.0', 'onnx==1.23.2', 'ml_dtypes==0.5.4'];
/** What these two images must stay under; the default budget (1024 MiB) is for any model. See bench/build.sh. */
const SIZE_LIMIT_MB = 400;
const PORT = 8080;

/** Iris rows and the species the tiny logistic regression answers for them. */
const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [7.0, 3.2, 4.7, 1.4],
  [5.9, 2.8, 4.3, 1.3],
  [6.3, 3.3, 6.0, 2.5],
  [6.7, 3.1, 5.6, 2.4],
];
const SPECIES = ['setosa', 'versicolor', 'versicolor', 'virginica', 'virginica'];

/**
 * One image per case. The first two have the artifact alone: class names come from the model itself. The third
 * is fitted on class numbers and has a model card naming them (model.card), and keeps skl2onnx's ZipMap output.
 */
const CASES = [
  { name: 'sklearn', template: 'sklearn', artifact: 'model.joblib', card: false, platform: /^sklearn_\d/ },
  { name: 'onnx', template: 'onnx', artifact: 'model.onnx', card: false, platform: /^onnx_\d/ },
  { name: 'onnx-card', template: 'onnx', artifact: 'model.onnx', card: true, platform: /^onnx_\d/ },
] as const;
type Case = (typeof CASES)[number];

interface Built {
  image: string;
  sizeMb: number;
  log: string;
}
const built: Record<string, Built> = {};
const ns = uniqueName('e2e-templates');
let proxy: ChildProcess | undefined;
let proxyBase = '';

/** The Python tag (cp311) of the base image, for pip download's target. */
async function pythonTag(image: string): Promise<string> {
  const r = await exec('docker', ['run', '--rm', '--network', 'none', image, 'python3', '-c', 'import sys; print("%d%d" % sys.version_info[:2])']);
  return r.stdout.trim();
}

/**
 * A folder of wheels for the requirements and their dependencies (manylinux x86_64, CPython py), downloaded on the
 * host once and then reused: the folder's name is a hash of the requirement list and the target.
 */
async function wheelhouse(requirements: string[], py: string): Promise<string> {
  const target = ['--only-binary=:all:', '--python-version', py, '--implementation', 'cp', '--abi', `cp${py}`];
  for (const p of ['manylinux_2_28_x86_64', 'manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'any']) target.push('--platform', p);
  const key = createHash('sha256')
    .update(JSON.stringify([requirements, target]))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(CACHE, 'wheelhouse', key);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const result = await exec('python3', ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-cache-dir', '-d', partial, ...target, ...requirements], {
    allowFailure: true,
    timeoutMs: 600_000,
  });
  if (result.exitCode !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`pip download could not get wheels for ${requirements.join(' ')} (cp${py}, manylinux x86_64):\n${result.stderr.slice(-3000)}`);
  }
  writeFileSync(path.join(partial, '.complete'), `${requirements.join('\n')}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** Trains the tiny model into ws with no network, in the ML base image; for ONNX, converts it with skl2onnx. */
async function train(ws: string, c: Case, convertWheels: string): Promise<void> {
  const mounts = ['-v', `${ws}:/out`, '-v', `${FIXTURE}:/src:ro`];
  const flags = c.card ? ' --card' : '';
  let script = `python3 /src/train.py --out-dir /out${flags}`;
  if (c.template === 'onnx') {
    mounts.push('-v', `${convertWheels}:/wheels:ro`);
    script = [
      'PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --no-index --find-links /wheels --prefix /tmp/convert --no-warn-script-location --root-user-action=ignore skl2onnx onnx',
      `PYTHONPATH=/tmp/convert/local/lib/python3.11/dist-packages:/tmp/convert/lib/python3.11/site-packages python3 /src/train.py --out-dir /out --onnx${flags}`,
    ].join(' && ');
  }
  await exec('docker', ['run', '--rm', '--network', 'none', ...mounts, ML_IMAGE, 'sh', '-c', script], { timeoutMs: 300_000 });
}

function modelFile(c: Case): string {
  return [
    'apiVersion: model-canary/v1',
    `model: { name: tpl-${c.name}, version: "1.0.0", artifact: ${c.artifact}${c.card ? ', card: model-card.json' : ''} }`,
    'image:',
    `  repository: ${REGISTRY}/e2e/tpl-${c.name}`,
    `  template: ${c.template}`,
    ...(c.template === 'onnx' ? ['  wheelhouse: wheels'] : []),
    `  buildArgs: { BASE_IMAGE: "${ML_IMAGE}" }`,
    'smoke: { enabled: false }',
    '',
  ].join('\n');
}

function pod(name: string, image: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `tpl-${name}`, namespace: ns, labels: { app: `tpl-${name}` } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'model',
          image,
          ports: [{ name: 'http', containerPort: PORT }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
          startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 30 },
          readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
          securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
    },
  };
}

async function call(name: string, method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const url = `${proxyBase}/api/v1/namespaces/${ns}/pods/tpl-${name}:${PORT}/proxy${urlPath}`;
  const init: RequestInit = { method, signal: AbortSignal.timeout(60_000) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(url, init);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

beforeAll(async () => {
  const py = await pythonTag(ML_IMAGE);
  const [runtimeWheels, convertWheels] = [await wheelhouse(RUNTIME_WHEELS, py), await wheelhouse(CONVERT_WHEELS, py)];
  for (const c of CASES) {
    // The workspace holds the artifact (and card) and the model file; an ONNX one also the wheelhouse it builds from.
    const ws = workspace({}, modelFile(c));
    await train(ws, c, convertWheels);
    expect(readdirSync(ws).sort()).toEqual([c.artifact, 'model-canary.yaml', ...(c.card ? ['model-card.json'] : [])].sort());
    if (c.template === 'onnx') {
      mkdirSync(path.join(ws, 'wheels'));
      await exec('sh', ['-c', 'cp "$1"/*.whl "$2"/', 'sh', runtimeWheels, path.join(ws, 'wheels')]);
    }
    const started = Date.now();
    const { code, host } = await runCommandIn(ws, uniqueSha(), { DOCKER_CONFIG: dockerConfig(false) });
    expect(code, host.log).toBe(0);
    const image = host.outputs?.image ?? '';
    const inspect = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', image]);
    built[c.name] = { image, sizeMb: Number(inspect.stdout.trim()) / 2 ** 20, log: host.log };
    console.log(`template ${c.template} (${c.name}): built in ${Math.round((Date.now() - started) / 1000)}s, ${built[c.name]?.sizeMb.toFixed(0)} MiB`);
  }
  await applyObjects([restrictedNamespace(ns)]);
  const started = await startKubectlProxy();
  proxy = started.child;
  proxyBase = started.url;
  await applyObjects(CASES.map(({ name }) => pod(name, built[name]?.image ?? '')));
  for (const { name } of CASES) {
    await kubectl(['-n', ns, 'wait', `pod/tpl-${name}`, '--for=condition=Ready', '--timeout=180s'], { timeoutMs: 200_000 });
  }
}, 1_500_000);

afterAll(async () => {
  proxy?.kill('SIGTERM');
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  removeTempDirs();
}, 120_000);

describe.each(CASES)('the $template template ($name), from a workspace with only the model', ({ name, template, artifact, card, platform }) => {
  it('builds a small, non-root, labelled image, pushed by digest, with no guard findings', async () => {
    const b = built[name] as Built;
    expect(b.image).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/e2e/tpl-${name}@sha256:[a-f0-9]{64}$`));
    expect(b.log).not.toMatch(/image guard/);
    expect(b.sizeMb).toBeLessThan(SIZE_LIMIT_MB);

    const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .Config}}', b.image]);
    const config = JSON.parse(inspect.stdout) as { User: string; Labels: Record<string, string>; Env: string[] };
    expect(config.User).toBe('10001:10001');
    expect(config.Labels).toMatchObject({
      'dev.model-canary.template': template,
      'dev.model-canary.model.name': `tpl-${name}`,
      'dev.model-canary.model.version': '1.0.0',
    });
    expect(config.Env).toContain(`MODEL_FILE=${artifact}`);

    // As root, to see everything: the server and the model alone in /app; no compilers, pip or caches.
    const script = [
      'ls -A /app /app/model',
      'echo ---',
      'for t in gcc cc g++ c++ cpp ld as make pip pip3; do command -v "$t"; done',
      'python3 -c "import pip" 2>/dev/null && echo pip-module',
      'echo ---',
      'for d in /root/.cache /tmp /var/tmp /var/lib/apt/lists /var/cache/apt /usr/include; do [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1; done; true',
      'echo ---',
      template === 'onnx' ? 'python3 -c "import sklearn" 2>/dev/null && echo sklearn; python3 -c "import scipy" 2>/dev/null && echo scipy; true' : 'true',
      'echo ---',
      // onnxruntime is the wheelhouse's (the build had no network); the other packages are the base image's.
      template === 'onnx' ? 'python3 -c "import onnxruntime as o; print(o.__version__, o.__file__)"' : 'true',
    ].join('; ');
    const run = await exec('docker', ['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', 'sh', b.image, '-c', script]);
    const [app, tools, caches, extra, runtime] = run.stdout.split('---\n').map((s) => s.trim());
    const model = card ? [artifact, 'model-card.json'].sort() : [artifact];
    expect(app?.split('\n').filter((l) => l !== '')).toEqual(['/app:', 'model', 'model_server', 'serve.py', '/app/model:', ...model]);
    expect(tools).toBe('');
    expect(caches).toBe('');
    expect(extra).toBe('');
    if (template === 'onnx') expect(runtime).toMatch(/^1\.32\.0 \/usr\/local\/lib\/python3\.11\/dist-packages\/onnxruntime\//);
  });

  it('runs under Pod Security "restricted" and answers KServe V1', async () => {
    expect(await call(name, 'GET', `/v1/models/tpl-${name}`)).toMatchObject({ status: 200, body: { name: `tpl-${name}`, ready: true } });
    const reply = await call(name, 'POST', `/v1/models/tpl-${name}:predict`, { instances: ROWS });
    expect(reply).toEqual({ status: 200, body: { predictions: SPECIES } });
    const bad = await call(name, 'POST', `/v1/models/tpl-${name}:predict`, { instances: [[5.1, 3.5, 1.4]] });
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringContaining('4 numbers') } });
  });

  it('answers the Open Inference Protocol (V2): metadata from the model itself, and predictions', async () => {
    expect(await call(name, 'GET', '/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
    const meta = await call(name, 'GET', `/v2/models/tpl-${name}`);
    expect(meta).toMatchObject({
      status: 200,
      body: { name: `tpl-${name}`, versions: ['1.0.0'], platform: expect.stringMatching(platform), inputs: [{ name: 'input-0', shape: [-1, 4] }] },
    });
    const reply = await call(name, 'POST', `/v2/models/tpl-${name}/infer`, {
      id: 'r1',
      inputs: [{ name: 'input-0', shape: [ROWS.length, 4], datatype: 'FP32', data: ROWS.flat() }],
      outputs: [{ name: 'predict' }, { name: 'predict_proba' }],
    });
    expect(reply.status).toBe(200);
    const body = reply.body as { id: string; model_version: string; outputs: { name: string; shape: number[]; datatype: string; data: unknown[] }[] };
    expect(body).toMatchObject({ id: 'r1', model_version: '1.0.0' });
    expect(body.outputs[0]).toEqual({ name: 'predict', shape: [ROWS.length], datatype: 'BYTES', data: SPECIES });
    expect(body.outputs[1]).toMatchObject({ name: 'predict_proba', shape: [ROWS.length, 3], datatype: 'FP64' });
    const p = body.outputs[1]?.data as number[];
    for (let i = 0; i < ROWS.length; i++) expect(p.slice(i * 3, i * 3 + 3).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 4);

    const logs = await kubectl(['-n', ns, 'logs', `tpl-${name}`]);
    const lines = logs.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['event'] === 'model-loaded')).toMatchObject({ framework: template, features: 4 });
    expect(lines.some((l) => l['event'] === 'request' && l['path'] === `/v2/models/tpl-${name}/infer` && l['status'] === 200)).toBe(true);
  });

  it('serves Prometheus metrics with prometheus_client from the base image: requests, latency and predictions by class', async () => {
    const scrape = async (): Promise<ReturnType<typeof parsePrometheusText>> => {
      const reply = await call(name, 'GET', '/metrics');
      expect(reply.status).toBe(200);
      return parsePrometheusText(String(reply.body));
    };
    // The pod has no track label: the server says unknown.
    const labels = { model: `tpl-${name}`, version: '1.0.0', track: 'unknown' };
    const before = await scrape();
    const reply = await call(name, 'POST', `/v2/models/tpl-${name}/infer`, {
      inputs: [{ name: 'input-0', shape: [ROWS.length, 4], datatype: 'FP32', data: ROWS.flat() }],
    });
    expect(reply.status).toBe(200);
    const after = await scrape();
    const delta = (metric: string, match: Record<string, string> = {}): number =>
      sumOf(after, metric, { ...labels, ...match }) - sumOf(before, metric, { ...labels, ...match });
    expect(delta('model_requests_total')).toBe(1);
    expect(delta('model_requests_total', { route: '/v2/models/{model}/infer', status: '200' })).toBe(1);
    expect(delta('model_request_duration_seconds_count', { route: '/v2/models/{model}/infer' })).toBe(1);
    for (const species of new Set(SPECIES)) expect(delta('model_predictions_total', { class: species })).toBe(SPECIES.filter((s) => s === species).length);
    expect(delta('model_predictions_total')).toBe(ROWS.length);
    expect(sumOf(after, 'model_load_duration_seconds', labels)).toBeGreaterThan(0);
  });
});
