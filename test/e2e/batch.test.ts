import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlJson, uniqueName } from './cluster-env.js';
import { asServiceAccount, getJson, imageOf, type LiveDeployment } from './deploy-env.js';
import { exampleCommand, release, waitRoutable } from './fixtures/release-prober.js';
import { startKubectlProxy, type KubectlProxy } from './kubectl-proxy.js';
import { queueSecret, startRedis } from './redis.js';
import { CASES, count, Jobs, submitter, withWorkers, type Job } from './fixtures/jobs.js';

// Batch jobs on the real cluster: the example (examples/iris) released with the chart's workers (worker.enabled)
// on a Redis of the test's own, as the ServiceAccount of docs/rbac.yaml. Jobs go in through the API's Service
// (POST /v1/jobs) and are read back (GET /v1/jobs/ID): every one submitted is counted to its one outcome. On your
// own cluster, MODEL_CANARY_REDIS_IMAGE names the Redis image (templates/docker/redis) in its registry.

const ns = uniqueName('e2e-batch');
const stamp = Date.now().toString(36);
const figures: string[] = [];
let restore: (() => Promise<void>) | undefined;
let proxy: KubectlProxy | undefined;
let redis: { password: string; url: string } | undefined;

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);
beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
  redis = await startRedis(ns);
}, 1_800_000);

afterAll(async () => {
  proxy?.child.kill('SIGTERM');
  await restore?.();
  console.log(`batch e2e figures:\n${figures.map((t) => `  ${t}`).join('\n')}`);
});

describe('batch workers through a canary', () => {
  let jobs: Jobs;

  it('sends the canary workers about canary.weight of the jobs, then promotes them: every job done once', async () => {
    const v1 = await release(ns, `e2e-batch-v1-${stamp}`, withWorkers(['model.version="1.0.0"', 'image.buildArgs.VARIANT=v1']));
    expect(v1.code, v1.host.log).toBe(0);
    expect((await deployment('iris-worker'))?.status?.readyReplicas).toBe(1);
    // Through the API server's service proxy (as admin): it reaches the Service on any cluster.
    proxy = await startKubectlProxy();
    const url = `${proxy.url}/api/v1/namespaces/${ns}/services/iris:80/proxy`;
    await waitRoutable(url, 120_000);
    jobs = new Jobs(url);

    const held = await exampleCommand(ns, {
      command: 'release',
      imageTag: `e2e-batch-v2-${stamp}`,
      set: withWorkers(['model.version="2.0.0"', 'image.buildArgs.VARIANT=v2', 'decide.mode=manual', 'canary.weight=30', 'smoke.enabled=true', CASES]),
    });
    expect(held.code, held.host.log).toBe(0);
    expect(held.host.outputs?.verdict).toBe('held');
    // The asynchronous smoke ran the job cases on each track's own workers.
    expect(held.host.log).toMatch(/jobs on canary: \d+, queue wait p50 [\d.]+ ms, service time p50 [\d.]+ ms/);
    expect(held.host.log).toMatch(/jobs on stable: \d+/);
    const canaryWorker = await kubectlJson<{ spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }>([
      '-n',
      ns,
      'get',
      'deployment',
      'iris-worker-canary',
    ]);
    expect(canaryWorker.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'MODEL_CANARY_WEIGHT', value: '30' });

    const n = 300;
    const submitted: Job[] = [];
    for (let i = 0; i < n; i++) submitted.push(await jobs.submit());
    const done = await jobs.settled(
      submitted.map((j) => j.id),
      180_000,
    );
    const toCanary = count(submitted, (j) => j.queued_for === 'canary');
    const sd = Math.sqrt(n * 0.3 * 0.7);
    figures.push(`held canary at weight 30: ${toCanary} of ${n} jobs to the canary workers (expected ${n * 0.3} ± ${(4 * sd).toFixed(0)})`);
    expect(Math.abs(toCanary - n * 0.3), `${toCanary} of ${n} to the canary`).toBeLessThan(4 * sd);
    expect(count(done, (j) => j.status === 'done' && j.attempts === 1)).toBe(n);
    // Each ran on the track it was sent to, the canary's on the new version.
    for (const [i, j] of done.entries()) expect(j.worker?.track, JSON.stringify(j)).toBe(submitted[i]?.queued_for);
    // The model's own version (the card's variant): v2 on the canary's workers, v1 on stable's.
    expect(new Set(done.map((j) => `${j.worker?.track} ${j.worker?.version}`))).toEqual(new Set(['canary v2', 'stable v1']));

    const promoted = await exampleCommand(ns, { command: 'promote', set: withWorkers(['model.version="2.0.0"']) });
    expect(promoted.code, promoted.host.log).toBe(0);
    expect(promoted.host.outputs?.verdict).toBe('promoted');
    expect(await deployment('iris-worker-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris-worker'))).toBe(imageOf(await deployment('iris')));
    const after = await Promise.all(Array.from({ length: 20 }, () => jobs.submit()));
    const afterDone = await jobs.settled(
      after.map((j) => j.id),
      120_000,
    );
    expect(afterDone.every((j) => j.status === 'done' && j.worker?.track === 'stable' && j.worker.version === 'v2')).toBe(true);
  });

  it('rolls back a canary whose workers crash on their first job; every job submitted meanwhile is done once, by stable', async () => {
    const before = imageOf(await deployment('iris-worker'));
    const load = submitter(jobs, 150);
    const bad = await release(
      ns,
      `e2e-batch-v3-${stamp}`,
      withWorkers([
        'model.version="3.0.0"',
        'image.buildArgs.VARIANT=v1',
        'canary.weight=50',
        'analysis.duration=60s',
        'analysis.interval=5s',
        'analysis.load.rps=2',
        'analysis.minSamples=10',
        'render.values.worker.env.0.name=MODEL_FAULT',
        'render.values.worker.env.0.value=crash-on-job',
        'render.values.worker.env.1.name=MODEL_FAULT_TRACK',
        'render.values.worker.env.1.value=canary',
      ]),
    );
    const ids = await load.stop();
    expect(bad.code, bad.host.log).toBe(1);
    expect(bad.host.outputs?.verdict, bad.host.log).toBe('rolled-back');
    expect(bad.host.log).toMatch(/iris-worker-canary-[a-z0-9-]+.*(restart|exited|CrashLoopBackOff|crash)/i);
    expect(await deployment('iris-worker-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris-worker'))).toBe(before);
    // The jobs the canary crashed on, and those waiting for it, go to stable (after a heartbeat, 30 s, at most).
    const settled = await jobs.settled(ids, 180_000);
    const routed = count(settled, (j) => j.queued_for === 'canary');
    figures.push(
      `crashing canary workers: ${ids.length} job(s) submitted during the release, ${routed} routed to the canary; ` +
        `${count(settled, (j) => j.status === 'done')} done (all by stable: ${count(settled, (j) => j.worker?.track === 'stable')}), ` +
        `${count(settled, (j) => (j.attempts ?? 0) > 1)} of them after a canary crashed on them; rolled back`,
    );
    expect(routed).toBeGreaterThan(0);
    expect(count(settled, (j) => j.status === 'done')).toBe(ids.length);
    // A job a canary worker crashed on ran again once, on stable; none ran on the canary to the end.
    expect(count(settled, (j) => j.worker?.track === 'stable')).toBe(ids.length);
    expect(count(settled, (j) => (j.attempts ?? 0) > 1)).toBeGreaterThan(0);
    expect(settled.every((j) => (j.attempts ?? 0) <= 2)).toBe(true);
  });
});

