import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawInputs } from '../../src/config/inputs.js';
import { canaryRouteShare, type InferenceService } from '../../src/deploy/kserve/index.js';
import type { HTTPRoute } from '../../src/deploy/traffic/plan.js';
import { kubectl, kubectlJson, REPO_ROOT, uniqueName } from './cluster-env.js';
import { asServiceAccount } from './deploy-env.js';
import { CLAIM, command as run, kserveWorkspace, offerModels, removeModelVolume, setUpKServe, type KServeSetup, type Run } from './fixtures/kserve.js';
import { describeFailures, type ProbeResult } from './fixtures/release-prober.js';
import { toolPath } from './run-command.js';

// Strategy kserve against the real KServe controller (v0.20, built from the Go module proxy and run by
// cluster/kserve.sh) in Standard mode with the Gateway API: KServe's own canary (a spec.canary entry, its
// Deployment and Service), its HTTPRoute on the cluster's Traefik, its sklearn serving runtime loading
// models from a claim on a host folder. model-canary runs the whole chain (render with the builtin chart's
// kserve mode, deploy, smoke and analysis on KServe's canary pods, decide) as the ServiceAccount of
// docs/rbac.yaml; traffic is measured through Traefik's entrypoint with the Host header KServe's route names.

const ns = uniqueName('e2e-kserve-std');
const ENTRYPOINT = `http://127.0.0.1:${process.env['MODEL_CANARY_GATEWAY_PORT'] ?? '18080'}`;
const WEIGHT = 20;
const figures: string[] = [];
let restore: (() => Promise<void>) | undefined;
let setup: KServeSetup | undefined;
let runtimeImage = '';
/** An input v1 and v2 classify differently: which one answered. */
let probe: { row: number[]; v1: string; v2: string } = { row: [], v1: '', v2: '' };

const isvc = (name: string): Promise<InferenceService> => kubectlJson<InferenceService>(['-n', ns, 'get', 'inferenceservice', name]);

const command = (dir: string, inputs: Partial<RawInputs>): Promise<Run> => run(need(setup), dir, inputs);
const ws = (name: string, uri: string, extra: string[] = []): string => kserveWorkspace(need(setup), name, uri, extra);
function need<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('the KServe setup did not run');
  return v;
}

async function podUids(deployment: string): Promise<string[]> {
  const d = await kubectlJson<{ spec: { selector: { matchLabels: Record<string, string> } } }>(['-n', ns, 'get', 'deployment', deployment]);
  const selector = Object.entries(d.spec.selector.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await kubectlJson<{ items: { metadata: { uid: string; deletionTimestamp?: string } }[] }>(['-n', ns, 'get', 'pods', '-l', selector]);
  return pods.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.uid)
    .sort();
}

const deploymentExists = async (name: string): Promise<boolean> =>
  (await kubectl(['-n', ns, 'get', 'deployment', name], { allowFailure: true })).exitCode === 0;

/** The host KServe's HTTPRoute matches for the InferenceService (its first hostname). */
async function routeHost(name: string): Promise<string> {
  const route = await kubectlJson<{ spec: { hostnames?: string[] } }>(['-n', ns, 'get', 'httproute', name]);
  const host = route.spec.hostnames?.[0];
  if (!host) throw new Error(`HTTPRoute ${name} names no hostname`);
  return host;
}

const agent = new http.Agent({ keepAlive: false });
/** One KServe V1 predict of the probe row through Traefik: the status and the class (which model answered). */
function ask(name: string, host: string): Promise<{ status: number; answer: string }> {
  const body = JSON.stringify({ instances: [probe.row] });
  const url = new URL(`${ENTRYPOINT}/v1/models/${name}:predict`);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { Host: host, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        agent,
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let answer = '';
          try {
            answer = String((JSON.parse(text) as { predictions?: unknown[] }).predictions?.[0] ?? '');
          } catch {
            answer = '';
          }
          resolve({ status: res.statusCode ?? 0, answer });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, answer: '' }));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

