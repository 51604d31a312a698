import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanupRecorder, type CleanupState } from '../../src/commands/entry.js';
import type { Config } from '../../src/config/types.js';
import type { StageContext } from '../../src/core/context.js';
import { createExec, ProcessCounter } from '../../src/exec/exec.js';
import type { KubeObject } from '../../src/kube/client.js';
import { KubeSession } from '../../src/kube/session.js';
import { emptyOutputs } from '../../src/log/host.js';
import type { RunReport } from '../../src/log/report.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import {
  applyObjects,
  BASE_IMAGE,
  buildAndPush,
  kubectl,
  kubectlJson,
  REPO_ROOT,
  RESTRICTED_CONTAINER,
  restrictedNamespace,
  uniqueName,
} from '../../test/e2e/cluster-env.js';
import { leastPrivilegeNamespace, renderedObjects, testConfig, useCases } from '../../test/e2e/deploy-env.js';
import { TimedHost } from '../../test/e2e/fixtures/release-prober.js';
import { toolPath } from '../../test/e2e/run-command.js';

// The peer benchmark of issue 12: Flagger (github.com/fluxcd/flagger, FLAGGER_VERSION in versions.env, built
// from its Go module and run on the node by bench/peers/flagger.sh with its gatewayapi:v1 provider through the
// cluster's Traefik) and model-canary (strategy traffic through the same Gateway, a 60 s analysis window), one
// after the other on the same cluster, on the same three canaries of the example model (examples/iris):
//   good   v2, a lighter forest (stable is v1)
//   crash  v2 exiting 20 s after it became Ready (MODEL_FAULT=exit-after-ready)
//   slow   v1 made 50 % slower than stable's median latency (MODEL_FAULT=slow, delay from model-canary's
//          measurement of stable in the good run, as test/e2e/analysis.test.ts does)
// Each tool and canary gets a namespace of its own with stable v1 released first, and a prober sending one V2
// inference through the Gateway (Host header) every 50 ms from just before the release until it ended.
//   npx vitest run --config bench/peers/vitest.config.ts
// Every figure printed is measured in this run.

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'iris');
const CASES = path.join(EXAMPLE, 'cases.yaml');
const GATEWAY = { name: 'model-canary', namespace: 'model-canary-gateway' };
const FLAGGER_SH = path.join(REPO_ROOT, 'bench', 'peers', 'flagger.sh');
const NAME = 'iris';
const CRASH_AFTER_S = 20;

// model-canary: one analysis window of 60 s at a fixed weight, then promote (no post-promotion window:
// Flagger has none either).
const MC = { weight: 20, windowMs: 60_000, rps: 10, warmup: 5 };
// Flagger: comparable to a 60 s window: a check every 10 s, the weight stepping 10 → 50 by 10 (so about
// six checks and 60 s of analysis before the promotion), rolled back at the second failed check, the
// metrics' rate windows 30 s; progressDeadlineSeconds 60 (its default, 600, is how long a canary may be
// unready before Flagger gives up on it). Metrics: MetricTemplates on the model server's own series
// (the built-in gatewayapi checks query http_request_duration_seconds with kubernetes_pod_name labels,
// which neither Traefik here nor the model server writes).
const FLAGGER = {
  interval: '10s',
  threshold: 2,
  stepWeight: 10,
  maxWeight: 50,
  metricInterval: '30s',
  progressDeadlineSeconds: 60,
  minSuccessRate: 99,
  maxLatencyRatio: 1.1,
};

const images = { v1: '', v2: '' };
const namespaces: { ns: string; tool: 'flagger' | 'model-canary' }[] = [];
const rows: Row[] = [];
let entrypoint = '';
let stableP50Ms: number | undefined;

interface Row {
  tool: string;
  variant: string;
  detectFrom: string;
  detectMs?: number;
  wallMs: number;
  failed: number;
  sent: number;
  /** The most restarts of a stable (Flagger: primary) container during the run. */
  stableRestarts: number;
  verdict: string;
  note: string;
}

const host = (ns: string): string => `${NAME}.${ns}.test`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const s = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------------------------------------------------
// The prober: one V2 inference through Traefik's entrypoint with the route's host name, every 50 ms.

const INFER = JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [[5.1, 3.5, 1.4, 0.2]] }] });
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface Probe {
  at: number;
  ok: boolean;
  status: number;
  error?: string;
}

