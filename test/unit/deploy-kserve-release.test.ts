import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { StageContext } from '../../src/core/context.js';
import { cleanupRecorder, type CleanupState } from '../../src/commands/entry.js';
import type { Config } from '../../src/config/types.js';
import { promote, rollback } from '../../src/decide/index.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import { cleanIsvc, predictorImage, type InferenceService } from '../../src/deploy/kserve/plan.js';
import { createExec, ProcessCounter } from '../../src/exec/exec.js';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import type { KubeSession } from '../../src/kube/session.js';
import { knownResource, resourcePath } from '../../src/kube/resources.js';
import { emptyOutputs } from '../../src/log/host.js';
import { MemoryHost } from '../helpers/memory-host.js';

// The kserve strategy's release, promote and rollback flows in process, against a small in-memory API
// server whose "controller" writes the status KServe would (the statuses of test/fixtures/deploy/kserve):
// no KServe controller runs on the test cluster, so this is where the decisions are exercised.

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'deploy', 'kserve');
const fixture = (f: string): InferenceService => parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as InferenceService;
const IMG = (d: string): string => `127.0.0.1:5000/models/sentiment@sha256:${d.repeat(64)}`;
const BAD = IMG('b');
const ISVC = '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/sentiment';

/**
 * Objects by path. apply replaces what it is given (one field manager owns it all) and bumps the
 * generation when the spec changed; then the stand-in controller writes a status for that spec, like
 * KServe: a revision per predictor spec, canaryTrafficPercent splitting traffic with the revision rolled
 * out last, an image named BAD failing to load.
 */
function fakeKServe(): { client: KubeClient; objects: Map<string, KubeObject>; applied: InferenceService[] } {
  const objects = new Map<string, KubeObject>();
  const applied: InferenceService[] = [];
  const revisions: string[] = []; // predictor specs (JSON), index + 1 = revision number
  let rolledOut = 0;
  const controller = (o: InferenceService): void => {
    const p = { ...o.spec.predictor };
    const canary = p.canaryTrafficPercent;
    delete p.canaryTrafficPercent;
    const key = JSON.stringify(p);
    if (revisions[revisions.length - 1] !== key) revisions.push(key);
    const latest = revisions.length;
    const rev = (n: number): string => `sentiment-predictor-${String(n).padStart(5, '0')}`;
    const failed = predictorImage(o.spec.predictor) === BAD;
    const base = fixture(failed ? 'canary-failed-load.yaml' : 'stable.yaml').status ?? {};
    const traffic =
      failed || canary === 0
        ? [
            { revisionName: rev(rolledOut), percent: 100, latestRevision: false, tag: 'prev' },
            ...(failed ? [] : [{ revisionName: rev(latest), percent: 0, latestRevision: true }]),
          ]
        : canary === undefined || rolledOut === 0
          ? [{ revisionName: rev(latest), percent: 100, latestRevision: true }]
          : [
              { revisionName: rev(rolledOut), percent: 100 - canary, latestRevision: false, tag: 'prev' },
              { revisionName: rev(latest), percent: canary, latestRevision: true, tag: 'latest' },
            ];
    if (!failed && canary === undefined) rolledOut = latest;
    o.status = {
      ...base,
      observedGeneration: o.metadata.generation ?? 1,
      components: {
        predictor: {
          latestCreatedRevision: rev(latest),
          latestReadyRevision: rev(failed ? latest - 1 : latest),
          latestRolledoutRevision: rev(rolledOut),
          traffic,
        },
      },
    };
  };
  const client = {
    resourceFor: async (apiVersion: string, kind: string) => knownResource(apiVersion, kind),
    get: async (p: string) => structuredClone(objects.get(p)),
    list: async () => ({ items: [], metadata: { resourceVersion: '1' } }),
    apply: async (o: KubeObject) => {
      const info = knownResource(o.apiVersion, o.kind);
      if (!info) throw new Error(`unknown kind ${o.kind}`);
      const p = resourcePath(info, o.metadata.namespace, o.metadata.name);
      const before = objects.get(p) as InferenceService | undefined;
      const next = structuredClone(o) as InferenceService;
      if (o.kind === 'InferenceService') {
        const changed = JSON.stringify(before?.spec) !== JSON.stringify(next.spec);
        next.metadata.generation = (before?.metadata.generation ?? 0) + (changed || !before ? 1 : 0);
        applied.push(structuredClone(next));
        controller(next);
      }
      objects.set(p, next);
      return structuredClone(next);
    },
    create: async (o: KubeObject) => {
      // The release's permission preflight: this API server allows everything.
      if (o.kind === 'SelfSubjectAccessReview') return { created: true, object: { ...o, status: { allowed: true } } };
      const p = resourcePath(knownResource(o.apiVersion, o.kind) ?? { apiVersion: '', plural: '', namespaced: true }, o.metadata.namespace, o.metadata.name);
      if (objects.has(p)) return { created: false, status: 409, body: {} };
      objects.set(p, { ...o, metadata: { ...o.metadata, resourceVersion: '1' } });
      return { created: true, object: o };
    },
    replace: async (o: KubeObject) => {
      const p = resourcePath(knownResource(o.apiVersion, o.kind) ?? { apiVersion: '', plural: '', namespaced: true }, o.metadata.namespace, o.metadata.name);
      objects.set(p, o);
      return { ok: true, object: o };
    },
    delete: async (p: string) => objects.delete(p),
  } as unknown as KubeClient;
  return { client, objects, applied };
}

