import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, kubectl, REPO_ROOT, uniqueName } from './cluster-env.js';
import { asServiceAccount } from './deploy-env.js';
import { Jobs, withWorkers, type Job } from './fixtures/jobs.js';
import { release, serviceAddress, waitRoutable } from './fixtures/release-prober.js';
import { sampler } from './fixtures/replica-sampler.js';
import { startRedis } from './redis.js';

// The chart's batch workers on the real cluster beyond a release: a worker killed in the middle of a job (its job
// finished by another worker, once), and the workers' HPA on the jobs waiting (the external metric
// model_jobs_waiting, which the local cluster's adapter serves from Prometheus: cluster/metrics.sh), up on a
// burst and back down. Released as the ServiceAccount of docs/rbac.yaml, on a Redis of the test's own.

const ns = uniqueName('e2e-batch-scale');
const stamp = Date.now().toString(36);
const METRICS_SH = path.join(REPO_ROOT, 'cluster', 'metrics.sh');
const figures: string[] = [];
let restore: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const status = await exec('bash', [METRICS_SH, 'status'], { allowFailure: true, timeoutMs: 60_000 });
  if (status.exitCode !== 0) await exec('bash', [METRICS_SH, 'up'], { timeoutMs: 1_800_000 });
  ({ restore } = await asServiceAccount(ns));
  await startRedis(ns);
}, 1_800_000);

afterAll(async () => {
  await restore?.();
  console.log(`batch scaling e2e figures:\n${figures.map((t) => `  ${t}`).join('\n')}`);
});

describe('workers scaled on queue depth, and a worker killed mid-job', () => {
  const name = 'iris-q';
  const scaled = (extra: string[]): string[] =>
    withWorkers([
      `model.name=${name}`,
      'model.version="1.0.0"',
      'image.buildArgs.VARIANT=v1',
      'render.values.worker.env.0.name=MODEL_FAULT',
      'render.values.worker.env.0.value=slow',
      'render.values.worker.env.1.name=MODEL_FAULT_DELAY_MS',
      'render.values.worker.env.1.value="5000"',
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
    // Killed: SIGTERM, then SIGKILL a second later, in the middle of the job's 5 s (its drain would take 10 s).
    await kubectl(['-n', ns, 'delete', 'pod', killed, '--grace-period=1', '--wait=false']);
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
