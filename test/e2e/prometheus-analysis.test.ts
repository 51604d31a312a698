import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { REPO_ROOT, PROMETHEUS_BIN, PROMETHEUS_URL, uniqueName, exec } from './cluster-env.js';
import { asServiceAccount, getJson, imageOf, type LiveDeployment } from './deploy-env.js';
import { describeFailures, Prober, release, releaseSet, serviceAddress, TimedHost, waitRoutable, type ReleaseRun } from './fixtures/release-prober.js';

// The `prometheus` analysis source on the real cluster: the example (examples/iris, the builtin chart's
// scrape annotations and track label) released as the ServiceAccount of docs/rbac.yaml while a prober sends
// live traffic through the Service, a quarter of it with inputs the smoke cases do not have (a feature
// value of 500). The cluster's Prometheus (cluster/metrics.sh) scrapes the pods; the analysis reads the
// canary's and stable's series from it. A canary that fails only those inputs passes smoke and the paired
// load, and is caught on live traffic. A Prometheus of the test's own is stopped in the middle of a window.

const ns = uniqueName('e2e-prom');
const stamp = Date.now().toString(36);
const METRICS_SH = path.join(REPO_ROOT, 'cluster', 'metrics.sh');
const row = (features: number[]): string => JSON.stringify({ inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [features] }] });
// Inputs 0-2 are like the smoke cases; input 3 is an outlier a user sends.
const BODIES = [row([5.1, 3.5, 1.4, 0.2]), row([6.7, 3.0, 5.2, 2.3]), row([5.9, 3.0, 4.2, 1.5]), row([500, 3.0, 4.2, 1.5])];
const OUTLIER = 3;
const figures: string[] = [];
let restore: (() => Promise<void>) | undefined;
let prober: Prober | undefined;
let own: ChildProcess | undefined;

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);
/** The live-analysis settings: Prometheus, a 40 s window, a wide latency margin (histogram buckets are ~2x apart). */
const live = (url: string, extra: string[] = []): string[] =>
  releaseSet([
    `analysis.prometheus.url=${url}`,
    'analysis.duration=40s',
    'analysis.interval=10s',
    'analysis.minSamples=30',
    'analysis.latency.margin=1',
    'analysis.load.rps=5',
    'analysis.postPromotion=0s',
    'smoke.enabled=true',
    'render.values.replicas=2',
    ...extra,
  ]);
const liveReport = (
  run: ReleaseRun,
): { verdict: { outcome: string; live?: { outcome: string; errors: { canary: number; canaryRequests: number; stable: number; stableRequests: number } } } } => {
  const file = /Every pair is in `([^`]+)`/.exec(run.host.summary ?? '')?.[1];
  if (!file) throw new Error(`no analysis report in the summary:\n${run.host.log}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof liveReport>;
};

beforeAll(async () => {
  const status = await exec('bash', [METRICS_SH, 'status'], { allowFailure: true, timeoutMs: 60_000 });
  if (status.exitCode !== 0) await exec('bash', [METRICS_SH, 'up'], { timeoutMs: 1_800_000 });
  ({ restore } = await asServiceAccount(ns));
}, 1_800_000);

afterAll(async () => {
  await prober?.stop();
  own?.kill('SIGKILL');
  await restore?.();
  console.log(`prometheus analysis e2e figures:\n${figures.map((t) => `  ${t}`).join('\n')}`);
});

