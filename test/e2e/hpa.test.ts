import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, kubectl, kubectlJson, REPO_ROOT, uniqueName } from './cluster-env.js';
import { leastPrivilegeNamespace } from './deploy-env.js';
import { sampler, timeline, type Hpa } from './fixtures/replica-sampler.js';
import { exampleCommand, release, releaseSet, serviceAddress, waitRoutable } from './fixtures/release-prober.js';
import path from 'node:path';

// The chart's HorizontalPodAutoscaler on the real cluster, both forms, driven by real load through the
// Service: CPU through metrics.k8s.io (metrics-server), requests per second through custom.metrics.k8s.io
// (Prometheus and the adapter of cluster/metrics.sh). Each scales from its minimum up under load and back
// down when the load stops. While the requests-per-second HPA holds stable at its maximum, a release is
// promoted and then rolled back: stable's replicas stay the HPA's (the release's own replicas value, 1,
// is never applied to it), within its bounds, and the canary's pods are not counted by it.

const METRICS_SH = path.join(REPO_ROOT, 'cluster', 'metrics.sh');
const cpuNs = uniqueName('e2e-hpa-cpu');
const rpsNs = uniqueName('e2e-hpa-rps');
const stamp = Date.now().toString(36);
const INFER = JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [[5.1, 3.5, 1.4, 0.2]] }] });
const MAX = 3;
let previousKubeconfig: string | undefined;

