import { afterAll, beforeAll, expect, it } from 'vitest';
import { openInferenceV2 } from '../src/smoke/protocols/open-inference-v2.js';
import { runBounded } from '../src/smoke/send.js';
import { DirectChannel } from '../src/smoke/transport/channel.js';
import { applyObjects, kubectl, kubectlJson, restrictedNamespace, uniqueName } from '../test/e2e/cluster-env.js';
import { buildServer, deployment, rollOut } from '../test/e2e/smoke-support.js';

// What the model server's Prometheus instrumentation costs: requests per second of the example server with
// its metrics (every request counted, timed into the histogram, the in-flight gauge, predictions by class)
// against the same image with MODEL_METRICS=off, one pod each on the real cluster, in interleaved rounds of
// one run, with /metrics scraped every second meanwhile as Prometheus would (more often than its 5 s).
//   npm run bench:metrics

const ns = uniqueName('bench-metrics');
const REQUESTS = 600;
const CONCURRENCY = 4;
const ROUNDS = 5;
const pods = { on: '', off: '' };

beforeAll(async () => {
  const image = await buildServer('iris');
  await applyObjects([restrictedNamespace(ns)]);
  await rollOut([deployment(ns, 'iris', 'stable', image, 1), deployment(ns, 'iris', 'canary', image, 1, { MODEL_METRICS: 'off' })], ns, [
    'iris',
    'iris-canary',
  ]);
  const list = await kubectlJson<{ items: { metadata: { labels: Record<string, string> }; status: { podIP: string } }[] }>(['-n', ns, 'get', 'pods']);
  pods.on = list.items.find((p) => p.metadata.labels['track'] === 'stable')?.status.podIP ?? '';
  pods.off = list.items.find((p) => p.metadata.labels['track'] === 'canary')?.status.podIP ?? '';
}, 1_800_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

async function rps(ip: string): Promise<number> {
  const channel = new DirectChannel(`http://${ip}:8080`);
  const request = openInferenceV2('iris').encode({ name: 'bench', inputs: [[5.1, 3.5, 1.4, 0.2]] });
  const scrape = setInterval(
    () =>
      void fetch(`http://${ip}:8080/metrics`)
        .then((r) => r.text())
        .catch(() => undefined),
    1000,
  );
  const started = performance.now();
  try {
    const statuses = await runBounded(
      Array.from({ length: REQUESTS }, (_, i) => i),
      CONCURRENCY,
      Infinity,
      async () => (await channel.send(request, 10_000)).status,
      () => 0,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
  } finally {
    clearInterval(scrape);
    await channel.close();
  }
  return REQUESTS / ((performance.now() - started) / 1000);
}

it('requests per second with and without the metrics, same run', async () => {
  await rps(pods.on); // warm both
  await rps(pods.off);
  // The instrumented server timed those requests; the other has no metrics at all.
  const metrics = await fetch(`http://${pods.on}:8080/metrics`).then((r) => r.text());
  expect(metrics).toContain('model_request_duration_seconds_bucket');
  expect((await fetch(`http://${pods.off}:8080/metrics`)).status).toBe(503);
  const on: number[] = [];
  const off: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift in the machine's load falls on both.
    if (round % 2 === 0) {
      on.push(await rps(pods.on));
      off.push(await rps(pods.off));
    } else {
      off.push(await rps(pods.off));
      on.push(await rps(pods.on));
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ratio = median(on) / median(off);
  console.log(
    [
      `model server, ${REQUESTS} V2 infers x ${ROUNDS} rounds, concurrency ${CONCURRENCY}, straight to the pod IP, /metrics scraped every 1 s:`,
      `  with metrics:    ${median(on).toFixed(0)} req/s (rounds ${on.map((x) => x.toFixed(0)).join(', ')})`,
      `  MODEL_METRICS=off: ${median(off).toFixed(0)} req/s (rounds ${off.map((x) => x.toFixed(0)).join(', ')})`,
      `  ratio with/without: ${ratio.toFixed(3)}`,
    ].join('\n'),
  );
  expect(ratio).toBeGreaterThan(0.5);
});