describe('wrong answers from canary workers', () => {
  it('are caught by the asynchronous smoke, and the canary is rolled back', async () => {
    const before = imageOf(await deployment('iris-worker'));
    const wrong = await release(
      ns,
      `e2e-batch-v4-${stamp}`,
      withWorkers([
        'model.version="4.0.0"',
        'image.buildArgs.VARIANT=v2',
        'smoke.enabled=true',
        CASES,
        'render.values.worker.env.0.name=MODEL_FAULT',
        'render.values.worker.env.0.value=wrong',
        'render.values.worker.env.1.name=MODEL_FAULT_TRACK',
        'render.values.worker.env.1.value=canary',
      ]),
    );
    expect(wrong.code, wrong.host.log).toBe(1);
    expect(wrong.host.outputs?.verdict, wrong.host.log).toBe('rolled-back');
    // The workers answer the next class; the online case, answered by the canary's API pods, passes.
    expect(wrong.host.log).toMatch(/Smoke case "job-setosa" failed on iris-canary-[a-z0-9-]+: outputs \[\\?"versicolor\\?"\], expected \[\\?"setosa\\?"\]/);
    expect(wrong.host.log).toMatch(/Smoke case "job-three-species" failed/);
    expect(wrong.host.log).not.toMatch(/Smoke case "setosa-online" failed/);
    expect(await deployment('iris-worker-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris-worker'))).toBe(before);
    figures.push(`canary workers answering wrong with status done: caught by the asynchronous smoke (job-setosa, job-three-species), rolled back`);
  });
});

describe('a queue the canary workers cannot use', () => {
  it('rolls back a canary whose workers are refused the password, or cannot reach the queue, with the reason', async () => {
    const before = imageOf(await deployment('iris-worker'));
    await queueSecret(ns, 'redis-wrong', redis?.url ?? '', 'not-the-password');
    await queueSecret(ns, 'redis-nowhere', `redis://nowhere.${ns}.svc:6379/0`, redis?.password ?? '');
    const refused = await release(
      ns,
      `e2e-batch-v5-${stamp}`,
      withWorkers(['model.version="5.0.0"', 'image.buildArgs.VARIANT=v2', 'render.values.queue.secretName=redis-wrong']),
    );
    expect(refused.code, refused.host.log).toBe(1);
    expect(refused.host.outputs?.verdict).toBe('rolled-back');
    // The gate names the worker and quotes its last log line.
    expect(refused.host.log).toMatch(/iris-worker-canary-[a-z0-9-]+/);
    expect(refused.host.log).toContain('refused the password (REDIS_PASSWORD)');
    expect(refused.host.log).not.toContain('not-the-password');

    const nowhere = await release(
      ns,
      `e2e-batch-v6-${stamp}`,
      withWorkers(['model.version="6.0.0"', 'image.buildArgs.VARIANT=v2', 'render.values.queue.secretName=redis-nowhere', 'canary.readinessTimeout=25s']),
    );
    expect(nowhere.code, nowhere.host.log).toBe(1);
    expect(nowhere.host.outputs?.verdict).toBe('rolled-back');
    expect(nowhere.host.log).toMatch(/iris-worker-canary.*(not Ready|NotReady|Ready after)/);
    expect(await deployment('iris-worker-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris-worker'))).toBe(before);
    figures.push('canary workers refused the password, or with no queue to reach: rolled back by the gate, stable untouched');
  });
});