function config(patch: Partial<Config['decide']> = {}): Config {
  return {
    model: { name: 'sentiment', version: '0.9.0' },
    image: { repository: '127.0.0.1:5000/models/sentiment' },
    cluster: { namespace: 'models', fieldManager: 'model-canary' },
    canary: { strategy: 'kserve', replicas: 1, weight: 10, readinessTimeoutMs: 2000, maxRestarts: 1, lockTimeoutMs: 1000 },
    smoke: { enabled: true },
    analysis: { durationMs: 120_000, onInconclusive: 'hold', postPromotionMs: 30_000 },
    decide: { mode: 'auto', onFailure: 'rollback', historyLimit: 10, ...patch },
    run: { runId: 'run-1', revision: '', configPath: 'model-canary.yaml', command: 'release' },
  } as unknown as Config;
}

function context(client: KubeClient): { ctx: StageContext; host: MemoryHost; state: CleanupState } {
  const host = new MemoryHost();
  const counter = new ProcessCounter();
  const state: CleanupState = { command: 'release', created: [], lockHeld: false };
  const ctx: StageContext = {
    host,
    exec: createExec(host.logger, counter),
    counter,
    report: { command: 'release', configPath: 'model-canary.yaml', startedAt: '', stages: [], outputs: emptyOutputs(), sections: [] },
    tools: { exec: createExec(host.logger, counter), logger: host.logger, searchPath: '' },
    kube: { client: async () => client, close: async () => undefined } as unknown as KubeSession,
    cleanup: cleanupRecorder(state, () => undefined),
  };
  return { ctx, host, state };
}

/** The rendered objects of a release running this image (the InferenceService, no status). */
const rendered = (image: string): KubeObject[] => {
  const o = cleanIsvc(fixture('stable.yaml'));
  const c = o.spec.predictor.containers?.[0];
  if (c) c.image = image;
  return [o];
};

const live = async (client: KubeClient): Promise<InferenceService> => (await client.get<InferenceService>(ISVC)) as InferenceService;
const history = async (client: KubeClient): Promise<string[]> =>
  (
    JSON.parse(
      (await client.get<{ data: Record<string, string> }>('/api/v1/namespaces/models/configmaps/model-canary-sentiment-history'))?.data['releases.json'] ??
        '[]',
    ) as { verdict: string }[]
  ).map((r) => r.verdict);

