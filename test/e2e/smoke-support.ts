import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import type { SmokeReport } from '../../src/smoke/types.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { tempDir } from '../helpers/temp.js';
import { applyObjects, BASE_IMAGE, buildAndPush, exec, KUBECONFIG, kubectl, kubectlJson, REGISTRY, REPO_ROOT, RESTRICTED_CONTAINER } from './cluster-env.js';
export { BASE_IMAGE };
import { toolPath } from './run-command.js';

// What the smoke end-to-end tests share: the three model servers' images, their Deployments as data, a way
// to run `model-canary smoke` in-process, and the pods' own request logs.

const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
export const IRIS_CASES = path.join(REPO_ROOT, 'examples', 'iris', 'cases.yaml');
export const MODEL_CARD = path.join(REPO_ROOT, 'test', 'fixtures', 'smoke', 'model-card.json');

export type Server = 'iris' | 'mlserver' | 'kserve' | 'bentoml';

/** Per server: how the kubelet probes readiness and the request-log lines that are predictions. */
export const SERVERS: Record<Server, { readyPath: string; memory: string }> = {
  iris: { readyPath: '/readyz', memory: '256Mi' },
  mlserver: { readyPath: '/v2/health/ready', memory: '768Mi' },
  kserve: { readyPath: '/v2/health/ready', memory: '768Mi' },
  bentoml: { readyPath: '/readyz', memory: '768Mi' },
};

/** The PyPI-built servers share one Dockerfile and train.py; each has a folder (requirements, code, start.sh). */
const PEER_SERVERS = path.join(REPO_ROOT, 'test', 'fixtures', 'peer-servers');
/** The Python modules the image build imports once to check each server's install. */
const SERVER_MODULES: Record<Exclude<Server, 'iris'>, string> = {
  mlserver: 'mlserver, mlserver_sklearn, sklearn',
  kserve: 'kserve, sklearn',
  bentoml: 'bentoml, sklearn',
};

/**
 * The wheels a fixture's requirements.txt needs, downloaded on the host once (docker builds have no
 * network here) and cached under the cache folder, keyed by the requirements file's hash.
 */
export async function wheelhouse(server: Exclude<Server, 'iris'>): Promise<string> {
  const requirements = path.join(PEER_SERVERS, server, 'requirements.txt');
  const key = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, 'wheelhouse', `${server}-${key}`);
  if (existsSync(dir)) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  mkdirSync(partial, { recursive: true });
  const platforms = ['manylinux2014_x86_64', 'manylinux_2_17_x86_64', 'manylinux_2_28_x86_64', 'any'].flatMap((p) => ['--platform', p]);
  await exec(
    'pip',
    [
      'download',
      '--only-binary=:all:',
      '--python-version',
      '3.11',
      '--implementation',
      'cp',
      '--abi',
      'cp311',
      ...platforms,
      '-r',
      requirements,
      '-d',
      partial,
    ],
    { timeoutMs: 900_000 },
  );
  renameSync(partial, dir);
  return dir;
}

/** Builds and pushes a server's image; returns it by digest. */
export async function buildServer(server: Server): Promise<string> {
  if (server === 'iris') return buildExample();
  const context = tempDir(`smoke-${server}-`);
  for (const file of ['Dockerfile', 'train.py']) cpSync(path.join(PEER_SERVERS, file), path.join(context, file));
  cpSync(path.join(PEER_SERVERS, server), path.join(context, 'app'), { recursive: true });
  cpSync(await wheelhouse(server), path.join(context, 'wheels'), { recursive: true });
  try {
    return await buildAndPush(context, `e2e/smoke-${server}`, { BASE_IMAGE, SERVER_MODULES: SERVER_MODULES[server] });
  } finally {
    rmSync(path.join(context, 'wheels'), { recursive: true, force: true });
  }
}

/**
 * The example's image. Its Dockerfile is built either from examples/iris or, when it copies files by their
 * repository paths (the shared model server), from the repository root with -f.
 */
async function buildExample(): Promise<string> {
  const dockerfile = path.join(REPO_ROOT, 'examples', 'iris', 'Dockerfile');
  if (!/COPY[^\n]*examples\/iris\//.test(readFileSync(dockerfile, 'utf8'))) {
    return buildAndPush(path.join(REPO_ROOT, 'examples', 'iris'), 'e2e/smoke-iris', { BASE_IMAGE, VARIANT: 'v1' });
  }
  const tag = `${REGISTRY}/e2e/smoke-iris:e2e-${Date.now()}`;
  await exec('docker', ['build', '-q', '-f', dockerfile, '-t', tag, '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '--build-arg', 'VARIANT=v1', REPO_ROOT], {
    timeoutMs: 600_000,
  });
  await exec('docker', ['push', '-q', tag], { timeoutMs: 300_000 });
  const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .RepoDigests}}', tag]);
  const pinned = (JSON.parse(inspect.stdout) as string[]).find((d) => d.startsWith(`${REGISTRY}/e2e/smoke-iris@sha256:`));
  if (!pinned) throw new Error(`no digest for ${tag}`);
  return pinned;
}

