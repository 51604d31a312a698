import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createExec, type ExecOptions, type ExecResult } from '../../src/exec/exec.js';
import { MemoryLogger } from '../../src/log/logger.js';

/** Facts about the local cluster the end-to-end tests run on (see cluster/lib.sh). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const KUBECONFIG = process.env['MODEL_CANARY_KUBECONFIG'] ?? '/var/lib/model-canary/kubeconfig';
/**
 * Your own cluster (npm test on it): MODEL_CANARY_KUBECONFIG names a kubeconfig with admin rights on it,
 * MODEL_CANARY_REGISTRY a registry this machine pushes to and it pulls from, MODEL_CANARY_BASE_IMAGE the
 * model servers' base image there. None given: the embedded cluster and its registry.
 */
export const OWN_CLUSTER = Boolean(process.env['MODEL_CANARY_REGISTRY']);
export const REGISTRY = process.env['MODEL_CANARY_REGISTRY'] ?? '127.0.0.1:5000';
/** The model servers' base image: python3 with numpy, scikit-learn, joblib, fastapi, uvicorn, prometheus_client. */
export const BASE_IMAGE = process.env['MODEL_CANARY_BASE_IMAGE'] ?? `${REGISTRY}/model-canary/debian-ml:bookworm`;

function versions(): Record<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, 'cluster', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}
const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
const CACHED_KUBECTL = path.join(CACHE, 'bin', `kubernetes-${versions()['KUBERNETES_VERSION']}`, 'kubectl');
/** The pinned kubectl of the build cache, or the one on PATH (your own cluster, no cache). */
export const KUBECTL = existsSync(CACHED_KUBECTL) ? CACHED_KUBECTL : 'kubectl';
/** Where the runner reaches the cluster's Prometheus (cluster/lib.sh PROMETHEUS_URL, or your own). */
export const PROMETHEUS_URL = process.env['MODEL_CANARY_PROMETHEUS_URL'] ?? 'http://127.0.0.1:19090';
/** The Prometheus binary cluster/metrics.sh built. */
export const PROMETHEUS_BIN = path.join(CACHE, 'bin', `prometheus-${versions()['PROMETHEUS_VERSION']}`, 'prometheus');

/** Runs commands through the product's own exec wrapper, so tests exercise it too. */
export const exec = createExec(new MemoryLogger());

export function kubectl(args: string[], options: ExecOptions & { kubeconfig?: string } = {}): Promise<ExecResult> {
  const { kubeconfig, ...rest } = options;
  return exec(KUBECTL, ['--kubeconfig', kubeconfig ?? KUBECONFIG, ...args], { timeoutMs: 120_000, ...rest });
}

export async function kubectlJson<T>(args: string[], kubeconfig?: string): Promise<T> {
  const result = await kubectl([...args, '-o', 'json'], kubeconfig ? { kubeconfig } : {});
  return JSON.parse(result.stdout) as T;
}

/** Applies objects given as data: they are serialized to JSON here, never assembled as text. */
export async function applyObjects(objects: object[], kubeconfig?: string): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  await kubectl(['apply', '--server-side', '--field-manager=model-canary-e2e', '-f', '-'], {
    stdin: JSON.stringify(list),
    ...(kubeconfig ? { kubeconfig } : {}),
  });
}

/**
 * The build context of dir's Dockerfile: dir, or the folder named (relative to dir) in dir/.docker-context. The
 * iris example builds from the repository root (cut down by the root .dockerignore) to reach the model server.
 */
export function dockerContextOf(dir: string): string {
  const marker = path.join(dir, '.docker-context');
  return existsSync(marker) ? path.resolve(dir, readFileSync(marker, 'utf8').trim()) : dir;
}

/** Builds the image from dir's Dockerfile with Docker, pushes it to the local registry and returns repo@digest. */
export async function buildAndPush(dir: string, repository: string, buildArgs: Record<string, string>): Promise<string> {
  const tag = `${REGISTRY}/${repository}:e2e-${Date.now()}`;
  const args = ['build', '-q', '-t', tag, '-f', path.join(dir, 'Dockerfile')];
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  await exec('docker', [...args, dockerContextOf(dir)], { timeoutMs: 600_000 });
  await exec('docker', ['push', '-q', tag], { timeoutMs: 300_000 });
  const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .RepoDigests}}', tag]);
  const digests = JSON.parse(inspect.stdout) as string[];
  const pinned = digests.find((d) => d.startsWith(`${REGISTRY}/${repository}@sha256:`));
  if (!pinned) throw new Error(`no digest for ${tag} in ${inspect.stdout}`);
  return pinned;
}

/** A namespace enforcing Pod Security "restricted", as the tests' workloads must pass it. */
export function restrictedNamespace(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'model-canary.dev/e2e': 'true',
      },
    },
  };
}

/** The securityContext "restricted" requires of every container. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Every name uniqueName made in this test file: the failure report (./failure-report.ts) looks for namespaces among them. */
export const madeNames = new Set<string>();

export function uniqueName(prefix: string): string {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4).toString(36)}`;
  madeNames.add(name);
  return name;
}

/** True when the local cluster answers; the global setup brings it up otherwise. */
export function clusterIsUp(): boolean {
  try {
    execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'status.sh'), '--quiet'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}