describe('strategy kserve release flow (in-memory API server playing KServe)', () => {
  it('first release, then a canary promoted automatically: canaryTrafficPercent set, then removed', async () => {
    const { client, applied } = fakeKServe();
    const first = context(client);
    expect(await deliverRelease(config(), rendered(IMG('1')), IMG('1'), first.ctx)).toBe('promoted');
    expect(first.host.log).toMatch(/first release is applied with all traffic/);
    const second = context(client);
    expect(await deliverRelease(config(), rendered(IMG('2')), IMG('2'), second.ctx)).toBe('promoted');
    expect(applied.map((o) => o.spec.predictor.canaryTrafficPercent ?? 'none')).toEqual(['none', 10, 'none']);
    expect(second.host.log).toMatch(
      /sending 10% of its traffic[\s\S]*rolled out \(latest revision Ready with 10% of the traffic\)[\s\S]*Promoting InferenceService sentiment[\s\S]*rolled out \(latest revision Ready with all traffic\)/,
    );
    expect(predictorImage((await live(client)).spec.predictor)).toBe(IMG('2'));
    expect(second.ctx.report.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['deploy:ok', 'smoke:skipped', 'analysis:skipped', 'decide:ok']);
    expect(await history(client)).toEqual(['promoted', 'promoted']);
    expect(second.state).toMatchObject({ created: [], lockHeld: false });
  });

  it('a canary that fails to load is rolled back: pinned to 0 on the previous predictor, then restored', async () => {
    const { client, applied } = fakeKServe();
    await deliverRelease(config(), rendered(IMG('1')), IMG('1'), context(client).ctx);
    const run = context(client);
    const err = await deliverRelease(config(), rendered(BAD), BAD, run.ctx).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/InferenceService sentiment failed: BlockedByFailedLoad \(ModelLoadFailed/);
    expect(run.ctx.report.outputs.verdict).toBe('rolled-back');
    expect(
      applied.map(
        (o) =>
          `${predictorImage(o.spec.predictor) === BAD ? 'bad' : predictorImage(o.spec.predictor).slice(-3)}:${o.spec.predictor.canaryTrafficPercent ?? 'none'}`,
      ),
    ).toEqual(['111:none', 'bad:10', '111:0', '111:none']);
    const after = await live(client);
    expect(after.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(after.metadata.annotations?.['model-canary.dev/previous-predictor']).toBeUndefined();
    expect(await history(client)).toEqual(['promoted', 'rolled-back']);
  });

  it('decide.mode manual holds the canary; command promote and command rollback finish it', async () => {
    const { client } = fakeKServe();
    await deliverRelease(config(), rendered(IMG('1')), IMG('1'), context(client).ctx);
    expect(await deliverRelease(config({ mode: 'manual' }), rendered(IMG('2')), IMG('2'), context(client).ctx)).toBe('held');
    expect((await live(client)).spec.predictor.canaryTrafficPercent).toBe(10);
    expect(await rollback(config(), context(client).ctx)).toBe('rolled-back');
    expect(predictorImage((await live(client)).spec.predictor)).toBe(IMG('1'));
    expect((await live(client)).spec.predictor).not.toHaveProperty('canaryTrafficPercent');

    expect(await deliverRelease(config({ mode: 'manual' }), rendered(IMG('3')), IMG('3'), context(client).ctx)).toBe('held');
    expect(await promote(config(), context(client).ctx)).toBe('promoted');
    expect(predictorImage((await live(client)).spec.predictor)).toBe(IMG('3'));
    expect((await live(client)).spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(await history(client)).toEqual(['promoted', 'held', 'rolled-back', 'held', 'promoted']);
    // Nothing left to promote or roll back: both say what to do.
    await expect(promote(config(), context(client).ctx)).rejects.toThrow(/no canary to promote/);
    await expect(rollback(config(), context(client).ctx)).rejects.toThrow(/no model-canary.dev\/previous-predictor annotation/);
  });

  it('refuses a Standard-mode canary of a predictor without a model (its own containers), before changing it', async () => {
    const { client, objects, applied } = fakeKServe();
    // Stable as KServe's defaulting webhook leaves it: RawDeployment normalised to Standard.
    const live = cleanIsvc(fixture('stable.yaml'));
    live.metadata.annotations = { 'serving.kserve.io/deploymentMode': 'Standard' };
    objects.set(ISVC, live);
    const next = rendered(IMG('2'));
    next[0]!.metadata.annotations = { 'serving.kserve.io/deploymentMode': 'RawDeployment' };
    const err = await deliverRelease(config(), next, IMG('2'), context(client).ctx).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/Standard mode, where a canary needs a predictor with a model and its storageUri/);
    expect(applied).toHaveLength(0);
  });
});