export async function imageSizeMb(image: string): Promise<number> {
  const r = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', image]);
  return Number(r.stdout.trim()) / 1024 / 1024;
}

/** Deployment `<model>` (track stable) or `<model>-canary` (track canary), as the deploy stage names them. */
export function deployment(ns: string, server: Server, track: 'stable' | 'canary', image: string, replicas: number, env: Record<string, string> = {}): object {
  const labels = { 'app.kubernetes.io/name': 'iris', track };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: track === 'stable' ? 'iris' : 'iris-canary', namespace: ns, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'model',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: Object.entries({ DRAIN_DELAY_SECONDS: '0', ...env }).map(([name, value]) => ({ name, value })),
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: SERVERS[server].memory } },
              readinessProbe: { httpGet: { path: SERVERS[server].readyPath, port: 'http' }, periodSeconds: 1, failureThreshold: 2 },
              securityContext: RESTRICTED_CONTAINER,
            },
          ],
        },
      },
    },
  };
}

/** Applies the Deployment and waits for its rollout (every pod of the new ReplicaSet Ready, old ones gone). */
export async function rollOut(objects: object[], ns: string, names: string[], kubeconfig = KUBECONFIG): Promise<void> {
  await applyObjects(objects, kubeconfig);
  for (const name of names) await kubectl(['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=240s'], { timeoutMs: 250_000 });
}

/** Running pods of a track that are not terminating, by name. */
export async function podsOf(ns: string, track: 'stable' | 'canary'): Promise<string[]> {
  const pods = await kubectlJson<{ items: { metadata: { name: string; deletionTimestamp?: string }; status: { phase?: string } }[] }>([
    '-n',
    ns,
    'get',
    'pods',
    '-l',
    `app.kubernetes.io/name=iris,track=${track}`,
  ]);
  return pods.items
    .filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();
}

/** Prediction requests in a pod's own request log (the example's JSON lines, MLServer's, KServe's and BentoML's access logs). */
export async function predictionsLogged(ns: string, pod: string): Promise<number> {
  const r = await kubectl(['-n', ns, 'logs', pod, '--tail=-1']);
  return r.stdout.split('\n').filter((l) => /POST/.test(l) && /\/v2\/models\/iris\/infer|\/v1\/models\/iris(:|%3A)predict|path=\/predict\b/i.test(l)).length;
}

export async function predictionCounts(ns: string, pods: string[]): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(pods.map(async (p) => [p, await predictionsLogged(ns, p)] as const)));
}

/**
 * Runs `model-canary smoke` in-process, as the CLI and the action do, against the model called iris in
 * namespace ns. Returns the exit code, the outputs, the log and the JSON report.
 */
export async function runSmoke(
  ns: string,
  smoke: string,
  options: { kubeconfig?: string; set?: string[]; files?: Record<string, string> } = {},
): Promise<{ code: number; host: MemoryHost; report: SmokeReport | undefined; seconds: number }> {
  const ws = tempDir('smoke-ws-');
  writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(path.join(ws, 'cases.yaml'), readFileSync(IRIS_CASES));
  writeFileSync(path.join(ws, 'model-card.json'), readFileSync(MODEL_CARD));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(path.join(ws, name), content);
  writeFileSync(
    path.join(ws, 'model-canary.yaml'),
    [
      'apiVersion: model-canary/v1',
      'model: { name: iris, version: "1.0.0", card: model-card.json }',
      `image: { repository: ${REGISTRY}/e2e/iris, dockerfile: Dockerfile }`,
      'smoke:',
      ...smoke.split('\n').map((l) => `  ${l}`),
      '',
    ].join('\n'),
  );
  const host = new MemoryHost();
  const previous = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = options.kubeconfig ?? KUBECONFIG;
  const started = Date.now();
  try {
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'smoke', namespace: ns, set: options.set ?? [] },
      { workspace: ws, tempDir: tempDir('smoke-tmp-'), searchPath: toolPath(), repository: 'model-canary/e2e' },
    );
    const reportPath = host.outputs?.report;
    const report = reportPath ? (JSON.parse(readFileSync(reportPath, 'utf8')) as SmokeReport) : undefined;
    return { code, host, report, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
  }
}
