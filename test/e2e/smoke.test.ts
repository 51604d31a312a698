import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyObjects, kubectl, REPO_ROOT, restrictedNamespace, uniqueName } from './cluster-env.js';
import { buildServer, deployment, imageSizeMb, podsOf, predictionCounts, rollOut, runSmoke, type Server } from './smoke-support.js';

// The smoke stage against real model servers on the real cluster, each with a stable Deployment `iris`
// (1 pod) and a canary `iris-canary` (2 pods) created here as data: our example (examples/iris), MLServer with
// its scikit-learn runtime and KServe's Python model server, both installed from PyPI wheels. The same cases
// file (examples/iris/cases.yaml) passes unchanged on all three, through the API server's pods proxy; the
// pods' own request logs show where the requests went.

const SERVERS: Server[] = ['iris', 'mlserver', 'kserve'];
const ns = Object.fromEntries(SERVERS.map((s) => [s, uniqueName(`e2e-smoke-${s}`)])) as Record<Server, string>;
const images = {} as Record<Server, string>;
const timings: string[] = [];
const CASES = 7;
const WARMUP = 2;
const BASE = ['protocol: open-inference-v2', 'cases: cases.yaml', `warmup: ${WARMUP}`, 'readyTimeout: 60s'].join('\n');

beforeAll(async () => {
  const started = Date.now();
  await applyObjects(SERVERS.map((s) => restrictedNamespace(ns[s])));
  await Promise.all(
    SERVERS.map(async (s) => {
      const t = Date.now();
      images[s] = await buildServer(s);
      timings.push(`${s} image: built in ${((Date.now() - t) / 1000).toFixed(0)}s, ${(await imageSizeMb(images[s])).toFixed(0)} MiB`);
    }),
  );
  await Promise.all(
    SERVERS.map((s) => rollOut([deployment(ns[s], s, 'stable', images[s], 1), deployment(ns[s], s, 'canary', images[s], 2)], ns[s], ['iris', 'iris-canary'])),
  );
  timings.push(`setup (3 images, 9 pods Ready): ${((Date.now() - started) / 1000).toFixed(0)}s`);
}, 1_800_000);

afterAll(async () => {
  console.log(`smoke e2e timings:\n  ${timings.join('\n  ')}`);
  await Promise.all(SERVERS.map((s) => kubectl(['delete', 'namespace', ns[s], '--wait=false'], { allowFailure: true })));
});