function infer(hostName: string, timeoutMs = 5_000): Promise<Probe> {
  const url = new URL(`${entrypoint}/v2/models/${NAME}/infer`);
  const at = Date.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { Host: hostName, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(INFER) },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          const ok = res.statusCode === 200 && body.includes('"predict"');
          resolve({ at, ok, status: res.statusCode ?? 0, ...(ok ? {} : { error: body.slice(0, 120) }) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ at, ok: false, status: 0, error: e.message }));
    req.end(INFER);
  });
}

class GatewayProber {
  readonly results: Probe[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  constructor(private readonly hostName: string) {}
  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const r = await infer(this.hostName);
        this.results.push(r);
        const wait = 50 - (Date.now() - r.at);
        if (wait > 0) await sleep(wait);
      }
    })();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
  failures(): Probe[] {
    return this.results.filter((r) => !r.ok);
  }
}

/** Until `runs` inferences in a row through the Gateway succeed (the route is programmed and the pods routed). */
async function settle(hostName: string, runs = 20, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let run = 0;
  let last = '';
  while (run < runs) {
    const r = await infer(hostName, 2_000);
    last = `${r.status} ${r.error ?? ''}`;
    run = r.ok ? run + 1 : 0;
    if (Date.now() > deadline)
      throw new Error(`${hostName} did not answer ${runs} inferences in a row through the Gateway within ${timeoutMs} ms (last: ${last})`);
    if (!r.ok) await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Watching the canary's pods (as admin, every 200 ms): the first container exit, the most restarts.

interface Pods {
  items: {
    status?: {
      containerStatuses?: { restartCount?: number; state?: { terminated?: { finishedAt?: string } }; lastState?: { terminated?: { finishedAt?: string } } }[];
    };
  }[];
}

function watchPods(ns: string, selector: string): { stop(): Promise<{ firstExitAt?: number; restarts: number }> } {
  let stopped = false;
  const seen: { firstExitAt?: number; restarts: number } = { restarts: 0 };
  const loop = (async () => {
    while (!stopped) {
      const pods = await kubectlJson<Pods>(['-n', ns, 'get', 'pods', '-l', selector]).catch(() => ({ items: [] }) as Pods);
      for (const p of pods.items) {
        for (const c of p.status?.containerStatuses ?? []) {
          const finished = c.state?.terminated?.finishedAt ?? c.lastState?.terminated?.finishedAt;
          if (finished) {
            const t = Date.parse(finished);
            if (seen.firstExitAt === undefined || t < seen.firstExitAt) seen.firstExitAt = t;
          }
          seen.restarts = Math.max(seen.restarts, c.restartCount ?? 0);
        }
      }
      await sleep(200);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// model-canary, in process (deliverRelease, as test/e2e/traffic.test.ts), as the ServiceAccount of docs/rbac.yaml.

/** testContext of test/e2e/deploy-env.ts with a host whose log lines carry their time. */
function timedContext(config: Config): { ctx: StageContext; host: TimedHost; close(): Promise<void> } {
  const host = new TimedHost();
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
  const ctx: StageContext = {
    host,
    exec,
    counter,
    report,
    tools,
    kube,
    cleanup: cleanupRecorder(state, (saved) => host.saveState('cleanup', JSON.stringify(saved))),
  };
  return { ctx, host, close: () => kube.close() };
}

function mcConfig(ns: string, version: string): Config {
  return testConfig(NAME, ns, (c) => {
    c.model.version = version;
    c.canary.strategy = 'traffic';
    c.canary.weight = MC.weight;
    c.canary.gateway = GATEWAY;
    c.canary.hostnames = [host(ns)];
    c.decide.mode = 'auto';
    useCases(c, CASES);
    c.smoke.protocol = 'open-inference-v2';
    c.analysis = { ...c.analysis, durationMs: MC.windowMs, intervalMs: 5_000, load: { rps: MC.rps }, warmup: MC.warmup, postPromotionMs: 0 };
  });
}

interface McRun {
  verdict?: string;
  error?: unknown;
  host: TimedHost;
  summary: string;
  startedAt: number;
  endedAt: number;
}

async function mcRelease(ns: string, image: string, version: string, env: Record<string, string> = {}): Promise<McRun> {
  const config = mcConfig(ns, version);
  const run = timedContext(config);
  const startedAt = Date.now();
  const done = (extra: Partial<McRun>): McRun => ({
    host: run.host,
    summary: run.ctx.report.sections.join('\n'),
    startedAt,
    endedAt: Date.now(),
    verdict: run.ctx.report.outputs.verdict,
    ...extra,
  });
  try {
    return done({ verdict: await deliverRelease(config, renderedObjects(NAME, ns, image, { version, env: { MODEL_NAME: NAME, ...env } }), image, run.ctx) });
  } catch (error) {
    return done({ error });
  } finally {
    await run.close();
  }
}

async function modelCanary(variant: string, image: string, version: string, env: Record<string, string> = {}): Promise<McRun> {
  const ns = uniqueName(`peers-mc-${variant}`);
  namespaces.push({ ns, tool: 'model-canary' });
  const kubeconfig = await leastPrivilegeNamespace(ns);
  const previous = process.env['KUBECONFIG'];
  process.env['KUBECONFIG'] = kubeconfig;
  try {
    const first = await mcRelease(ns, images.v1, '1.0.0');
    expect(first.error, first.host.log).toBeUndefined();
    expect(first.verdict).toBe('promoted');
    await settle(host(ns));
    const prober = new GatewayProber(host(ns));
    const pods = watchPods(ns, 'track=canary');
    const stablePods = watchPods(ns, 'track=stable');
    prober.start();
    await sleep(1_000);
    const run = await mcRelease(ns, image, version, env);
    await sleep(2_000);
    await prober.stop();
    const seen = await pods.stop();
    const stableSeen = await stablePods.stop();
    const log = run.host.logger;
    const judged = log.timeOf(/^analysis (pass|fail|inconclusive):/);
    const outcome = /^analysis (\w+):/.exec(log.lines.find((l) => /^analysis (pass|fail|inconclusive):/.test(l)) ?? '')?.[1] ?? 'none';
    const line = log.lines.find((l) => /^analysis (pass|fail|inconclusive):/.test(l)) ?? (run.error ? String(run.error) : '');
    const from = variant === 'crash' ? seen.firstExitAt : run.startedAt;
    rows.push({
      tool: 'model-canary',
      variant,
      detectFrom: variant === 'crash' ? 'first canary exit' : 'release start',
      ...(judged !== undefined && from !== undefined ? { detectMs: judged - from } : {}),
      wallMs: run.endedAt - run.startedAt,
      failed: prober.failures().length,
      sent: prober.results.length,
      stableRestarts: stableSeen.restarts,
      verdict: `${outcome} → ${run.verdict ?? 'error'}`,
      note: line.replace(/^analysis \w+: /, '').slice(0, 140),
    });
    console.log(`peers: model-canary ${variant}: ${JSON.stringify(rows.at(-1))}`);
    if (prober.failures().length)
      console.log(
        prober
          .failures()
          .slice(0, 20)
          .map((f) => `  ${new Date(f.at).toISOString()} ${f.status} ${f.error ?? ''}`)
          .join('\n'),
      );
    return run;
  } finally {
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Flagger: the objects a Flagger user applies, as admin (Flagger itself runs with the admin kubeconfig).

/** The example's Deployment as the chart renders it (test/e2e/deploy-env.ts), in the shape Flagger expects: one selector label, env inline, scraped by Prometheus, no replicas (Flagger scales it). */
function flaggerTarget(ns: string, image: string, version: string, env: Record<string, string> = {}): KubeObject {
  const labels = { app: NAME };
  const container = {
    name: 'model-server',
    image,
    ports: [{ name: 'http', containerPort: 8080 }],
    env: Object.entries({ MODEL_NAME: NAME, MODEL_VERSION: version, ...env }).map(([name, value]) => ({ name, value })),
    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } },
    startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 60 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
    securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: ns, labels },
    spec: {
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 2,
          containers: [container],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        },
      },
    },
  } as KubeObject;
}

// The canary's pods are the target Deployment's (iris-<hash>-<id>); the primary's are iris-primary-<hash>-<id>.
const CANARY_PODS = 'namespace="{{ namespace }}",pod=~"{{ target }}-[0-9a-zA-Z]+-[0-9a-zA-Z]+"';
const PRIMARY_PODS = 'namespace="{{ namespace }}",pod=~"{{ target }}-primary-[0-9a-zA-Z]+-[0-9a-zA-Z]+"';
const meanLatency = (pods: string): string =>
  `(sum(rate(model_request_duration_seconds_sum{${pods}}[{{ interval }}])) / sum(rate(model_request_duration_seconds_count{${pods}}[{{ interval }}])))`;

function flaggerObjects(ns: string): KubeObject[] {
  const template = (name: string, query: string): KubeObject =>
    ({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: { name, namespace: ns },
      spec: { provider: { type: 'prometheus', address: 'http://127.0.0.1:19090' }, query },
    }) as KubeObject;
  return [
    // The share of the canary's model requests answered without a 5xx, in percent.
    template(
      'model-success-rate',
      `sum(rate(model_requests_total{${CANARY_PODS},status!~"5.."}[{{ interval }}])) / sum(rate(model_requests_total{${CANARY_PODS}}[{{ interval }}])) * 100`,
    ),
    // The canary's mean request latency over the primary's: Flagger's request-duration is an absolute p99
    // limit; a ratio against the primary is the closest a MetricTemplate gets to model-canary's comparison.
    template('model-latency-ratio', `${meanLatency(CANARY_PODS)} / ${meanLatency(PRIMARY_PODS)}`),
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: NAME, namespace: ns },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
        progressDeadlineSeconds: FLAGGER.progressDeadlineSeconds,
        service: { port: 80, targetPort: 8080, hosts: [host(ns)], gatewayRefs: [GATEWAY] },
        analysis: {
          interval: FLAGGER.interval,
          threshold: FLAGGER.threshold,
          maxWeight: FLAGGER.maxWeight,
          stepWeight: FLAGGER.stepWeight,
          metrics: [
            {
              name: 'success-rate',
              templateRef: { name: 'model-success-rate', namespace: ns },
              thresholdRange: { min: FLAGGER.minSuccessRate },
              interval: FLAGGER.metricInterval,
            },
            {
              name: 'latency-ratio',
              templateRef: { name: 'model-latency-ratio', namespace: ns },
              thresholdRange: { max: FLAGGER.maxLatencyRatio },
              interval: FLAGGER.metricInterval,
            },
          ],
        },
      },
    } as KubeObject,
  ];
}

