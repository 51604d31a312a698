import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, kubectl, kubectlJson, REPO_ROOT, uniqueName } from './cluster-env.js';
import { asServiceAccount, getJson, imageOf, type LiveDeployment } from './deploy-env.js';
import { exampleCommand, release, releaseSet, serviceAddress, waitRoutable } from './fixtures/release-prober.js';
import { sampler } from './fixtures/replica-sampler.js';
import { REDIS_SECRET, startRedis } from './redis.js';

// Batch jobs on the real cluster: the example (examples/iris) released with the chart's workers (worker.enabled)
// on a Redis of the test's own, as the ServiceAccount of docs/rbac.yaml. Jobs go in through the API's Service
// (POST /v1/jobs) and are read back (GET /v1/jobs/ID): every one submitted is counted to its one outcome.

const ns = uniqueName('e2e-batch');
const stamp = Date.now().toString(36);
const METRICS_SH = path.join(REPO_ROOT, 'cluster', 'metrics.sh');
const ROW = [5.1, 3.5, 1.4, 0.2];
const figures: string[] = [];
let restore: (() => Promise<void>) | undefined;

interface Job {
  id: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  queued_for?: string;
  attempts?: number;
  error?: string;
  result?: { predictions: unknown[] };
  worker?: { name: string; track: string; version: string };
}

/** The API's job routes through its Service (the ClusterIP: this host is the node). */
class Jobs {
  constructor(private readonly base: string) {}

  async submit(track?: string): Promise<Job> {
    const r = await fetch(`${this.base}/v1/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [ROW], ...(track ? { track } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await r.json()) as Job;
    if (r.status !== 202) throw new Error(`POST /v1/jobs answered ${r.status}: ${JSON.stringify(body)}`);
    return body;
  }

  async get(id: string): Promise<Job> {
    const r = await fetch(`${this.base}/v1/jobs/${id}`, { signal: AbortSignal.timeout(10_000) });
    if (r.status !== 200) throw new Error(`GET /v1/jobs/${id} answered ${r.status}: ${await r.text()}`);
    return (await r.json()) as Job;
  }

  /** Every job's record once none is pending or running; the ones still open are named when time runs out. */
  async settled(ids: string[], timeoutMs: number): Promise<Job[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await Promise.all(ids.map((id) => this.get(id)));
      const open = jobs.filter((j) => j.status === 'pending' || j.status === 'running');
      if (open.length === 0) return jobs;
      if (Date.now() > deadline) throw new Error(`${open.length} of ${ids.length} job(s) still open: ${JSON.stringify(open.slice(0, 5))}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Submits a job every intervalMs until stopped; the ids, in order. */
function submitter(jobs: Jobs, intervalMs: number): { stop: () => Promise<string[]> } {
  const ids: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      ids.push((await jobs.submit()).id);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return ids;
    },
  };
}

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);
const count = (jobs: Job[], pick: (j: Job) => boolean): number => jobs.filter(pick).length;
const CASES = 'smoke.cases=test/e2e/fixtures/batch-cases.yaml';
const withWorkers = (extra: string[]): string[] =>
  releaseSet([
    'smoke.enabled=false',
    'analysis.duration=0s',
    'analysis.postPromotion=0s',
    'canary.maxRestarts=1',
    'render.values.worker.enabled=true',
    `render.values.queue.secretName=${REDIS_SECRET}`,
    'render.values.worker.drainTimeoutSeconds=10',
    ...extra,
  ]);

beforeAll(async () => {
  const status = await exec('bash', [METRICS_SH, 'status'], { allowFailure: true, timeoutMs: 60_000 });
  if (status.exitCode !== 0) await exec('bash', [METRICS_SH, 'up'], { timeoutMs: 1_800_000 });
  ({ restore } = await asServiceAccount(ns));
  await startRedis(ns);
}, 1_800_000);

afterAll(async () => {
  await restore?.();
  console.log(`batch e2e figures:\n${figures.map((t) => `  ${t}`).join('\n')}`);
});