describe.each(SERVERS)('smoke against %s', (server) => {
  it('passes the iris cases over the Open Inference Protocol, on canary pods only, with parity', async () => {
    const canaryPods = await podsOf(ns[server], 'canary');
    const stablePods = await podsOf(ns[server], 'stable');
    expect(canaryPods).toHaveLength(2);
    const before = await predictionCounts(ns[server], [...canaryPods, ...stablePods]);

    const run = await runSmoke(ns[server], BASE);
    timings.push(`${server} open-inference-v2: ${run.seconds.toFixed(1)}s, p95 ${run.report?.p95Ms} ms`);
    expect(run.code, run.host.log).toBe(0);
    const report = run.report!;
    expect(report).toMatchObject({ verdict: 'pass', errorRate: 0, transport: 'pods-proxy', cases: CASES, protocol: 'open-inference-v2' });
    expect(report.pods.map((p) => p.pod)).toEqual(canaryPods);
    expect(report.parity).toMatchObject({ enabled: true, kind: 'classification', agreement: 1, passed: true, stablePods });
    expect(run.host.outputs).toMatchObject({ verdict: 'passed', 'error-rate': '0', 'p95-ms': String(report.p95Ms), report: report.path });
    expect(run.host.summary).toContain('### Smoke: ✅ passed');
    expect(run.host.summary).toContain(`| ${canaryPods[0]} | pods-proxy | ${CASES} | 0 | 0% |`);
    // The same numbers in the log as in the report.
    expect(run.host.log).toContain(`all canary pods: ${CASES * 2} request(s), 0 error(s) (0%), p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms`);

    // Each canary pod logged the warm-up and every case; stable only the parity reference, once per case.
    const after = await predictionCounts(ns[server], [...canaryPods, ...stablePods]);
    for (const pod of canaryPods) expect((after[pod] ?? 0) - (before[pod] ?? 0), pod).toBe(CASES + WARMUP);
    expect(stablePods.reduce((n, pod) => n + (after[pod] ?? 0) - (before[pod] ?? 0), 0)).toBe(CASES);
  });

  it('sends nothing to stable pods when parity is off', async () => {
    const stablePods = await podsOf(ns[server], 'stable');
    const canaryPods = await podsOf(ns[server], 'canary');
    const before = await predictionCounts(ns[server], [...stablePods, ...canaryPods]);
    const run = await runSmoke(ns[server], `${BASE}\nparity: { enabled: false }`);
    expect(run.code, run.host.log).toBe(0);
    const after = await predictionCounts(ns[server], [...stablePods, ...canaryPods]);
    for (const pod of stablePods) expect((after[pod] ?? 0) - (before[pod] ?? 0), `stable pod ${pod}`).toBe(0);
    for (const pod of canaryPods) expect((after[pod] ?? 0) - (before[pod] ?? 0), `canary pod ${pod}`).toBe(CASES + WARMUP);
  });

  it.skipIf(server === 'mlserver')('passes the same cases over KServe V1', async () => {
    const run = await runSmoke(ns[server], BASE.replace('open-inference-v2', 'kserve-v1'));
    timings.push(`${server} kserve-v1: ${run.seconds.toFixed(1)}s, p95 ${run.report?.p95Ms} ms`);
    expect(run.code, run.host.log).toBe(0);
    expect(run.report).toMatchObject({ verdict: 'pass', protocol: 'kserve-v1', errorRate: 0 });
    expect(run.report?.parity.agreement).toBe(1);
  });
});

describe('smoke against BentoML', () => {
  // BentoML (from PyPI) serving the same classifier: POST /predict {"instances": rows}, ready at /readyz.
  const bento = uniqueName('e2e-smoke-bentoml');
  beforeAll(async () => {
    const t = Date.now();
    const image = await buildServer('bentoml');
    timings.push(`bentoml image: ${((Date.now() - t) / 1000).toFixed(0)}s, ${(await imageSizeMb(image)).toFixed(0)} MiB`);
    await applyObjects([restrictedNamespace(bento)]);
    await rollOut([deployment(bento, 'bentoml', 'stable', image, 1), deployment(bento, 'bentoml', 'canary', image, 2)], bento, ['iris', 'iris-canary']);
  }, 1_800_000);
  afterAll(() => kubectl(['delete', 'namespace', bento, '--wait=false'], { allowFailure: true }));

  it('passes the iris cases written as BentoML bodies, on canary pods only, with parity', async () => {
    const canaryPods = await podsOf(bento, 'canary');
    const stablePods = await podsOf(bento, 'stable');
    const before = await predictionCounts(bento, [...canaryPods, ...stablePods]);
    const cases = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'smoke', 'iris-http-cases.yaml'), 'utf8');
    const run = await runSmoke(bento, ['protocol: bentoml', 'cases: http-cases.yaml', 'warmup: 1', 'readyTimeout: 60s'].join('\n'), {
      files: { 'http-cases.yaml': cases },
    });
    timings.push(`bentoml: ${run.seconds.toFixed(1)}s, p95 ${run.report?.p95Ms} ms`);
    expect(run.code, run.host.log).toBe(0);
    expect(run.report).toMatchObject({ verdict: 'pass', protocol: 'bentoml', errorRate: 0, cases: 3, transport: 'pods-proxy' });
    expect(run.report?.parity).toMatchObject({ agreement: 1, passed: true });
    const after = await predictionCounts(bento, [...canaryPods, ...stablePods]);
    for (const pod of canaryPods) expect((after[pod] ?? 0) - (before[pod] ?? 0), pod).toBe(3 + 1);
    expect(stablePods.reduce((n, pod) => n + (after[pod] ?? 0) - (before[pod] ?? 0), 0)).toBe(3);
  });
});