interface CanaryStatus {
  status?: { phase?: string; canaryWeight?: number; failedChecks?: number; iterations?: number; conditions?: { message?: string }[] };
}

interface Phase {
  at: number;
  phase: string;
  weight: number;
  failedChecks: number;
  message: string;
}

async function canaryStatus(ns: string): Promise<Phase | undefined> {
  const c = await kubectlJson<CanaryStatus>(['-n', ns, 'get', 'canary', NAME]).catch(() => undefined);
  if (!c?.status?.phase) return undefined;
  return {
    at: Date.now(),
    phase: c.status.phase,
    weight: c.status.canaryWeight ?? 0,
    failedChecks: c.status.failedChecks ?? 0,
    message: c.status.conditions?.[0]?.message ?? '',
  };
}

/** Polls the Canary every 250 ms until `done` holds for its status or timeoutMs passed; returns every change. */
async function followCanary(ns: string, done: (p: Phase) => boolean, timeoutMs: number): Promise<Phase[]> {
  const changes: Phase[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const p = await canaryStatus(ns);
    const last = changes.at(-1);
    if (p && (!last || last.phase !== p.phase || last.weight !== p.weight || last.failedChecks !== p.failedChecks)) changes.push(p);
    if (p && done(p)) return changes;
    await sleep(250);
  }
  return changes;
}

