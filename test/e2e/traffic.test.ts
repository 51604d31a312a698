import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPost } from '../../src/commands/post.js';
import type { Config } from '../../src/config/types.js';
import { promote, rollback } from '../../src/decide/index.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import { deployCanary } from '../../src/deploy/index.js';
import type { HTTPRoute } from '../../src/deploy/traffic/plan.js';
import type { ShareResult } from '../../src/analysis/types.js';
import { REPO_ROOT, uniqueName } from './cluster-env.js';
import { getJson, imageOf, asServiceAccount, buildIrisVariants, renderedObjects, testConfig, testContext, type LiveDeployment } from './deploy-env.js';
import { toolPath } from './run-command.js';

// Strategy traffic end to end through a real Gateway API implementation: Traefik (built from the Go module
// proxy by cluster/gateway.sh, running on the node as the controller of Gateway
// model-canary-gateway/model-canary) routes real HTTP requests by the weights of the HTTPRoute the action
// code applies. model-canary runs as the ServiceAccount of docs/rbac.yaml. Measured through Traefik's
// entrypoint: the canary's share of a few hundred requests at weight 20, then all traffic on the new version
// after promote, and on stable again after rollback and after the post step of a run that died.

const ns = uniqueName('e2e-traffic');
const GATEWAY = { name: 'model-canary', namespace: 'model-canary-gateway' };
const WEIGHT = 20;
const images = { v1: '', v2: '' };
let entrypoint = '';
let restore: (() => Promise<void>) | undefined;

const host = (name: string): string => `${name}.${ns}.test`;

function trafficConfig(name: string, patch: (c: Config) => void = () => undefined): Config {
  return testConfig(name, ns, (c) => {
    c.canary.strategy = 'traffic';
    c.canary.weight = WEIGHT;
    c.canary.gateway = GATEWAY;
    c.canary.hostnames = [host(name)];
    c.decide.mode = 'manual';
    patch(c);
  });
}

async function release(config: Config, image: string, version: string): Promise<{ verdict?: string; error?: unknown; log: string }> {
  const run = testContext(config);
  try {
    const verdict = await deliverRelease(
      config,
      renderedObjects(config.model.name, ns, image, { version, env: { MODEL_NAME: config.model.name } }),
      image,
      run.ctx,
    );
    return { verdict, log: run.host.log };
  } catch (error) {
    return { error, verdict: run.ctx.report.outputs.verdict, log: run.host.log };
  } finally {
    await run.close();
  }
}

async function command(config: Config, fn: typeof promote): Promise<{ verdict?: string; error?: unknown; log: string }> {
  const run = testContext(config);
  try {
    return { verdict: await fn(config, run.ctx), log: run.host.log };
  } catch (error) {
    return { error, log: run.host.log };
  } finally {
    await run.close();
  }
}

/** One GET through Traefik's entrypoint: the status and the variant (v1, v2) the answering model server runs. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
function ask(name: string): Promise<{ status: number; variant: string }> {
  // The server's URLs carry the model's name, as the chart sets MODEL_NAME to model.name.
  const url = new URL(`${entrypoint}/v2/models/${name}`);
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: host(name) }, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        let variant = '';
        try {
          variant = String((JSON.parse(body) as { versions?: string[] }).versions?.[0] ?? '');
        } catch {
          variant = `unparsable: ${body.slice(0, 80)}`;
        }
        resolve({ status: res.statusCode ?? 0, variant });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, variant: `error: ${e.message}` }));
    req.end();
  });
}

/** n requests, 8 at a time: how many each variant answered, and the failures. */
async function sample(name: string, n: number): Promise<{ counts: Record<string, number>; failed: string[] }> {
  const counts: Record<string, number> = {};
  const failed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      next++;
      const r = await ask(name);
      if (r.status !== 200) failed.push(`${r.status} ${r.variant}`);
      else counts[r.variant] = (counts[r.variant] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { counts, failed };
}

/**
 * Traefik reports a route Accepted when its provider has read it; its data plane takes the new
 * configuration a moment later (provider throttling). Waits until `ok` holds for `runs` requests in a row
 * (1: the new backend answered once).
 */
async function settle(name: string, ok: (variant: string) => boolean, what: string, runs = 20): Promise<void> {
  const deadline = Date.now() + 30_000;
  let run = 0;
  let last = '';
  while (run < runs) {
    const r = await ask(name);
    last = `${r.status} ${r.variant}`;
    run = r.status === 200 && ok(r.variant) ? run + 1 : 0;
    if (Date.now() > deadline) throw new Error(`Traefik did not settle on ${what} within 30s (last answer: ${last})`);
  }
}

/**
 * Bounds the canary count of n requests may fall in when each goes to the canary with probability p: the
 * mean plus or minus 6 standard deviations of the binomial distribution (a false failure has probability
 * below 1e-8; Traefik's weighted round robin is in fact far closer to the weight).
 */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [Math.floor(n * p - 6 * sd), Math.ceil(n * p + 6 * sd)];
}

