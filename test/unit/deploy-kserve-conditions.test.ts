import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { inferenceServiceState, latestShare } from '../../src/deploy/kserve/conditions.js';
import { InferenceServiceFailure, waitForInferenceService } from '../../src/deploy/kserve/index.js';
import type { InferenceService } from '../../src/deploy/kserve/plan.js';
import type { KubeClient } from '../../src/kube/client.js';
import { MemoryLogger } from '../../src/log/logger.js';

// How the deployer reads an InferenceService's status, on objects in the shape KServe writes them (no
// KServe controller runs here; see test/fixtures/deploy/kserve/README.md).

const isvc = (file: string): InferenceService =>
  parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'deploy', 'kserve', file), 'utf8')) as InferenceService;

describe('inferenceServiceState', () => {
  it('a stable InferenceService is rolled out with all traffic, not as a canary', () => {
    expect(inferenceServiceState(isvc('stable.yaml'), { kind: 'full' }).state).toBe('ready');
    const s = inferenceServiceState(isvc('stable.yaml'), { kind: 'canary', weight: 10 });
    expect(s.state).toBe('pending');
    expect(s.detail).toMatch(/100% of the traffic, not 10%/);
  });

  it('waits while the controller has not seen the new generation', () => {
    const s = inferenceServiceState(isvc('canary-pending.yaml'), { kind: 'canary', weight: 10 });
    expect(s).toMatchObject({ state: 'pending' });
    expect(s.detail).toMatch(/not reconciled generation 2 yet \(observed 1\)/);
  });

  it('waits while the new revision is not Ready, saying which conditions are not True', () => {
    const s = inferenceServiceState(isvc('canary-progressing.yaml'), { kind: 'canary', weight: 10 });
    expect(s.state).toBe('pending');
    expect(s.detail).toMatch(/Ready Unknown \(RevisionMissing\)/);
    expect(s.detail).toMatch(/latest created sentiment-predictor-00002; latest ready sentiment-predictor-00001/);
  });

  it('a canary is ready when its revision is Ready with the weight asked for', () => {
    const s = inferenceServiceState(isvc('canary-ready.yaml'), { kind: 'canary', weight: 10 });
    expect(s.state).toBe('ready');
    expect(s.detail).toMatch(/traffic sentiment-predictor-00001=90% sentiment-predictor-00002=10%/);
    expect(inferenceServiceState(isvc('canary-ready.yaml'), { kind: 'canary', weight: 20 }).state).toBe('pending');
    expect(latestShare(isvc('canary-ready.yaml').status?.components?.['predictor'])).toBe(10);
  });

  it('fails at once on a model that will not load, with KServe reason and message', () => {
    const s = inferenceServiceState(isvc('canary-failed-load.yaml'), { kind: 'canary', weight: 10 });
    expect(s.state).toBe('failed');
    expect(s.state === 'failed' && s.reason).toBe(
      'BlockedByFailedLoad (ModelLoadFailed: Container failed with: RuntimeError: could not load /mnt/models/model.onnx.)',
    );
  });

  it('fails at once on a revision that failed (an image that cannot be pulled)', () => {
    const s = inferenceServiceState(isvc('canary-image-missing.yaml'), { kind: 'canary', weight: 10 });
    expect(s.state).toBe('failed');
    expect(s.state === 'failed' && s.reason).toMatch(/^PredictorConfigurationReady is False: RevisionFailed \(.*MANIFEST_UNKNOWN/);
  });

  it('a promotion is ready when the latest revision has all traffic; a pinned rollback when it has none', () => {
    expect(inferenceServiceState(isvc('promoted.yaml'), { kind: 'full' }).state).toBe('ready');
    expect(inferenceServiceState(isvc('canary-ready.yaml'), { kind: 'full' }).state).toBe('pending');
    expect(inferenceServiceState(isvc('rollback-pinned.yaml'), { kind: 'pinned' }).state).toBe('ready');
    expect(inferenceServiceState(isvc('rollback-pinned.yaml'), { kind: 'full' }).state).toBe('pending');
    expect(inferenceServiceState(isvc('canary-ready.yaml'), { kind: 'pinned' }).state).toBe('pending');
  });

  it('a transient False (no decisive reason) is waited on, not failed', () => {
    const o = isvc('canary-progressing.yaml');
    o.status?.conditions?.forEach((c) => {
      if (c.type === 'PredictorReady') Object.assign(c, { status: 'False', reason: 'MinimumReplicasUnavailable' });
    });
    expect(inferenceServiceState(o, { kind: 'canary', weight: 10 }).state).toBe('pending');
  });
});

/** A client that answers GETs of the InferenceService with the given objects in turn (the last one repeats). */
const sequence = (files: string[]): KubeClient => {
  let i = 0;
  return { get: async () => isvc(files[Math.min(i++, files.length - 1)] ?? '') } as unknown as KubeClient;
};

describe('waitForInferenceService', () => {
  it('returns once the status matches, printing progress while it waits', async () => {
    const logger = new MemoryLogger();
    const ms = await waitForInferenceService(
      sequence(['canary-pending.yaml', 'canary-progressing.yaml', 'canary-ready.yaml']),
      'models',
      'sentiment',
      { kind: 'canary', weight: 10 },
      5000,
      logger,
      { pollMs: 5, progressEveryMs: 0 },
    );
    expect(ms).toBeLessThan(5000);
    expect(logger.lines.join('\n')).toMatch(
      /waiting .*not reconciled[\s\S]*waiting .*RevisionMissing[\s\S]*rolled out \(latest revision Ready with 10% of the traffic\)/,
    );
  });

  it('fails at the first decisive status, not at the budget', async () => {
    const started = Date.now();
    const err = await waitForInferenceService(
      sequence(['canary-progressing.yaml', 'canary-failed-load.yaml']),
      'models',
      'sentiment',
      { kind: 'canary', weight: 10 },
      60_000,
      new MemoryLogger(),
      { pollMs: 5 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceServiceFailure);
    expect((err as InferenceServiceFailure).reason).toMatch(/^BlockedByFailedLoad/);
    expect((err as InferenceServiceFailure).userMessage).toMatch(
      /InferenceService sentiment failed: BlockedByFailedLoad[\s\S]*kubectl describe inferenceservice/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails with the last status when the budget runs out', async () => {
    const err = await waitForInferenceService(
      sequence(['canary-progressing.yaml']),
      'models',
      'sentiment',
      { kind: 'canary', weight: 10 },
      50,
      new MemoryLogger(),
      { pollMs: 5 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceServiceFailure);
    expect((err as Error).message).toMatch(/not rolled out .* within 0s \(canary.readinessTimeout\)\. Status: .*sentiment-predictor-00002/);
  });

  it('fails when the InferenceService is deleted under it', async () => {
    const client = { get: async () => undefined } as unknown as KubeClient;
    await expect(waitForInferenceService(client, 'models', 'sentiment', { kind: 'full' }, 1000, new MemoryLogger(), { pollMs: 5 })).rejects.toThrow(
      /disappeared/,
    );
  });
});