const FLAGGER_RUN_LIMIT_MS = 420_000;

async function flagger(variant: string, image: string, version: string, env: Record<string, string> = {}): Promise<void> {
  const ns = uniqueName(`peers-flagger-${variant}`);
  namespaces.push({ ns, tool: 'flagger' });
  await applyObjects([restrictedNamespace(ns)]);
  await applyObjects([flaggerTarget(ns, images.v1, '1.0.0'), ...flaggerObjects(ns)]);
  const init = await followCanary(ns, (p) => p.phase === 'Initialized' || p.phase === 'Failed', 180_000);
  expect(init.at(-1)?.phase, JSON.stringify(init)).toBe('Initialized');
  await settle(host(ns));
  const prober = new GatewayProber(host(ns));
  const pods = watchPods(ns, `app=${NAME}`);
  const primaryPods = watchPods(ns, `app=${NAME}-primary`);
  prober.start();
  await sleep(1_000);
  const startedAt = Date.now();
  await applyObjects([flaggerTarget(ns, image, version, env)]);
  const changes = await followCanary(ns, (p) => (p.phase === 'Succeeded' || p.phase === 'Failed') && p.at > startedAt, FLAGGER_RUN_LIMIT_MS);
  const endedAt = Date.now();
  await sleep(2_000);
  await prober.stop();
  const seen = await pods.stop();
  const primarySeen = await primaryPods.stop();
  const verdictIndex = changes.findIndex((p) => p.phase === 'Promoting' || p.phase === 'Failed');
  const verdict = changes[verdictIndex];
  // Failed resets the weight to 0: the weight the canary had is the one before.
  const weightAtVerdict = verdictIndex > 0 ? changes[verdictIndex - 1]?.weight : verdict?.weight;
  const end = changes.at(-1);
  const warnings = await flaggerWarnings(ns, startedAt);
  const finished = end?.phase === 'Succeeded' || end?.phase === 'Failed';
  const from = variant === 'crash' ? seen.firstExitAt : startedAt;
  const walk = changes.map((p) => `${p.phase}${p.weight ? `@${p.weight}` : ''}${p.failedChecks ? `/f${p.failedChecks}` : ''}`).join(' ');
  rows.push({
    tool: `Flagger ${flaggerVersion()}`,
    variant,
    detectFrom: variant === 'crash' ? 'first canary exit' : 'release start',
    ...(verdict && from !== undefined ? { detectMs: verdict.at - from } : {}),
    wallMs: endedAt - startedAt,
    failed: prober.failures().length,
    sent: prober.results.length,
    stableRestarts: primarySeen.restarts,
    verdict: finished
      ? end.phase === 'Succeeded'
        ? 'promoted'
        : `rolled back at weight ${weightAtVerdict ?? '?'}`
      : `${verdict ? (verdict.phase === 'Promoting' ? 'passed, promoting' : 'failed') : 'no verdict'}; not Succeeded or Failed in ${FLAGGER_RUN_LIMIT_MS / 1000} s`,
    note: `${variant === 'crash' ? `canary restarts ${seen.restarts}; ` : ''}${walk}; ${warnings.at(-1)?.slice(0, 100) ?? (verdict ?? end)?.message.slice(0, 100) ?? ''}`,
  });
  console.log(`peers: flagger ${variant}: ${JSON.stringify(rows.at(-1))}\n  Flagger's warnings: ${warnings.join(' | ') || 'none'}`);
  if (prober.failures().length)
    console.log(
      prober
        .failures()
        .slice(0, 20)
        .map((f) => `  ${new Date(f.at).toISOString()} ${f.status} ${f.error ?? ''}`)
        .join('\n'),
    );
  if (!finished) {
    // Flagger would go on: take the canary away so it does not run into the next variant.
    await kubectl(['-n', ns, 'delete', 'canary', NAME, '--wait=true', '--timeout=60s'], { allowFailure: true });
  }
}

