import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessCounter } from '../../src/exec/exec.js';
import { startKubeProxy } from '../../src/kube/proxy.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { NoAnswer, PodsProxyChannel } from '../../src/smoke/transport/channel.js';
import { tempDir } from '../helpers/temp.js';
import { applyObjects, KUBECONFIG, KUBECTL, kubectl, kubectlJson, REPO_ROOT, restrictedNamespace, uniqueName } from './cluster-env.js';
import { buildServer, deployment, IRIS_CASES, podsOf, predictionCounts, rollOut, runSmoke } from './smoke-support.js';
import { toolPath } from './run-command.js';

// Where the API server may not proxy to pods: a ServiceAccount whose Role grants everything the smoke stage
// needs except pods/proxy. The stage notices the API server's 403 Status, says so in the log, and reaches each
// pod with `kubectl port-forward` instead, with the same verdict and the same requests on the same pods.

const ns = uniqueName('e2e-smoke-pf');
let kubeconfig = '';
let image = '';

beforeAll(async () => {
  image = await buildServer('iris');
  await applyObjects([
    restrictedNamespace(ns),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'smoke', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'smoke-without-proxy', namespace: ns },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'smoke-without-proxy', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'smoke-without-proxy' },
      subjects: [{ kind: 'ServiceAccount', name: 'smoke', namespace: ns }],
    },
  ]);
  await rollOut([deployment(ns, 'iris', 'stable', image, 1), deployment(ns, 'iris', 'canary', image, 2)], ns, ['iris', 'iris-canary']);
  kubeconfig = path.join(tempDir('smoke-sa-'), 'kubeconfig');
  execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'sa-kubeconfig.sh'), ns, 'smoke', kubeconfig], { stdio: 'ignore' });
}, 900_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('smoke where the pods proxy is refused', () => {
  it('the ServiceAccount really may not use pods/proxy', async () => {
    const r = await kubectl(['auth', 'can-i', 'create', 'pods/proxy', '-n', ns], { kubeconfig, allowFailure: true });
    expect(r.stdout.trim()).toBe('no');
  });

  it('falls back to kubectl port-forward per pod, says so, and passes', async () => {
    const canaryPods = await podsOf(ns, 'canary');
    const stablePods = await podsOf(ns, 'stable');
    const before = await predictionCounts(ns, [...canaryPods, ...stablePods]);
    const run = await runSmoke(ns, ['protocol: open-inference-v2', 'cases: cases.yaml', 'warmup: 2'].join('\n'), { kubeconfig });
    console.log(`smoke over port-forward: ${run.seconds.toFixed(1)}s, p95 ${run.report?.p95Ms} ms`);
    expect(run.code, run.host.log).toBe(0);
    expect(run.host.log).toMatch(
      /The API server cannot proxy to the pods \(the API server answered 403: .*pods\/proxy.*\); using kubectl port-forward per pod instead/,
    );
    const report = run.report!;
    expect(report).toMatchObject({ verdict: 'pass', transport: 'port-forward', errorRate: 0 });
    expect(report.transportNote).toMatch(/port-forward/);
    expect([...report.pods, report.overall].every((p) => p.transport === 'port-forward')).toBe(true);
    expect(report.parity).toMatchObject({ agreement: 1, passed: true });
    expect(run.host.summary).toContain('via port-forward');
    const after = await predictionCounts(ns, [...canaryPods, ...stablePods]);
    for (const pod of canaryPods) expect((after[pod] ?? 0) - (before[pod] ?? 0), pod).toBe(7 + 2);
    expect(stablePods.reduce((n, pod) => n + (after[pod] ?? 0) - (before[pod] ?? 0), 0)).toBe(7);
    // Every port-forward it started has stopped.
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('port-forward') && l.includes(ns));
    expect(left).toEqual([]);
  });
});