async function waitAnswers(name: string, host: string, want: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    const r = await ask(name, host);
    if (r.status === 200 && r.answer === want) return;
    last = `${r.status} ${r.answer}`;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${host} did not answer ${want} within ${timeoutMs} ms (last: ${last})`);
}

/** n probes through Traefik: how many the canary (v2's class) answered. */
async function share(name: string, host: string, n: number): Promise<{ canary: number; stable: number; failed: number }> {
  const counts = { canary: 0, stable: 0, failed: 0 };
  for (let i = 0; i < n; i++) {
    const r = await ask(name, host);
    if (r.status !== 200) counts.failed++;
    else if (r.answer === probe.v2) counts.canary++;
    else if (r.answer === probe.v1) counts.stable++;
    else counts.failed++;
  }
  return counts;
}

beforeAll(async () => {
  setup = await setUpKServe(ns);
  ({ probe, runtimeImage } = setup);
  ({ restore } = await asServiceAccount(ns));
  await offerModels(setup);
}, 1_800_000);

afterAll(async () => {
  console.log(`kserve Standard-mode e2e figures:\n${figures.map((t) => `  ${t}`).join('\n')}`);
  await restore?.();
  if (setup) await removeModelVolume(setup);
});

describe('strategy kserve in Standard mode, on the running KServe controller', () => {
  it("holds a good canary at trafficPercent 20 (smoked and analysed; its share through Traefik what KServe's route gives it), then promotes it with no pod restart", async () => {
    const name = 'iris-good';
    const first = await command(ws(name, `pvc://${CLAIM}/v1`), { command: 'release' });
    expect(first.code, first.log).toBe(0);
    expect(first.verdict).toBe('promoted');
    expect(first.log).toMatch(/Smoking \d+ case\(s\) on 1 canary pod\(s\) of iris-good-predictor/);
    const host = await routeHost(name);
    await waitAnswers(name, host, probe.v1);

    const canary = await command(ws(name, `pvc://${CLAIM}/v2`, ['decide: { mode: manual }']), { command: 'release' });
    expect(canary.code, canary.log).toBe(0);
    expect(canary.verdict).toBe('held');
    const live = await isvc(name);
    const entry = (live.spec['canary'] as { predictor: { name: string } }[] | undefined)?.[0]?.predictor.name ?? '';
    expect(entry).toMatch(/^mc-[0-9a-f]{8}$/);
    const canaryDeployment = `${name}-${entry}-predictor`;
    expect(canary.log).toMatch(new RegExp(`Smoking \\d+ case\\(s\\) on 1 canary pod\\(s\\) of ${canaryDeployment}`));
    expect(canary.log).toMatch(/stable iris-good-predictor revision \d+ has 1 Ready pod\(s\) for parity/);
    expect(canary.summary).toMatch(/### Analysis: ✅ pass/);
    expect(live.status?.canaryStatuses).toEqual([expect.objectContaining({ name: entry, ready: true, trafficPercent: WEIGHT })]);
    expect(live.status?.conditions?.find((c) => c.type === 'CanaryPredictorReady')?.status).toBe('True');

    // What KServe's routes say they send the canary, and what Traefik really sends it: the two must agree
    // (within 99.9 % binomial bounds), and model-canary must have said so, with a warning when it is not
    // the trafficPercent asked for (KServe v0.20.0 runs the canary's Deployment and Service but weights no
    // route by spec.canary: its HTTPRoutes name stable's Service only).
    const routes = await kubectlJson<{ items: HTTPRoute[] }>(['-n', ns, 'get', 'httproutes']);
    const routed = canaryRouteShare(
      routes.items.filter((r) => r.metadata.name === name || r.metadata.name.startsWith(`${name}-`)),
      canaryDeployment,
    );
    expect(routed, 'KServe made no HTTPRoute').toBeDefined();
    const p = (routed?.percent ?? 0) / 100;
    expect(canary.summary).toContain(`${Math.round((routed?.percent ?? 0) * 10) / 10}% to the canary (trafficPercent ${WEIGHT}%)`);
    if (Math.abs(p * 100 - WEIGHT) > 0.5) expect(canary.log).toMatch(/this KServe does not weight its route by spec\.canary/);
    const n = 400;
    const counts = await share(name, host, n);
    expect(counts.failed).toBe(0);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(counts.canary).toBeGreaterThanOrEqual(Math.floor(n * p - 3.29 * sd));
    expect(counts.canary).toBeLessThanOrEqual(Math.ceil(n * p + 3.29 * sd));
    figures.push(
      `canary at trafficPercent ${WEIGHT}: KServe's routes give it ${routed?.percent}%; ${counts.canary}/${n} requests through Traefik answered by it`,
    );

    const before = await podUids(canaryDeployment);
    const promoted = await command(ws(name, `pvc://${CLAIM}/v2`), { command: 'promote' });
    expect(promoted.code, promoted.log).toBe(0);
    expect(promoted.verdict).toBe('promoted');
    const after = await isvc(name);
    expect(after.spec.predictor['name']).toBe(entry);
    expect(after.spec['canary']).toBeUndefined();
    expect(await podUids(canaryDeployment)).toEqual(before);
    expect(await deploymentExists(`${name}-predictor`)).toBe(false);
    await waitAnswers(name, host, probe.v2);
    const all = await share(name, host, 100);
    expect(all).toEqual({ canary: 100, stable: 0, failed: 0 });
    figures.push(`promoted in ${(promoted.ms / 1000).toFixed(1)} s: the canary's pods kept (${before.length}, same UIDs), the old stable Deployment removed`);
  });

  it("rolls back a canary whose model cannot load, with the controller's status in the verdict; stable serves throughout", async () => {
    const name = 'iris-bad';
    const first = await command(ws(name, `pvc://${CLAIM}/v1`), { command: 'release' });
    expect(first.code, first.log).toBe(0);
    const host = await routeHost(name);
    await waitAnswers(name, host, probe.v1);
    const failures: ProbeResult[] = [];
    let sent = 0;
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const at = Date.now();
        const r = await ask(name, host);
        sent++;
        if (r.status !== 200) failures.push({ at, ms: Date.now() - at, ok: false, status: r.status });
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    const bad = await command(ws(name, `pvc://${CLAIM}/bad`), { command: 'release' });
    probing = false;
    await prober;
    expect(bad.verdict, bad.log).toBe('rolled-back');
    expect(bad.summary).toMatch(/CrashLoopBackOff|Error|RunContainerError/);
    expect(bad.summary).toMatch(/CanaryPredictorReady=False\/CanariesNotReady|canaries mc-[0-9a-f]{8}=20% not Ready/);
    const live = await isvc(name);
    expect(live.spec['canary']).toBeUndefined();
    expect(live.spec.predictor.model?.storageUri).toBe(`pvc://${CLAIM}/v1`);
    figures.push(`model that cannot load: rolled back in ${(bad.ms / 1000).toFixed(1)} s; prober ${failures.length} failed of ${sent}`);
    expect(failures, describeFailures(failures)).toEqual([]);
  });
});

