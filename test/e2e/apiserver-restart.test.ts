import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import { readHistory } from '../../src/decide/history.js';
import { REPO_ROOT, uniqueName } from './cluster-env.js';
import { getJson, imageOf, asServiceAccount, buildIrisVariants, renderedObjects, testConfig, testContext, type LiveDeployment } from './deploy-env.js';

// The API server goes away in the middle of a release (stopped for a few seconds while the canary is in
// its readiness gate, then started again with the same command line): the run must retry through the
// outage and finish with a verdict, leaving no canary, no lock and a consistent history behind.

const ns = uniqueName('e2e-apirestart');
const images = { v1: '', v2: '' };
let restore: (() => Promise<void>) | undefined;

/** Stops the API server for `seconds`, then starts it again; resolves with the script's output once it is back. */
function restartApiServer(seconds: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'cluster', 'restart-apiserver.sh'), String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

const deployment = (name: string): Promise<LiveDeployment | undefined> => getJson<LiveDeployment>(ns, ['deployment', name]);

beforeAll(async () => {
  ({ restore } = await asServiceAccount(ns));
  Object.assign(images, await buildIrisVariants());
}, 900_000);

afterAll(async () => {
  await restore?.();
});

describe('the API server restarts during a release', () => {
  const name = 'iris-r';
  const release = async (
    config: Config,
    image: string,
    during?: () => Promise<void>,
  ): Promise<{ verdict?: string; error?: unknown; log: string; state: { created: string[]; lockHeld: boolean } }> => {
    const run = testContext(config);
    try {
      const pending = deliverRelease(config, renderedObjects(name, ns, image, { version: image === images.v1 ? '1.0.0' : '2.0.0' }), image, run.ctx);
      if (during) {
        const gating = await until(() => run.host.log.includes('Gating canary'), 120_000);
        expect(gating, run.host.log).toBe(true);
        await during();
      }
      const verdict = await pending;
      return { verdict, log: run.host.log, state: run.state };
    } catch (error) {
      return { error, verdict: run.ctx.report.outputs.verdict, log: run.host.log, state: run.state };
    } finally {
      await run.close();
    }
  };

  it('retries through the outage and finishes the release, leaving nothing behind', async () => {
    const first = await release(testConfig(name, ns), images.v1);
    expect(first.error, first.log).toBeUndefined();
    expect(first.verdict).toBe('promoted');

    let restart: { code: number | null; output: string } = { code: null, output: '' };
    const second = await release(testConfig(name, ns), images.v2, async () => {
      restart = await restartApiServer(6);
    });
    expect(restart.code, restart.output).toBe(0);
    expect(restart.output).toContain('kube-apiserver is back');
    // The outage was seen and retried, not silently skipped.
    expect(second.log).toMatch(/retrying in \d+ ms/);
    // Retrying is the expected outcome; a clean rollback is the acceptable one. Either way nothing is half done.
    expect(['promoted', 'rolled-back'], `${String(second.error)}\n${second.log}`).toContain(second.verdict);
    expect(await deployment(`${name}-canary`)).toBeUndefined();
    expect(await getJson(ns, ['configmap', `${name}-settings-canary`])).toBeUndefined();
    expect(await getJson(ns, ['lease', `model-canary-${name}`])).toBeUndefined();
    expect(imageOf(await deployment(name))).toBe(second.verdict === 'promoted' ? images.v2 : images.v1);
    expect(second.state.lockHeld).toBe(false);

    const run = testContext(testConfig(name, ns));
    try {
      const history = await readHistory(await run.ctx.kube.client(), ns, name);
      expect(history.map((r) => r.verdict)).toEqual(['promoted', second.verdict]);
      expect(history.at(-1)?.image).toBe(images.v2);
    } finally {
      await run.close();
    }
  });
});