describe('the API server’s 503 and the model server’s own, through the real pods proxy', () => {
  it('hands a loading model’s 503 to the judge, and reads a refused port from the API server’s Status', async () => {
    // A pod of the example that is live but never ready: its readiness answers 503 itself.
    const never = deployment(ns, 'iris', 'stable', image, 1, { MODEL_FAULT: 'never-ready' }) as {
      metadata: { name: string; labels: Record<string, string> };
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> }; spec: { containers: { readinessProbe?: unknown }[] } };
      };
    };
    never.metadata.name = 'never-ready';
    const labels = { 'app.kubernetes.io/name': 'never-ready', track: 'stable' };
    never.metadata.labels = labels;
    never.spec.selector.matchLabels = labels;
    never.spec.template.metadata.labels = labels;
    await applyObjects([never]);
    await kubectl(['-n', ns, 'wait', '--for=jsonpath={.status.phase}=Running', 'pod', '-l', 'app.kubernetes.io/name=never-ready', '--timeout=120s'], {
      timeoutMs: 130_000,
    });
    const pods = await kubectlJson<{ items: { metadata: { name: string }; status: { podIP: string } }[] }>([
      '-n',
      ns,
      'get',
      'pods',
      '-l',
      'app.kubernetes.io/name=never-ready',
    ]);
    const pod = pods.items[0]!;
    const previous = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = KUBECONFIG;
    const proxy = await startKubeProxy(new MemoryLogger(), new ProcessCounter(), KUBECTL);
    try {
      const target = { name: pod.metadata.name, namespace: ns, ip: pod.status.podIP, port: 8080 };
      // Once the server listens, its own 503 comes back as an answer to judge, not as a transport error.
      let answer: { status: number; body: unknown } | undefined;
      for (let i = 0; i < 60 && !answer; i++) {
        answer = await new PodsProxyChannel(proxy.url, target).send({ method: 'GET', path: '/v2/health/ready' }, 5000).catch(async (err: unknown) => {
          if (!(err instanceof NoAnswer)) throw err;
          await new Promise((r) => setTimeout(r, 500));
          return undefined;
        });
      }
      expect(answer).toMatchObject({ status: 503, body: { ready: false } });
      // Nothing listens on port 9: the API server answers 503 with a Status saying so; no model spoke.
      const refused = await new PodsProxyChannel(proxy.url, { ...target, port: 9 }).send({ method: 'GET', path: '/' }, 5000).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(NoAnswer);
      expect((refused as NoAnswer).message).toMatch(/connection refused/);
    } finally {
      await proxy.stop();
      if (previous === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = previous;
    }
  });
});

describe('the built CLI', () => {
  it('runs `model-canary smoke` from dist/ and prints the outputs as JSON', () => {
    const ws = tempDir('smoke-cli-');
    writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(path.join(ws, 'cases.yaml'), readFileSync(IRIS_CASES));
    writeFileSync(
      path.join(ws, 'model-canary.yaml'),
      [
        'apiVersion: model-canary/v1',
        'model: { name: iris, version: "1.0.0" }',
        'image: { repository: 127.0.0.1:5000/e2e/iris, dockerfile: Dockerfile }',
        'smoke: { protocol: kserve-v1, cases: cases.yaml }',
        '',
      ].join('\n'),
    );
    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli', 'index.js'), 'smoke', '--config', 'model-canary.yaml', '--namespace', ns], {
      cwd: ws,
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG, PATH: toolPath(), RUNNER_TEMP: tempDir('smoke-cli-tmp-') },
      timeout: 120_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    const outputs = JSON.parse(cli.stdout) as Record<string, string>;
    expect(outputs).toMatchObject({ verdict: 'passed', 'error-rate': '0' });
    expect(Number(outputs['p95-ms'])).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(outputs['report'] ?? '', 'utf8')) as { verdict: string; protocol: string; pods: unknown[] };
    expect(report).toMatchObject({ verdict: 'pass', protocol: 'kserve-v1' });
    expect(report.pods).toHaveLength(2);
    expect(cli.stderr).toMatch(/all canary pods: 14 request\(s\), 0 error\(s\)/);
  });
});