describe('rollback and cleanup', () => {
  it('restores a previous revision from command rollback, through a canary', async () => {
    const name = 'iris-back';
    expect((await command(ws(name, `pvc://${CLAIM}/v1`), { command: 'release' })).verdict).toBe('promoted');
    const second = await command(ws(name, `pvc://${CLAIM}/v2`), { command: 'release' });
    expect(second.verdict, second.log).toBe('promoted');
    const host = await routeHost(name);
    await waitAnswers(name, host, probe.v2);
    const back = await command(ws(name, `pvc://${CLAIM}/v2`), { command: 'rollback', revision: '1' });
    expect(back.code, back.log).toBe(0);
    expect(back.verdict).toBe('rolled-back');
    expect(back.summary).toMatch(/Restored \| revision 1: pvc:\/\/models\/v1/);
    expect((await isvc(name)).spec.predictor.model?.storageUri).toBe(`pvc://${CLAIM}/v1`);
    await waitAnswers(name, host, probe.v1);
  });

  it('removes the canary entry of a run stopped with Ctrl-C in the middle of its window', async () => {
    const name = 'iris-cancel';
    const dir = ws(name, `pvc://${CLAIM}/v1`);
    expect((await command(dir, { command: 'release' })).verdict).toBe('promoted');
    const canaryWs = ws(name, `pvc://${CLAIM}/v2`, ['analysis: { duration: 120s, interval: 5s, load: { rps: 5 }, postPromotion: 0s }']);
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli', 'index.js'), 'release', '--workspace', canaryWs, '--namespace', ns, '--image', runtimeImage],
      { env: { ...process.env, PATH: toolPath() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = Date.now();
    let ended = false;
    void exited.then(() => (ended = true));
    while (!/Analysis window/.test(log)) {
      if (ended || Date.now() - started > 240_000) throw new Error(`the window never started:\n${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(((await isvc(name)).spec['canary'] as unknown[] | undefined)?.length).toBe(1);
    const stableBefore = await podUids(`${name}-predictor`);
    const signalled = Date.now();
    child.kill('SIGINT');
    await exited;
    figures.push(`Ctrl-C in the window: the CLI exited ${((Date.now() - signalled) / 1000).toFixed(1)} s after SIGINT, canary entry removed`);
    // The run unwinds and removes its entry itself; the post step (its cleanup record) does when it cannot.
    expect(log).toMatch(/canary mc-[0-9a-f]{8} removed from spec\.canary|removed canary mc-[0-9a-f]{8} from InferenceService\/iris-cancel/);
    expect((await isvc(name)).spec['canary']).toBeUndefined();
    expect(await podUids(`${name}-predictor`)).toEqual(stableBefore);
  });
});

describe('bad input', () => {
  it("refuses a weight over 100 before anything is applied, and someone else's second canary", async () => {
    const name = 'iris-input';
    const over = await command(ws(name, `pvc://${CLAIM}/v1`).replace(/$/, ''), { command: 'release', set: ['canary.weight=150'] });
    expect(over.code).not.toBe(0);
    expect(over.log).toMatch(/canary\.weight/);
    expect((await kubectl(['-n', ns, 'get', 'inferenceservice', name], { allowFailure: true })).exitCode).not.toBe(0);

    expect((await command(ws(name, `pvc://${CLAIM}/v1`), { command: 'release' })).verdict).toBe('promoted');
    const theirs = {
      spec: { canary: [{ predictor: { name: 'theirs', model: { modelFormat: { name: 'sklearn' }, storageUri: `pvc://${CLAIM}/v2` } }, trafficPercent: 10 }] },
    };
    await kubectl(['-n', ns, 'patch', 'inferenceservice', name, '--type=merge', '-p', JSON.stringify(theirs)]);
    const two = await command(ws(name, `pvc://${CLAIM}/v2`), { command: 'release' });
    expect(two.code).not.toBe(0);
    expect(two.log).toMatch(/already has canary theirs that model-canary did not add/);
    expect(((await isvc(name)).spec['canary'] as { predictor: { name: string } }[]).map((c) => c.predictor.name)).toEqual(['theirs']);
  });

  it("passes the controller's refusal on: two canaries summing over 100", async () => {
    const name = 'iris-input';
    const over = {
      spec: {
        canary: [
          { predictor: { name: 'theirs', model: { modelFormat: { name: 'sklearn' }, storageUri: `pvc://${CLAIM}/v2` } }, trafficPercent: 90 },
          { predictor: { name: 'more', model: { modelFormat: { name: 'sklearn' }, storageUri: `pvc://${CLAIM}/v2` } }, trafficPercent: 20 },
        ],
      },
    };
    const refused = await kubectl(['-n', ns, 'patch', 'inferenceservice', name, '--type=merge', '-p', JSON.stringify(over)], { allowFailure: true });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/traffic|100/i);
  });
});
