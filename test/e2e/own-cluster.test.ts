import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlJson, REGISTRY, REPO_ROOT, uniqueName } from './cluster-env.js';
import { leastPrivilegeNamespace } from './deploy-env.js';
import { toolPath } from './run-command.js';

// `npm run demo` on a cluster the person names, with the embedded cluster treated as someone else's: the
// demo gets only a ServiceAccount kubeconfig (docs/rbac.yaml's rights, in one namespace it did not create),
// a context name and a registry address, and must run none of cluster/ (no root needed, no cluster scripts,
// no admin kubeconfig). No trivy on its PATH, so it says scanning is off.

const ns = uniqueName('e2e-own-cluster');
const SA = 'model-canary-deployer';

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

function demo(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'demo.sh')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('the demo on your own cluster', () => {
  it('releases v1, promotes v2 and rolls back a crashing v2 with a ServiceAccount kubeconfig, a context and a registry only', async () => {
    const kubeconfig = await leastPrivilegeNamespace(ns);
    // kubectl and helm from the build cache, trivy left out; nothing of cluster/ on PATH or in the environment.
    const withoutTrivy = toolPath()
      .split(path.delimiter)
      .filter((d) => !d.includes('trivy'))
      .join(path.delimiter);
    const env: Record<string, string> = {
      PATH: withoutTrivy,
      HOME: process.env['HOME'] ?? '/root',
      KUBECONFIG: kubeconfig,
      MODEL_CANARY_CONTEXT: SA,
      MODEL_CANARY_REGISTRY: REGISTRY,
      MODEL_CANARY_NAMESPACE: ns,
      MODEL_CANARY_BASE_IMAGE: `${REGISTRY}/model-canary/debian-ml:bookworm`,
    };
    const run = await demo(env);
    console.log(
      run.out
        .split('\n')
        .filter((l) => /(### |^verdict:|^trivy)/.test(l))
        .join('\n'),
    );
    expect(run.code, run.out).toBe(0);
    const verdicts = [...run.out.matchAll(/^verdict: (\S+) \(exit (\d+)\)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(verdicts).toEqual(['promoted 0', 'promoted 0', 'rolled-back 1']);
    expect(run.out).toContain(`your cluster: context ${SA}, registry ${REGISTRY}, namespace ${ns}`);
    expect(run.out).toContain('trivy is not on PATH: scanning is off');
    // None of the embedded cluster's scripts ran (they log "[cluster HH:MM:SS]").
    expect(run.out).not.toMatch(/\[cluster /);
    const stable = await kubectlJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(['-n', ns, 'get', 'deployment', 'iris']);
    expect(stable.spec.template.spec.containers[0]?.image).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/models/iris@sha256:`));
  }, 900_000);

  it('says what to set when only half of your cluster is named', async () => {
    const run = await demo({ PATH: process.env['PATH'] ?? '', MODEL_CANARY_REGISTRY: REGISTRY });
    expect(run.code).toBe(1);
    expect(run.out).toContain('your own cluster needs both MODEL_CANARY_CONTEXT (a kubeconfig context) and MODEL_CANARY_REGISTRY (a registry it pulls from)');
  });
});