describe('smoke over plain HTTP', () => {
  it('sends each case body as written to smoke.http and judges status and outputs', async () => {
    const cases = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'smoke', 'iris-http-cases.yaml'), 'utf8');
    const run = await runSmoke(
      ns.iris,
      ['protocol: http', 'http: { method: POST, path: "/v1/models/iris:predict", readyPath: /readyz }', 'cases: http-cases.yaml', 'warmup: 0'].join('\n'),
      { files: { 'http-cases.yaml': cases } },
    );
    expect(run.code, run.host.log).toBe(0);
    const report = run.report!;
    expect(report).toMatchObject({ verdict: 'pass', protocol: 'http', errorRate: 0, cases: 3 });
    expect(report.results.filter((r) => r.case === 'three-features-refused').every((r) => r.status === 400 && r.verdict === 'pass')).toBe(true);
  });
});

describe('smoke catches a bad canary (the example server’s faults)', () => {
  const iris = (): string => ns.iris;

  /** Rolls the canary to a fault variant: a new revision, whose old pods may still be terminating. */
  async function canaryWith(env: Record<string, string>): Promise<string[]> {
    await rollOut([deployment(iris(), 'iris', 'canary', images.iris, 2, env)], iris(), ['iris-canary']);
    return podsOf(iris(), 'canary');
  }

  it('fails a canary that answers 200 with wrong classes, by parity', async () => {
    const pods = await canaryWith({ MODEL_FAULT: 'wrong' });
    // Cases generated from the model card expect only a class from the set, so only parity can tell.
    const run = await runSmoke(iris(), ['protocol: open-inference-v2', 'generateCases: 12', 'warmup: 1'].join('\n'));
    timings.push(`iris wrong: ${run.seconds.toFixed(1)}s`);
    expect(run.code).not.toBe(0);
    const report = run.report!;
    expect(report.verdict).toBe('fail');
    expect(report.errorRate).toBe(0);
    expect(report.revision).not.toBe('1');
    expect(report.pods.map((p) => p.pod).sort()).toEqual(pods.filter((p) => report.results.some((r) => r.pod === p)).sort());
    expect(report.failures.join('\n')).toMatch(/parity with stable: 0% of 24 predictions agree, under smoke.parity.minAgreement 99%/);
    expect(report.failingCases).toHaveLength(12);
    expect(run.host.outputs?.verdict).toBe('failed');
    expect(run.host.log).toMatch(/error: Smoke case "generated-1" failed on .*disagrees with stable/);
    expect(run.host.summary).toContain('### Smoke: ❌ failed');
  });

  it('fails a slow canary on the p95 limit, naming the slow cases', async () => {
    await canaryWith({ MODEL_FAULT: 'slow', MODEL_FAULT_DELAY_MS: '700' });
    const run = await runSmoke(iris(), `${BASE.replace(`warmup: ${WARMUP}`, 'warmup: 1')}\nconcurrency: 4\nthresholds: { p95Ms: 500 }`);
    timings.push(`iris slow: ${run.seconds.toFixed(1)}s`);
    const report = run.report!;
    expect(report.verdict).toBe('fail');
    expect(report.p95Ms).toBeGreaterThan(700);
    expect(report.errorRate).toBe(0);
    expect(report.parity.passed).toBe(true);
    expect(report.failures.join('\n')).toMatch(/p95 latency \d+(\.\d+)? ms on all canary pods is over smoke.thresholds.p95Ms 500 ms/);
    expect(report.failingCases.sort()).toEqual([
      'one-of-each-batch',
      'setosa-small-sepal',
      'setosa-typical',
      'versicolor-narrow-sepal',
      'versicolor-typical',
      'virginica-typical',
      'virginica-wide-petal',
    ]);
    expect(run.host.outputs?.['p95-ms']).toBe(String(report.p95Ms));
  });

  it('fails a canary that is ready but answers 500 on predict, on the error rate', async () => {
    await canaryWith({ MODEL_FAULT: 'error' });
    const run = await runSmoke(iris(), BASE);
    timings.push(`iris error: ${run.seconds.toFixed(1)}s`);
    const report = run.report!;
    expect(report.verdict).toBe('fail');
    expect(report.errorRate).toBe(1);
    expect(report.failures[0]).toMatch(/error rate 100% \(14 of 14\) is over smoke.thresholds.errorRate 0%/);
    expect(report.failingCases).toHaveLength(CASES);
    expect(report.results.find((r) => r.track === 'canary')?.why[0]).toBe('status 500, expected 2xx');
    expect(run.host.outputs?.['error-rate']).toBe('1');
  });

  it('polls each pod’s model readiness, not the kubelet’s: a pod Ready on /healthz whose model never loads fails, named', async () => {
    const obj = deployment(iris(), 'iris', 'canary', images.iris, 2, { MODEL_FAULT: 'never-ready' }) as {
      spec: { template: { spec: { containers: { readinessProbe: { httpGet: { path: string } } }[] } } };
    };
    for (const c of obj.spec.template.spec.containers) c.readinessProbe.httpGet.path = '/healthz';
    await rollOut([obj], iris(), ['iris-canary']);
    const pods = await podsOf(iris(), 'canary');
    const run = await runSmoke(iris(), BASE.replace('readyTimeout: 60s', 'readyTimeout: 4s'));
    expect(run.code).not.toBe(0);
    const report = run.report!;
    expect(report.verdict).toBe('fail');
    for (const pod of pods)
      expect(report.failures.join('\n')).toMatch(
        new RegExp(`pod ${pod} never became ready: GET /v2/health/ready answered 503 .*ready.*false.* \\(after 4s of polling\\)`),
      );
  });

  it('smokes only the current ReplicaSet: old Ready pods of the same labels are left alone', async () => {
    await canaryWith({});
    const oldPods = await podsOf(iris(), 'canary');
    const before = await predictionCounts(iris(), oldPods);
    // A new revision that never gets ready; with maxUnavailable 0 the old ReplicaSet's pods stay Ready beside it.
    const next = deployment(iris(), 'iris', 'canary', images.iris, 2, { MODEL_FAULT: 'never-ready' }) as { spec: Record<string, unknown> };
    next.spec['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
    await applyObjects([next]);
    await kubectl(['-n', iris(), 'wait', '--for=jsonpath={.status.updatedReplicas}=1', 'deployment/iris-canary', '--timeout=60s'], { timeoutMs: 70_000 });
    const run = await runSmoke(iris(), `${BASE.replace('readyTimeout: 60s', 'readyTimeout: 5s')}`);
    expect(run.code).not.toBe(0);
    expect(run.host.log).toMatch(/The canary Deployment .*iris-canary revision \d+ has no Ready pod/);
    const after = await predictionCounts(iris(), oldPods);
    for (const pod of oldPods) expect((after[pod] ?? 0) - (before[pod] ?? 0), `old pod ${pod}`).toBe(0);
    expect(await podsOf(iris(), 'canary')).toEqual(expect.arrayContaining(oldPods));
  });

  it('fails with a clear message when there is no canary', async () => {
    await kubectl(['-n', iris(), 'delete', 'deployment', 'iris-canary', '--wait=true']);
    const run = await runSmoke(iris(), BASE);
    expect(run.code).not.toBe(0);
    expect(run.host.log).toMatch(/There is no canary Deployment .*iris-canary to smoke/);
  });
});