/** Load through the Service: `loops` requests in flight at once, each loop waiting `pauseMs` between requests. */
function load(url: string, loops: number, pauseMs: number): { stop: () => Promise<number> } {
  let running = true;
  let sent = 0;
  const loop = async (): Promise<void> => {
    while (running) {
      await fetch(`${url}/v2/models/iris/infer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: INFER,
        signal: AbortSignal.timeout(5000),
      })
        .then((r) => r.text())
        .catch(() => undefined);
      sent++;
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const loopsDone = Promise.all(Array.from({ length: loops }, loop));
  return {
    stop: async () => {
      running = false;
      await loopsDone;
      return sent;
    },
  };
}

const autoscaled = (extra: string[]): string[] =>
  releaseSet([
    'model.version="1.0.0"',
    'image.buildArgs.VARIANT=v1',
    'smoke.enabled=false',
    'render.values.resources.requests.cpu=50m',
    'render.values.autoscaling.enabled=true',
    'render.values.autoscaling.minReplicas=1',
    `render.values.autoscaling.maxReplicas=${MAX}`,
    'render.values.autoscaling.scaleDownStabilizationSeconds=0',
    ...extra,
  ]);

beforeAll(async () => {
  const status = await exec('bash', [METRICS_SH, 'status'], { allowFailure: true, timeoutMs: 60_000 });
  if (status.exitCode !== 0) await exec('bash', [METRICS_SH, 'up'], { timeoutMs: 1_800_000 });
  previousKubeconfig = process.env['KUBECONFIG'];
}, 1_800_000);

afterAll(async () => {
  if (previousKubeconfig === undefined) delete process.env['KUBECONFIG'];
  else process.env['KUBECONFIG'] = previousKubeconfig;
  await kubectl(['delete', 'namespace', cpuNs, rpsNs, '--wait=false'], { allowFailure: true });
});

describe('the HPA under real load', () => {
  it('scales up on CPU and on requests per second and back down when the load stops; a release and a rollback keep the HPA in charge', async () => {
    // Each namespace's release runs as its own least-privilege ServiceAccount.
    const cpuConfig = await leastPrivilegeNamespace(cpuNs);
    const rpsConfig = await leastPrivilegeNamespace(rpsNs);
    process.env['KUBECONFIG'] = cpuConfig;
    const cpuV1 = await release(cpuNs, `e2e-hpa-cpu-${stamp}`, autoscaled(['render.values.autoscaling.targetCPUUtilizationPercentage=50']));
    expect(cpuV1.code, cpuV1.host.log).toBe(0);
    process.env['KUBECONFIG'] = rpsConfig;
    const rpsSet = autoscaled([
      'render.values.autoscaling.targetCPUUtilizationPercentage=0',
      'render.values.autoscaling.requestsPerSecond.enabled=true',
      'render.values.autoscaling.requestsPerSecond.averageValue="4"',
      // A rollout's new pods start their request series at 0: with no stabilization window at all the HPA may
      // scale stable down in the middle of the promotion or the rollback, as it judges them. A short window
      // (the default is 300 s) keeps its choice through them; the last one after the load still comes in time.
      'render.values.autoscaling.scaleDownStabilizationSeconds=90',
    ]);
    const rpsV1 = await release(rpsNs, `e2e-hpa-rps-${stamp}`, rpsSet);
    expect(rpsV1.code, rpsV1.host.log).toBe(0);
    const hpaSpec = await kubectlJson<Hpa & { spec: { metrics: { type: string }[] } }>(['-n', rpsNs, 'get', 'hpa', 'iris']);
    expect(hpaSpec.spec.metrics.map((m) => m.type)).toEqual(['Pods']);

    const cpuUrl = await serviceAddress(cpuNs, 'iris');
    const rpsUrl = await serviceAddress(rpsNs, 'iris');
    await waitRoutable(cpuUrl, 120_000);
    await waitRoutable(rpsUrl, 120_000);
    const cpu = sampler(cpuNs, 'HPA on CPU (target 50% of 50m)');
    const rps = sampler(rpsNs, 'HPA on requests per second (target 4 per pod)');
    try {
      // CPU: requests as fast as 6 loops go; requests per second: about 16 a second (4 loops, 250 ms apart).
      const hammer = load(cpuUrl, 6, 0);
      const steady = load(rpsUrl, 4, 250);
      const cpuUp = await cpu.until('scale-up on CPU', 240_000, (s) => s.spec >= 2);
      const rpsUp = await rps.until(`scale-up to ${MAX} on requests per second`, 240_000, (s) => s.spec === MAX && s.ready === MAX);
      const sent = await hammer.stop();
      console.log(`CPU load: ${sent} request(s); up after ${(cpuUp / 1000).toFixed(0)}s; requests per second: at ${MAX} after ${(rpsUp / 1000).toFixed(0)}s`);

      // A release and a rollback while the requests-per-second HPA holds stable at its maximum.
      const during = rps.samples.length;
      const v2 = await release(rpsNs, `e2e-hpa-rps-v2-${stamp}`, [
        ...rpsSet,
        'model.version="2.0.0"',
        'image.buildArgs.VARIANT=v2',
        'smoke.enabled=true',
        'analysis.duration=10s',
      ]);
      expect(v2.code, v2.host.log).toBe(0);
      expect(v2.host.outputs?.verdict).toBe('promoted');
      const back = await exampleCommand(rpsNs, { command: 'rollback', revision: 'previous', set: rpsSet });
      expect(back.code, back.host.log).toBe(0);
      const releaseSamples = rps.samples.slice(during);
      const hpa = await kubectlJson<Hpa>(['-n', rpsNs, 'get', 'hpa', 'iris']);
      // Stable's replicas are the HPA's throughout: never the release's 1, never past the bounds, no flapping.
      expect(releaseSamples.length).toBeGreaterThan(5);
      expect(
        releaseSamples.every((s) => s.spec >= hpa.spec.minReplicas && s.spec <= hpa.spec.maxReplicas),
        timeline(releaseSamples),
      ).toBe(true);
      expect(
        releaseSamples.every((s) => s.spec === MAX),
        timeline(releaseSamples),
      ).toBe(true);
      // The HPA counts stable's pods only (its target's selector has track=stable), not the canary's.
      expect(
        releaseSamples.every((s) => s.hpa <= MAX),
        timeline(releaseSamples),
      ).toBe(true);

      await steady.stop();
      const cpuDown = await cpu.until('scale-down on CPU after the load', 300_000, (s) => s.spec === 1);
      const rpsDown = await rps.until('scale-down on requests per second after the load', 300_000, (s) => s.spec === 1);
      console.log(`down to 1 after the load stopped: CPU ${(cpuDown / 1000).toFixed(0)}s, requests per second ${(rpsDown / 1000).toFixed(0)}s`);
    } finally {
      cpu.stop();
      rps.stop();
    }
  }, 1_200_000);
});
