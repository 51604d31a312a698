import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { StageContext } from '../../src/core/context.js';
import { cleanupRecorder, type CleanupState } from '../../src/commands/entry.js';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import type { Config } from '../../src/config/types.js';
import { createExec, ProcessCounter } from '../../src/exec/exec.js';
import type { KubeObject } from '../../src/kube/client.js';
import { KubeSession } from '../../src/kube/session.js';
import { emptyOutputs } from '../../src/log/host.js';
import type { RunReport } from '../../src/log/report.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { tempDir } from '../helpers/temp.js';
import { applyObjects, BASE_IMAGE, buildAndPush, kubectl, REGISTRY, REPO_ROOT, RESTRICTED_CONTAINER, restrictedNamespace } from './cluster-env.js';
import { toolPath, workspace } from './run-command.js';

// What the deployer's end-to-end tests share: a restricted namespace where model-canary runs as a
// ServiceAccount bound to docs/rbac.yaml (never admin), contexts for in-process runs, and rendered-like
// objects shaped as the builtin chart renders them (ConfigMap, Service, Deployment with `track: stable`).

export const SA = 'model-canary-deployer';

/** One rule of a Role. */
export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * Creates the namespace, the Role and binding of docs/rbac.yaml and the ServiceAccount; returns its
 * kubeconfig. editRules changes the Role's rules (a test of a Role that lacks some).
 */
export async function leastPrivilegeNamespace(ns: string, editRules: (rules: RbacRule[]) => RbacRule[] = (rules) => rules): Promise<string> {
  await applyObjects([restrictedNamespace(ns)]);
  const rbac = parseAllDocuments(readFileSync(path.join(REPO_ROOT, 'docs', 'rbac.yaml'), 'utf8').replaceAll('NAMESPACE', ns))
    .map((d) => d.toJS() as { kind: string; rules?: RbacRule[] })
    .map((d) => (d.kind === 'Role' ? { ...d, rules: editRules(d.rules ?? []) } : d));
  await applyObjects([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: ns } }, ...rbac]);
  const file = path.join(tempDir('sa-kubeconfig-'), 'kubeconfig');
  execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'sa-kubeconfig.sh'), ns, SA, file], { stdio: 'pipe' });
  return file;
}

/** A config as loadConfig makes it, for model `name` in namespace ns, with short budgets for tests. */
export function testConfig(name: string, ns: string, patch: (c: Config) => void = () => undefined): Config {
  const ws = workspace(
    { Dockerfile: 'FROM scratch\n' },
    [
      'apiVersion: model-canary/v1',
      `model: { name: ${name}, version: "1.0.0" }`,
      `image: { repository: ${REGISTRY}/models/iris, dockerfile: Dockerfile }`,
      'canary: { readinessTimeout: 90s, lockTimeout: 60s, maxRestarts: 1 }',
      'smoke: { enabled: false }',
      // The bake window is off unless a test is about it (test/e2e/analysis.test.ts).
      'analysis: { duration: 0s, postPromotion: 0s }',
      '',
    ].join('\n'),
  );
  const config = loadConfig(
    { ...DEFAULT_INPUTS, command: 'release', namespace: ns },
    { workspace: ws, tempDir: tempDir('deploy-tmp-'), searchPath: toolPath(), commitSha: 'a'.repeat(40), repository: 'model-canary/e2e' },
  );
  config.run.runId = `e2e-${name}-${Math.random().toString(36).slice(2, 8)}`;
  patch(config);
  return config;
}

/**
 * Smoke cases from a file outside the test's workspace (the example's), copied into it: a run reads only
 * files inside its workspace (src/config/contained.ts), as loadConfig would have required of the path.
 */
export function useCases(config: Config, source: string): void {
  const copy = path.join(config.run.workspace, path.basename(source));
  copyFileSync(source, copy);
  config.smoke.cases = copy;
}

export interface TestRun {
  ctx: StageContext;
  host: MemoryHost;
  state: CleanupState;
  close(): Promise<void>;
}

/** A StageContext as runEntry builds it, with the cleanup state kept where a test can read it. */
export function testContext(config: Config): TestRun {
  const host = new MemoryHost();
  const counter = new ProcessCounter();
  const exec = createExec(host.logger, counter);
  const tools = { exec, logger: host.logger, searchPath: toolPath() };
  const kube = new KubeSession(host.logger, counter, tools, undefined);
  const state: CleanupState = {
    command: 'release',
    model: config.model.name,
    namespace: config.cluster.namespace,
    created: [],
    lockHeld: false,
    runId: config.run.runId,
  };
  const report: RunReport = {
    command: 'release',
    configPath: config.run.configPath,
    startedAt: new Date().toISOString(),
    stages: [],
    outputs: emptyOutputs(),
    sections: [],
  };
  const save = (saved: CleanupState): void => host.saveState('cleanup', JSON.stringify(saved));
  const ctx: StageContext = {
    host,
    exec,
    counter,
    report,
    tools,
    kube,
    cleanup: cleanupRecorder(state, save),
  };
  return { ctx, host, state, close: () => kube.close() };
}