describe('analysis on live traffic from Prometheus', () => {
  it('promotes a good canary judged on live traffic too, and catches a canary that fails only inputs the smoke cases lack', async () => {
    const v1 = await release(
      ns,
      `e2e-prom-v1-${stamp}`,
      releaseSet(['model.version="1.0.0"', 'image.buildArgs.VARIANT=v1', 'smoke.enabled=false', 'render.values.replicas=2']),
    );
    expect(v1.code, v1.host.log).toBe(0);
    const url = await serviceAddress(ns, 'iris');
    await waitRoutable(url, 120_000);
    prober = new Prober(url, { intervalMs: 60, timeoutMs: 5_000, maxRequests: 20_000, maxMs: 600_000, bodies: BODIES, freshConnections: true });
    prober.start();

    const good = await release(ns, `e2e-prom-v2-${stamp}`, live(PROMETHEUS_URL, ['model.version="2.0.0"', 'image.buildArgs.VARIANT=v2']));
    expect(good.code, good.host.log).toBe(0);
    expect(good.host.outputs?.verdict).toBe('promoted');
    const passed = liveReport(good).verdict.live;
    expect(passed?.outcome, good.host.log).toBe('pass');
    expect(good.host.summary).toMatch(/\| Live 5xx \(Prometheus, \d+s; limit 5\.00%\) \| pass \|/);
    figures.push(`good canary: live ${passed?.errors.canaryRequests} canary / ${passed?.errors.stableRequests} stable request(s), promoted`);
    const promoted = imageOf(await deployment('iris'));

    const bad = await release(
      ns,
      `e2e-prom-v3-${stamp}`,
      live(PROMETHEUS_URL, ['model.version="3.0.0"', 'image.buildArgs.VARIANT=v2', 'render.values.settings.MODEL_FAULT=error-outliers']),
    );
    expect(bad.code, bad.host.log).toBe(1);
    expect(bad.host.outputs?.verdict, bad.host.log).toBe('rolled-back');
    const failed = liveReport(bad).verdict;
    expect(failed.outcome).toBe('fail');
    expect(failed.live?.outcome).toBe('fail');
    // Smoke passed (its cases have no outlier), and the paired load did not see the fault either.
    expect(bad.host.log).toMatch(/smoke.*pass/i);
    const e = failed.live?.errors;
    expect(e?.canary ?? 0).toBeGreaterThan(0);
    expect(e?.stable).toBe(0);
    // The failing share named in the summary.
    expect(bad.host.summary).toMatch(
      new RegExp(`live traffic: the canary answers 5xx too often: 5xx canary ${e?.canary}/${e?.canaryRequests} \\([\\d.]+%\\), stable 0/${e?.stableRequests}`),
    );
    expect(await deployment('iris-canary')).toBeUndefined();
    expect(imageOf(await deployment('iris'))).toBe(promoted);
    figures.push(`outlier-failing canary: live 5xx ${e?.canary}/${e?.canaryRequests} on the canary, 0/${e?.stableRequests} on stable: rolled back`);

    await new Promise((r) => setTimeout(r, 3_000));
    const results = await prober.stop();
    prober = undefined;
    const failures = results.filter((r) => !r.ok);
    // Only the canary failed, only on outliers; no request failed otherwise.
    expect(
      failures.every((r) => r.input === OUTLIER),
      describeFailures(failures),
    ).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    figures.push(`prober: ${results.length} request(s), ${failures.length} failed, every one an outlier answered by the faulty canary`);
  });

  it('never promotes when Prometheus stops in the middle of the window, or is not there at all', async () => {
    // A Prometheus of this test's own, so the cluster's keeps running for the others.
    const dir = tempDir('e2e-prom-own-');
    writeFileSync(path.join(dir, 'prometheus.yml'), 'global: { scrape_interval: 5s }\nscrape_configs: []\n');
    const port = 19000 + Math.floor(Math.random() * 900);
    own = spawn(
      PROMETHEUS_BIN,
      ['--config.file', path.join(dir, 'prometheus.yml'), '--storage.tsdb.path', path.join(dir, 'data'), '--web.listen-address', `127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    const ownUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${ownUrl}/-/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = imageOf(await deployment('iris'));
    const host = new TimedHost();
    const running = release(ns, `e2e-prom-v4-${stamp}`, live(ownUrl, ['model.version="4.0.0"', 'image.buildArgs.VARIANT=v1']), host);
    // Stop it once the window is open and has read it once.
    const deadline = Date.now() + 240_000;
    while (!host.logger.lines.some((l) => /prometheus \d+s: canary/.test(l)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(
      host.logger.lines.some((l) => /prometheus \d+s: canary/.test(l)),
      host.log,
    ).toBe(true);
    own.kill('SIGTERM');
    const stoppedAt = Date.now();
    const run = await running;
    expect(run.code).toBe(1);
    expect(run.host.outputs?.verdict, run.host.log).toBe('rolled-back');
    expect(run.host.log).toContain(`Prometheus at ${ownUrl} could not be reached (ECONNREFUSED)`);
    expect(run.host.log).toMatch(/The canary is not promoted/);
    expect(imageOf(await deployment('iris'))).toBe(before);
    figures.push(
      `Prometheus stopped ${((stoppedAt - run.startedAt) / 1000).toFixed(0)}s into the release: rolled back, "${/Prometheus at [^\n]*could not be reached[^\n]*/.exec(run.host.log)?.[0]}"`,
    );

    const nowhere = await release(ns, `e2e-prom-v5-${stamp}`, live(ownUrl, ['model.version="5.0.0"', 'image.buildArgs.VARIANT=v1']));
    expect(nowhere.code).toBe(1);
    expect(nowhere.host.outputs?.verdict).toBe('rolled-back');
    expect(nowhere.host.log).toMatch(/The analysis window did not open; the canary is not promoted/);
    expect(imageOf(await deployment('iris'))).toBe(before);
  });
});
