import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentSignal, eventSignal, podPhrase, podReady, podSignal, progressLine } from '../../src/deploy/gate-signals.js';
import type { Deployment, KubeEvent, Pod } from '../../src/deploy/types.js';

// The gate's judgement of pods recorded from the real cluster (test/fixtures/deploy/README.md).

const pod = (name: string): Pod => JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'deploy', 'pods', `${name}.json`), 'utf8')) as Pod;

describe('podSignal', () => {
  it.each([
    ['crash-loop', 'CrashLoopBackOff', /back-off .* restarting failed container.*last exit code 3/],
    ['oom', 'OOMKilled', /ran out of memory \(OOMKilled, exit code 137\)/],
    ['gpu-unschedulable', 'Unschedulable', /Insufficient nvidia.com\/gpu/],
    ['missing-image-ErrImagePull', 'ErrImagePull', /not found/],
    ['missing-image-ImagePullBackOff', 'ImagePullBackOff', /Back-off pulling image/],
    ['bad-config', 'CreateContainerConfigError', /configmap "nope" not found/],
  ])('%s fails at once with %s', (fixture, reason, detail) => {
    const signal = podSignal(pod(fixture), 1);
    expect(signal?.reason).toBe(reason);
    expect(signal?.detail).toMatch(detail);
    expect(signal?.object).toBe(pod(fixture).metadata.name);
  });

  it.each(['ready', 'ready-starting', 'missing-image-ContainerCreating', 'never-ready', 'crash-terminated', 'crash-restarted'])(
    '%s is not decisive with maxRestarts 1',
    (fixture) => {
      expect(podSignal(pod(fixture), 1)).toBeUndefined();
    },
  );

  it('counts restarts over canary.maxRestarts', () => {
    const signal = podSignal(pod('crash-restarted'), 0);
    expect(signal?.reason).toBe('Restarts');
    expect(signal?.detail).toContain('restarted 1 times (canary.maxRestarts is 0); last exit code 3');
    expect(signal?.at).toBe('2026-11-25T17:40:53Z');
  });

  it('treats exit code 137 without OOMKilled as a kill, and ignores pods being deleted', () => {
    const killed = pod('oom');
    const status = killed.status?.containerStatuses?.[0];
    if (status?.state?.terminated) status.state.terminated.reason = 'Error';
    expect(podSignal(killed, 1)?.reason).toBe('Killed');
    killed.metadata.deletionTimestamp = '2026-11-25T17:41:00Z';
    expect(podSignal(killed, 1)).toBeUndefined();
  });
});

describe('readiness and progress', () => {
  it('knows Ready pods and says what the others do', () => {
    expect(podReady(pod('ready'))).toBe(true);
    expect(podReady(pod('never-ready'))).toBe(false);
    const created = Date.parse(pod('ready-starting').metadata.creationTimestamp ?? '');
    expect(podPhrase(pod('ready-starting'), created + 6000)).toBe('ContainerCreating 6s');
    expect(podPhrase(pod('gpu-unschedulable'), created)).toMatch(/^Pending \(Unschedulable\)/);
    expect(podPhrase(pod('never-ready'), created)).toMatch(/^Running, not Ready/);
    const line = progressLine('canary', [pod('ready'), pod('ready-starting')], 2, created + 6000);
    expect(line).toBe('canary 1/2 ready; pod ready: ContainerCreating 6s');
    expect(progressLine('canary', [], 1, 0)).toBe('canary 0/1 ready; no pods yet');
  });
});

describe('deployment and event signals', () => {
  it('fails on ProgressDeadlineExceeded', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'iris-canary' },
      spec: { selector: {}, template: {} },
      status: {
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "iris-canary-1" has timed out progressing.' },
        ],
      },
    } as Deployment;
    expect(deploymentSignal(d)?.reason).toBe('ProgressDeadlineExceeded');
    expect(deploymentSignal({ ...d, status: {} })).toBeUndefined();
  });

  it('fails on FailedCreate of the current ReplicaSet only', () => {
    const event: KubeEvent = {
      metadata: { name: 'e' },
      involvedObject: { kind: 'ReplicaSet', name: 'iris-canary-abc' },
      reason: 'FailedCreate',
      message: 'pods "iris-canary-abc-x" is forbidden: violates PodSecurity "restricted:latest"',
      lastTimestamp: '2026-11-25T17:41:00Z',
    };
    expect(eventSignal(event, 'iris-canary-abc')?.detail).toContain('violates PodSecurity');
    expect(eventSignal(event, 'iris-canary-other')).toBeUndefined();
  });
});