/** The warnings Flagger recorded on the Canary (Events) since `since`, oldest first, each once. */
async function flaggerWarnings(ns: string, since: number): Promise<string[]> {
  const events = await kubectlJson<{ items: { type?: string; message?: string; lastTimestamp?: string; eventTime?: string }[] }>([
    '-n',
    ns,
    'get',
    'events',
    '--field-selector',
    `involvedObject.kind=Canary,involvedObject.name=${NAME}`,
  ]).catch(() => ({ items: [] }));
  const at = (e: { lastTimestamp?: string; eventTime?: string }): number => Date.parse(e.lastTimestamp ?? e.eventTime ?? '');
  // Event times have a resolution of 1 s.
  const sorted = events.items.filter((e) => e.type === 'Warning' && e.message && at(e) >= since - 1_000).sort((a, b) => at(a) - at(b));
  return [...new Set(sorted.map((e) => e.message ?? ''))];
}

function flaggerVersion(): string {
  return /FLAGGER_VERSION=(\S+)/.exec(readFileSync(path.join(REPO_ROOT, 'bench', 'peers', 'versions.env'), 'utf8'))?.[1] ?? '?';
}

// ---------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  entrypoint =
    execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'gateway.sh'), 'up'], { encoding: 'utf8', timeout: 40 * 60_000 })
      .trim()
      .split('\n')
      .pop() ?? '';
  execFileSync('bash', [FLAGGER_SH, 'up'], { stdio: 'inherit', timeout: 40 * 60_000 });
  images.v1 = await buildAndPush(EXAMPLE, 'models/iris', { BASE_IMAGE, VARIANT: 'v1' });
  images.v2 = await buildAndPush(EXAMPLE, 'models/iris', { BASE_IMAGE, VARIANT: 'v2' });
}, 45 * 60_000);

