import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ProcessCounter } from '../src/exec/exec.js';
import { startKubeProxy, type KubeProxy } from '../src/kube/proxy.js';
import { MemoryLogger } from '../src/log/logger.js';
import { openInferenceV2 } from '../src/smoke/protocols/open-inference-v2.js';
import { runBounded } from '../src/smoke/send.js';
import { DirectChannel, PodsProxyChannel, PortForwardChannel, type Channel } from '../src/smoke/transport/channel.js';
import { tempDir } from '../test/helpers/temp.js';
import { KUBECONFIG, KUBECTL, kubectl, kubectlJson, restrictedNamespace, uniqueName, applyObjects } from '../test/e2e/cluster-env.js';
import { buildServer, deployment, rollOut, runSmoke } from '../test/e2e/smoke-support.js';

// Two figures, measured in one run on the real cluster with the example model server:
//  1. Requests per second of the smoke transport (the API server's pods proxy, over one `kubectl proxy`)
//     against the same requests sent straight to the pod IP from this machine. Goal: at least 0.5x.
//  2. Wall time of a 50-case smoke (cases generated from a model card) on 2 canary pods, parity included.

const ns = uniqueName('bench-smoke');
const REQUESTS = 400;
const CONCURRENCY = 4;
let proxy: KubeProxy | undefined;
let pod = { name: '', ip: '' };

beforeAll(async () => {
  const image = await buildServer('iris');
  await applyObjects([restrictedNamespace(ns)]);
  await rollOut([deployment(ns, 'iris', 'stable', image, 1), deployment(ns, 'iris', 'canary', image, 2)], ns, ['iris', 'iris-canary']);
  const pods = await kubectlJson<{ items: { metadata: { name: string }; status: { podIP: string } }[] }>(['-n', ns, 'get', 'pods', '-l', 'track=canary']);
  const first = pods.items[0];
  if (!first) throw new Error('no canary pod');
  pod = { name: first.metadata.name, ip: first.status.podIP };
  process.env['KUBECONFIG'] = KUBECONFIG;
  proxy = await startKubeProxy(new MemoryLogger(), new ProcessCounter(), KUBECTL);
}, 1_800_000);

afterAll(async () => {
  await proxy?.process.stop();
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

async function rps(channel: Channel): Promise<number> {
  const protocol = openInferenceV2('iris');
  const request = protocol.encode({ name: 'bench', inputs: [[5.1, 3.5, 1.4, 0.2]] });
  const started = performance.now();
  const statuses = await runBounded(
    Array.from({ length: REQUESTS }, (_, i) => i),
    CONCURRENCY,
    Infinity,
    async () => (await channel.send(request, 10_000)).status,
    () => 0,
  );
  const seconds = (performance.now() - started) / 1000;
  expect(statuses.every((s) => s === 200)).toBe(true);
  return REQUESTS / seconds;
}

it('smoke transport throughput against the pod IP, and a 50-case smoke on 2 pods', async () => {
  const direct = new DirectChannel(`http://${pod.ip}:8080`);
  const target = { name: pod.name, namespace: ns, ip: pod.ip, port: 8080 };
  const viaProxy = new PodsProxyChannel(proxy?.url ?? '', target);
  const viaForward = new PortForwardChannel(target, async () => KUBECTL, new MemoryLogger(), new ProcessCounter(), undefined);
  await rps(direct); // warm every path (connections, the server's first requests, the port-forward process)
  await rps(viaProxy);
  await rps(viaForward);
  // Interleaved rounds, so a change in the machine's load falls on both; the median of each.
  const d: number[] = [];
  const p: number[] = [];
  const f: number[] = [];
  for (let round = 0; round < 3; round++) {
    d.push(await rps(direct));
    p.push(await rps(viaProxy));
    f.push(await rps(viaForward));
  }
  await viaForward.close();
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ratio = median(p) / median(d);

  const run = await runSmoke(ns, ['protocol: open-inference-v2', 'generateCases: 50', 'warmup: 2', 'concurrency: 4'].join('\n'));
  expect(run.code, run.host.log).toBe(0);
  const report = run.report;
  const lines = [
    `smoke transport: ${REQUESTS} requests x 3 rounds, concurrency ${CONCURRENCY}, one V2 infer each`,
    `  straight to the pod IP: ${median(d).toFixed(0)} req/s (rounds ${d.map((x) => x.toFixed(0)).join(', ')})`,
    `  pods proxy via kubectl proxy: ${median(p).toFixed(0)} req/s (rounds ${p.map((x) => x.toFixed(0)).join(', ')})`,
    `  ratio: ${ratio.toFixed(2)}x (goal >= 0.5x)`,
    `  the fallback, kubectl port-forward: ${median(f).toFixed(0)} req/s (rounds ${f.map((x) => x.toFixed(0)).join(', ')}), ${(median(f) / median(d)).toFixed(2)}x`,
    `50-case smoke on 2 canary pods (+ parity on 1 stable pod, warm-up 2 per pod): wall ${run.seconds.toFixed(2)}s for the whole command, ${report?.durationMs} ms in the stage; ${report?.overall.requests} canary requests, p50 ${report?.p50Ms} ms, p95 ${report?.p95Ms} ms, verdict ${report?.verdict}`,
  ];
  console.log(lines.join('\n'));
  writeFileSync(path.join(tempDir('bench-smoke-'), 'result.txt'), lines.join('\n'));
  expect(ratio).toBeGreaterThanOrEqual(0.5);
});