const route = (name: string): Promise<HTTPRoute | undefined> => getJson<HTTPRoute>(ns, ['httproute', name]);
const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);
const weights = (r: HTTPRoute | undefined): string[] => (r?.spec.rules?.[0]?.backendRefs ?? []).map((b) => `${b.name}=${b.weight ?? 1}`);

beforeAll(async () => {
  // Idempotent: builds Traefik on a machine that has not yet (cluster/up.sh normally did), installs the
  // CRDs, starts Traefik and the Gateway if they are not running; prints the entrypoint last.
  entrypoint =
    execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'gateway.sh'), 'up'], { encoding: 'utf8', timeout: 40 * 60_000 })
      .trim()
      .split('\n')
      .pop() ?? '';
  ({ restore } = await asServiceAccount(ns));
  Object.assign(images, await buildIrisVariants());
}, 45 * 60_000);

afterAll(async () => {
  agent.destroy();
  await restore?.();
});

describe('strategy traffic through Traefik', () => {
  const name = 'iris-t';

  it('a first release gets a stable Service and a route sending it everything', async () => {
    const first = await release(trafficConfig(name), images.v1, '1.0.0');
    expect(first.error, first.log).toBeUndefined();
    expect(first.verdict).toBe('promoted');
    expect(first.log).toMatch(/HTTPRoute\/iris-t accepted by Gateway model-canary-gateway\/model-canary/);
    expect(weights(await route(name))).toEqual(['iris-t-stable=100']);
    await settle(name, (v) => v === 'v1', 'v1');
  });

  it(`a canary at weight ${WEIGHT} gets that share of real requests through the Gateway`, async () => {
    const canary = await release(trafficConfig(name), images.v2, '2.0.0');
    expect(canary.error, canary.log).toBeUndefined();
    expect(canary.verdict).toBe('held');
    expect(weights(await route(name))).toEqual([`iris-t-stable=${100 - WEIGHT}`, `iris-t-canary=${WEIGHT}`]);
    expect(await getJson(ns, ['service', 'iris-t-canary'])).toBeDefined();
    await settle(name, (v) => v === 'v2', 'sending some requests to the canary', 1);
    const n = 400;
    const { counts, failed } = await sample(name, n);
    expect(failed).toEqual([]);
    expect((counts['v1'] ?? 0) + (counts['v2'] ?? 0)).toBe(n);
    const [low, high] = binomialBounds(n, WEIGHT / 100);
    console.log(`traffic e2e: ${counts['v2'] ?? 0}/${n} requests answered by the canary at weight ${WEIGHT} (bounds ${low}..${high})`);
    expect(counts['v2'] ?? 0).toBeGreaterThanOrEqual(low);
    expect(counts['v2'] ?? 0).toBeLessThanOrEqual(high);
  });

  it('promote moves stable to the canary, then all traffic to stable, and removes the canary', async () => {
    const result = await command(trafficConfig(name), promote);
    expect(result.error, result.log).toBeUndefined();
    expect(result.verdict).toBe('promoted');
    expect(result.log).toMatch(
      /Promoting iris-t[\s\S]*HTTPRoute\/iris-t sends all traffic to stable again[\s\S]*Removed the canary Deployment iris-t-canary[\s\S]*Removed the canary Service iris-t-canary/,
    );
    expect(weights(await route(name))).toEqual(['iris-t-stable=100']);
    expect(imageOf(await deployment(name))).toBe(images.v2);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(await getJson(ns, ['service', 'iris-t-canary'])).toBeUndefined();
    await settle(name, (v) => v === 'v2', 'v2 on stable');
    const { counts, failed } = await sample(name, 100);
    expect(failed).toEqual([]);
    expect(counts).toEqual({ v2: 100 });
  });

  it('rollback sends the weights back to stable and removes the canary, stable untouched', async () => {
    const canary = await release(trafficConfig(name), images.v1, '1.0.0');
    expect(canary.verdict, canary.log).toBe('held');
    expect(weights(await route(name))).toEqual([`iris-t-stable=${100 - WEIGHT}`, `iris-t-canary=${WEIGHT}`]);
    await settle(name, (v) => v === 'v1', 'sending some requests to the v1 canary', 1);
    const before = await deployment(name);
    const result = await command(trafficConfig(name), rollback);
    expect(result.error, result.log).toBeUndefined();
    expect(result.verdict).toBe('rolled-back');
    expect(weights(await route(name))).toEqual(['iris-t-stable=100']);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(await getJson(ns, ['service', 'iris-t-canary'])).toBeUndefined();
    expect((await deployment(name))?.metadata.generation).toBe(before?.metadata.generation);
    await settle(name, (v) => v === 'v2', 'v2 only');
    const { counts, failed } = await sample(name, 100);
    expect(failed).toEqual([]);
    expect(counts).toEqual({ v2: 100 });
  });

  it('the post step of a run that died after shifting traffic restores the weights and removes the canary', async () => {
    const config = trafficConfig(name);
    const run = testContext(config);
    try {
      // The deploy stage of a run killed right after: the canary gets its share, nothing decided.
      await deployCanary(config, renderedObjects(name, ns, images.v1, { version: '1.0.0', env: { MODEL_NAME: name } }), run.ctx, images.v1);
    } finally {
      await run.close();
    }
    expect(run.state.routes).toEqual([{ name, fieldManager: config.cluster.fieldManager }]);
    expect(run.state.created).toEqual(['Service/iris-t-canary', 'ConfigMap/iris-t-settings-canary', 'Deployment/iris-t-canary']);
    expect(weights(await route(name))).toEqual([`iris-t-stable=${100 - WEIGHT}`, `iris-t-canary=${WEIGHT}`]);
    const lines: string[] = [];
    const done = await runPost(JSON.stringify(run.state), { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) }, { searchPath: toolPath() });
    expect(
      lines.filter((l) => l.startsWith('warning')),
      lines.join('\n'),
    ).toEqual([]);
    expect(done).toEqual([
      'sent all traffic of HTTPRoute/iris-t back to stable',
      'deleted Deployment/iris-t-canary',
      'deleted ConfigMap/iris-t-settings-canary',
      'deleted Service/iris-t-canary',
    ]);
    expect(weights(await route(name))).toEqual(['iris-t-stable=100']);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    await settle(name, (v) => v === 'v2', 'v2 only after the post step');
  });

  it('canary.steps walk the route 10, 25, 50, 100 through the Gateway, each step measuring the share the canary really got', async () => {
    const STEPS = [10, 25, 50, 100];
    const config = trafficConfig(name, (c) => {
      c.canary.steps = STEPS;
      c.canary.gateway = { ...GATEWAY, url: entrypoint };
      c.analysis.durationMs = 12_000;
      c.analysis.intervalMs = 6_000;
      c.analysis.load.rps = 12;
      // No smoke cases in this workspace, so no paired load: the comparison is inconclusive and report
      // mode lets the walk go on; what is judged here is the route, step by step.
      c.analysis.mode = 'report';
    });
    const run = await release(config, images.v1, '1.0.0');
    expect(run.error, run.log).toBeUndefined();
    expect(run.verdict).toBe('held');
    expect(run.log).toMatch(
      /Step 2 of 4: the canary's weight goes to 25%[\s\S]*Step 3 of 4: the canary's weight goes to 50%[\s\S]*Step 4 of 4: the canary's weight goes to 100%[\s\S]*All 4 step\(s\) passed/,
    );
    expect(weights(await route(name))).toEqual(['iris-t-stable=0', 'iris-t-canary=100']);
    for (const weight of STEPS) {
      const file = path.join(config.run.tempDir, 'model-canary', `analysis-${name}-${config.run.runId}-step-${weight}.json`);
      const report = JSON.parse(readFileSync(file, 'utf8')) as { step: number; share: ShareResult };
      const told = report.share.canary + report.share.stable;
      console.log(
        `traffic e2e: step ${weight}%: ${report.share.canary}/${told} through the Gateway to the canary (99.9% interval ${report.share.lower.toFixed(3)}..${report.share.upper.toFixed(3)})`,
      );
      expect(report.step).toBe(weight);
      expect(report.share.failed).toBe(0);
      expect(told).toBeGreaterThanOrEqual(60);
      expect(report.share.within).toBe(true);
      // The same check by the test's own bounds, not the code's interval.
      const [low, high] = binomialBounds(told, weight / 100);
      expect(report.share.canary).toBeGreaterThanOrEqual(low);
      expect(report.share.canary).toBeLessThanOrEqual(high);
    }
    const back = await command(trafficConfig(name), rollback);
    expect(back.verdict, back.log).toBe('rolled-back');
    expect(weights(await route(name))).toEqual(['iris-t-stable=100']);
  }, 240_000);
});