afterAll(async () => {
  agent.destroy();
  // Canaries first, while Flagger runs (it removes what it made); then Flagger and its CRDs; then the namespaces.
  for (const { ns } of namespaces.filter((n) => n.tool === 'flagger')) {
    await kubectl(['-n', ns, 'delete', 'canary', '--all', '--wait=true', '--timeout=60s'], { allowFailure: true });
  }
  try {
    execFileSync('bash', [FLAGGER_SH, 'down'], { stdio: 'inherit', timeout: 180_000 });
  } finally {
    for (const { ns } of namespaces) await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
    printTable();
  }
}, 600_000);

function printTable(): void {
  const head = ['tool', 'canary', 'time to verdict', 'from', 'wall time', 'failed prober requests', 'stable restarts', 'verdict', 'notes'];
  const body = rows.map((r) => [
    r.tool,
    r.variant,
    s(r.detectMs),
    r.detectFrom,
    s(r.wallMs),
    `${r.failed} of ${r.sent}`,
    String(r.stableRestarts),
    r.verdict,
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(
    [
      '',
      `Flagger ${flaggerVersion()} vs model-canary, one run on the local cluster (${new Date().toISOString()})`,
      `model-canary: strategy traffic, weight ${MC.weight}, analysis.duration ${MC.windowMs / 1000}s, load ${MC.rps} pairs/s, warmup ${MC.warmup}, postPromotion 0s, decide auto`,
      `Flagger: interval ${FLAGGER.interval}, threshold ${FLAGGER.threshold}, stepWeight ${FLAGGER.stepWeight}, maxWeight ${FLAGGER.maxWeight}, metrics over ${FLAGGER.metricInterval} (success rate >= ${FLAGGER.minSuccessRate} %, mean latency ratio <= ${FLAGGER.maxLatencyRatio}), progressDeadlineSeconds ${FLAGGER.progressDeadlineSeconds}`,
      `slow: +${stableP50Ms === undefined ? '?' : Math.max(1, Math.round(stableP50Ms * 0.5))} ms per prediction (half of stable's p50 ${stableP50Ms?.toFixed(2) ?? '?'} ms, measured by model-canary's paired load in the good run)`,
      line(head),
      line(widths.map((w) => '-'.repeat(w))),
      ...body.map(line),
    ].join('\n'),
  );
}

/** Stable's median latency in model-canary's paired load (its JSON report), as test/e2e/analysis.test.ts reads it. */
function stableMedian(summary: string): number | undefined {
  const file = /Every pair is in `([^`]+)`/.exec(summary)?.[1];
  if (!file) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { pairs: { stable: { ok: boolean; latencyMs: number } }[] };
  const stable = report.pairs
    .filter((p) => p.stable.ok)
    .map((p) => p.stable.latencyMs)
    .sort((a, b) => a - b);
  return stable[Math.floor(stable.length / 2)];
}

it('good canary: model-canary', async () => {
  const run = await modelCanary('good', images.v2, '2.0.0');
  stableP50Ms = stableMedian(run.summary);
});

it('good canary: Flagger', async () => {
  await flagger('good', images.v2, '2.0.0');
});

it(`canary exiting ${CRASH_AFTER_S} s after Ready: model-canary`, async () => {
  await modelCanary('crash', images.v2, '2.0.0', { MODEL_FAULT: 'exit-after-ready', MODEL_FAULT_AFTER_SECONDS: String(CRASH_AFTER_S) });
});

it(`canary exiting ${CRASH_AFTER_S} s after Ready: Flagger`, async () => {
  await flagger('crash', images.v2, '2.0.0', { MODEL_FAULT: 'exit-after-ready', MODEL_FAULT_AFTER_SECONDS: String(CRASH_AFTER_S) });
});

const slowEnv = (): Record<string, string> => ({ MODEL_FAULT: 'slow', MODEL_FAULT_DELAY_MS: String(Math.max(1, Math.round((stableP50Ms ?? 2) * 0.5))) });

it('canary 50 % slower than stable: model-canary', async () => {
  // The same model as stable (v1), only slower by the fault.
  await modelCanary('slow', images.v1, '2.0.0', slowEnv());
});

it('canary 50 % slower than stable: Flagger', async () => {
  await flagger('slow', images.v1, '2.0.0', slowEnv());
});