describe('batch workers through a canary', () => {
  let jobs: Jobs;

  it('sends the canary workers about canary.weight of the jobs, then promotes them: every job done once', async () => {
    const v1 = await release(ns, `e2e-batch-v1-${stamp}`, withWorkers(['model.version="1.0.0"', 'image.buildArgs.VARIANT=v1']));
    expect(v1.code, v1.host.log).toBe(0);
    expect((await deployment('iris-worker'))?.status?.readyReplicas).toBe(1);
    const url = await serviceAddress(ns, 'iris');
    await waitRoutable(url, 120_000);
    jobs = new Jobs(url);

    const held = await exampleCommand(ns, {
      command: 'deploy',
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
    expect(new Set(done.filter((j) => j.worker?.track === 'canary').map((j) => j.worker?.version))).toEqual(new Set(['2.0.0']));

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
    expect(afterDone.every((j) => j.status === 'done' && j.worker?.track === 'stable' && j.worker.version === '2.0.0')).toBe(true);
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
        'analysis.minSamples=5',
        'render.values.worker.env=[{name: MODEL_FAULT, value: crash-on-job}, {name: MODEL_FAULT_TRACK, value: canary}]',
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
    expect(count(settled, (j) => j.worker?.track === 'stable')).toBe(ids.length);
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
        'render.values.worker.env=[{name: MODEL_FAULT, value: wrong}, {name: MODEL_FAULT_TRACK, value: canary}]',
      ]),
    );
    expect(wrong.code, wrong.host.log).toBe(1);
    expect(wrong.host.outputs?.verdict, wrong.host.log).toBe('rolled-back');
    // Three rows come back rotated; the online case and the one-row job (a rotation of one) pass.
    expect(wrong.host.log).toMatch(/Smoke case "job-three-species" failed/);
    expect(wrong.host.log).not.toMatch(/Smoke case "(setosa-online|job-setosa)" failed/);
    expect(await deployment('iris-worker-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris-worker'))).toBe(before);
    figures.push(`canary workers answering wrong with status done: caught by the asynchronous smoke (job-three-species), rolled back`);
  });
});

describe('workers scaled on queue depth, and a worker killed mid-job', () => {
  const name = 'iris-q';
  const scaled = (extra: string[]): string[] =>
    withWorkers([
      `model.name=${name}`,
      'model.version="1.0.0"',
      'image.buildArgs.VARIANT=v1',
      'render.values.worker.env=[{name: MODEL_FAULT, value: slow}, {name: MODEL_FAULT_DELAY_MS, value: "3000"}]',
      'render.values.worker.autoscaling.enabled=true',
      'render.values.worker.autoscaling.minReplicas=1',
      'render.values.worker.autoscaling.maxReplicas=3',
      'render.values.worker.autoscaling.jobsPerWorker="2"',
      'render.values.worker.autoscaling.scaleDownStabilizationSeconds=15',
      ...extra,
    ]);

  it('finishes the job of a killed worker on another, once; scales the workers up on a burst and back down', async () => {
    const first = await release(ns, `e2e-batch-q-${stamp}`, scaled([]));
    expect(first.code, first.host.log).toBe(0);
    const url = await serviceAddress(ns, name);
    await waitRoutable(url, 120_000, name);
    const jobs = new Jobs(url);

    const job = await jobs.submit();
    let running: Job | undefined;
    for (let i = 0; i < 100 && running?.status !== 'running'; i++) {
      running = await jobs.get(job.id);
      if (running.status !== 'running') await new Promise((r) => setTimeout(r, 100));
    }
    expect(running?.status).toBe('running');
    const killed = running?.worker?.name ?? '';
    await kubectl(['-n', ns, 'delete', 'pod', killed, '--grace-period=0', '--force', '--wait=false']);
    const [finished] = await jobs.settled([job.id], 150_000);
    figures.push(`worker ${killed} killed mid-job: the job done by ${finished?.worker?.name} on attempt ${finished?.attempts}`);
    expect(finished?.status).toBe('done');
    expect(finished?.attempts).toBe(2);
    expect(finished?.worker?.name).not.toBe(killed);

    const replicas = sampler(ns, 'queue-depth HPA', `${name}-worker`);
    try {
      const burst = await Promise.all(Array.from({ length: 30 }, () => jobs.submit()));
      await replicas.until('scaled up to 3 workers', 180_000, (s) => s.spec >= 3);
      const done = await jobs.settled(
        burst.map((j) => j.id),
        300_000,
      );
      expect(done.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
      await replicas.until('scaled back down to 1 worker', 240_000, (s) => s.spec === 1);
    } finally {
      replicas.stop();
    }
    const peak = Math.max(...replicas.samples.map((s) => s.spec));
    figures.push(`burst of 30 slow jobs: workers 1 -> ${peak} -> 1 on model_jobs_waiting`);
    expect(peak).toBe(3);
  });
});