export interface ModelOptions {
  env?: Record<string, string>;
  memoryLimit?: string;
  gpu?: boolean;
  replicas?: number;
  version?: string;
  /** Reads a key of a Secret that does not exist (CreateContainerConfigError for as long as it is missing). */
  missingSecret?: boolean;
}

/** The objects the builtin chart renders for the example model, as data. */
export function renderedObjects(name: string, ns: string, image: string, options: ModelOptions = {}): KubeObject[] {
  const version = options.version ?? '1.0.0';
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  const labels = { ...selector, 'app.kubernetes.io/version': version, 'app.kubernetes.io/managed-by': 'model-canary', track: 'stable' };
  const memoryLimit = options.memoryLimit ?? '256Mi';
  const limits: Record<string, string> = { cpu: '1', memory: memoryLimit };
  if (options.gpu) limits['nvidia.com/gpu'] = '1';
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-settings`, namespace: ns, labels }, data: { MODEL_VERSION: version, ...options.env } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: options.replicas ?? 1,
        selector: { matchLabels: { ...selector, track: 'stable' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: 'model-server',
                image,
                ports: [{ name: 'http', containerPort: 8080 }],
                envFrom: [{ configMapRef: { name: `${name}-settings` } }],
                env: [
                  // The pod's track (stable or canary), so a fault can hit one track only (MODEL_FAULT_TRACK).
                  { name: 'MODEL_TRACK', valueFrom: { fieldRef: { fieldPath: "metadata.labels['track']" } } },
                  ...(options.missingSecret ? [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: `${name}-no-such-secret`, key: 'key' } } }] : []),
                ],
                resources: { requests: { cpu: '10m', memory: options.memoryLimit ?? '64Mi' }, limits },
                startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 60 },
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
                securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
          },
        },
      },
    },
  ];
}

export async function getJson<T>(ns: string, args: string[]): Promise<T | undefined> {
  const result = await kubectl(['-n', ns, 'get', ...args, '-o', 'json', '--ignore-not-found'], {});
  return result.stdout.trim() ? (JSON.parse(result.stdout) as T) : undefined;
}

export interface LiveDeployment {
  metadata: { generation: number; labels?: Record<string, string> };
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { readyReplicas?: number };
}

export const imageOf = (d: LiveDeployment | undefined): string | undefined => d?.spec.template.spec.containers[0]?.image;

/**
 * For a test file whose runs go through the ServiceAccount of docs/rbac.yaml in ns: makes ns and the
 * account, points KUBECONFIG at it, and returns what puts KUBECONFIG back and deletes ns (for afterAll).
 */
export async function asServiceAccount(ns: string): Promise<{ kubeconfig: string; restore: () => Promise<void> }> {
  const kubeconfig = await leastPrivilegeNamespace(ns);
  const previous = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = kubeconfig;
  const restore = async (): Promise<void> => {
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
    await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
  };
  return { kubeconfig, restore };
}

/** The example model (examples/iris) built in its two variants and pushed: their image references. */
export async function buildIrisVariants(): Promise<{ v1: string; v2: string }> {
  const example = path.join(REPO_ROOT, 'examples', 'iris');
  return {
    v1: await buildAndPush(example, 'models/iris', { BASE_IMAGE, VARIANT: 'v1' }),
    v2: await buildAndPush(example, 'models/iris', { BASE_IMAGE, VARIANT: 'v2' }),
  };
}

/**
 * The model file of the command tests: the example model from a prebuilt image (image.dockerfile), one fast
 * pod, a manual decision, no bake window and no smoke stage.
 */
export function manualIrisModelFile(readinessTimeout: string): string {
  return [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0", framework: sklearn }',
    `image: { repository: ${REGISTRY}/models/iris, dockerfile: Dockerfile }`,
    'render:',
    '  values:',
    '    replicas: 1',
    '    resources: { requests: { cpu: 10m, memory: 64Mi }, limits: { memory: 256Mi } }',
    '    terminationGracePeriodSeconds: 5',
    '    preStopDelaySeconds: 0',
    '    probes: { startup: { budgetSeconds: 60, periodSeconds: 1 }, readiness: { periodSeconds: 1, failureThreshold: 1 } }',
    '    topologySpread: { enabled: false }',
    `canary: { readinessTimeout: ${readinessTimeout}, lockTimeout: 30s }`,
    'decide: { mode: manual }',
    'analysis: { duration: 0s, postPromotion: 0s }',
    'smoke: { enabled: false, protocol: open-inference-v2 }',
    '',
  ].join('\n');
}
