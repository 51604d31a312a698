import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { removeCanary } from '../../src/decide/stable-rollout.js';
import { canaryDeployment } from '../../src/deploy/canary-plan.js';
import { DeploymentLeftBehind } from '../../src/deploy/left-behind.js';
import { isDeployment } from '../../src/deploy/types.js';
import { checkReleaseAccess } from '../../src/deploy/preflight.js';
import { ModelCanaryError } from '../../src/errors.js';
import type { KubeObject } from '../../src/kube/client.js';
import { deliverRelease } from '../../src/pipeline/deliver.js';
import { applyObjects, kubectl, REGISTRY, uniqueName } from './cluster-env.js';
import { getJson, imageOf, leastPrivilegeNamespace, renderedObjects, testConfig, testContext, type LiveDeployment, type RbacRule } from './deploy-env.js';

// The permission preflight on the real API server: a ServiceAccount whose Role (docs/rbac.yaml without
// delete on deployments and without get on pods) is refused before anything is applied; the Role of
// docs/rbac.yaml as it is passes the preflight of every strategy. And a canary such a Role cannot delete
// (one already there) is scaled to 0.

const lacking = uniqueName('e2e-preflight');
const full = uniqueName('e2e-preflight-ok');
const kubeconfigs = { lacking: '', full: '' };
const STABLE_IMAGE = `${REGISTRY}/models/iris@sha256:${'1'.repeat(64)}`;
const CANARY_IMAGE = `${REGISTRY}/models/iris@sha256:${'2'.repeat(64)}`;
let previousKubeconfig: string | undefined;

/** docs/rbac.yaml's rules with some verbs taken off one resource. */
const withoutVerbs =
  (group: string, resource: string, verbs: string[]) =>
  (rules: RbacRule[]): RbacRule[] =>
    rules.flatMap((r) =>
      !r.apiGroups.includes(group) || !r.resources.includes(resource)
        ? [r]
        : [
            { ...r, resources: [resource], verbs: r.verbs.filter((v) => !verbs.includes(v)) },
            ...(r.resources.length > 1 ? [{ ...r, resources: r.resources.filter((x) => x !== resource) }] : []),
          ],
    );

/** Runs fn with the run's kubectl proxy authenticating as the given kubeconfig's ServiceAccount. */
async function as<T>(kubeconfig: string, fn: () => Promise<T>): Promise<T> {
  process.env['KUBECONFIG'] = kubeconfig;
  return fn();
}

beforeAll(async () => {
  previousKubeconfig = process.env['KUBECONFIG'];
  const noDeleteNoGet = (rules: RbacRule[]): RbacRule[] => withoutVerbs('', 'pods', ['get'])(withoutVerbs('apps', 'deployments', ['delete'])(rules));
  kubeconfigs.lacking = await leastPrivilegeNamespace(lacking, noDeleteNoGet);
  kubeconfigs.full = await leastPrivilegeNamespace(full);
  // A stable release to put a canary beside, applied as admin; 0 pods: nothing needs to run.
  await applyObjects(renderedObjects('iris', lacking, STABLE_IMAGE, { replicas: 0 }) as object[]);
}, 300_000);

afterAll(async () => {
  if (previousKubeconfig === undefined) delete process.env['KUBECONFIG'];
  else process.env['KUBECONFIG'] = previousKubeconfig;
  for (const ns of [lacking, full]) await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('a Role without delete on deployments', () => {
  it('is refused before the lock and before anything is applied, naming delete deployments.apps and the namespace', async () => {
    const config = testConfig('iris', lacking, (c) => (c.smoke.enabled = true));
    const run = testContext(config);
    let error: unknown;
    try {
      await as(kubeconfigs.lacking, () => deliverRelease(config, renderedObjects('iris', lacking, CANARY_IMAGE, { version: '2.0.0' }), CANARY_IMAGE, run.ctx));
    } catch (err) {
      error = err;
    } finally {
      await run.close();
    }
    expect(error, run.host.log).toBeInstanceOf(ModelCanaryError);
    const refusal = error as ModelCanaryError;
    expect(refusal.kind).toBe('cluster');
    expect(refusal.message).toContain(`delete deployments.apps in namespace ${lacking}`);
    expect(refusal.message).toContain('lacks 1 permission(s)');
    expect(refusal.message).toContain('nothing was applied');
    expect(refusal.hint).toContain('docs/rbac.yaml');
    expect(refusal.hint).toContain(`the Role in namespace ${lacking}`);
    // get on pods only serves the port-forward fallback: a warning, not a refusal.
    expect(run.host.log).toContain(`may not get pods in namespace ${lacking}`);

    expect(await getJson<LiveDeployment>(lacking, ['deployment', 'iris-canary'])).toBeUndefined();
    expect(await getJson(lacking, ['configmap', 'iris-settings-canary'])).toBeUndefined();
    expect(await getJson(lacking, ['lease', 'model-canary-iris'])).toBeUndefined();
    expect(await getJson(lacking, ['configmap', 'model-canary-iris-history'])).toBeUndefined();
    expect(imageOf(await getJson<LiveDeployment>(lacking, ['deployment', 'iris']))).toBe(STABLE_IMAGE);
    expect(run.state.created).toEqual([]);
    expect(run.state.lockHeld).toBe(false);
  });
});

describe('a canary the Role cannot delete', () => {
  it('is scaled to 0, and the error says what is left and how to remove it', async () => {
    const stable = renderedObjects('iris', lacking, CANARY_IMAGE).find(isDeployment);
    if (!stable) throw new Error('no Deployment rendered');
    await applyObjects([canaryDeployment(stable, 1, [])]);
    const config = testConfig('iris', lacking);
    const run = testContext(config);
    let error: unknown;
    try {
      const client = await as(kubeconfigs.lacking, () => run.ctx.kube.client());
      await removeCanary(client, config, 'iris', run.ctx.cleanup, run.host.logger);
    } catch (err) {
      error = err;
    } finally {
      await run.close();
    }
    expect(error, run.host.log).toBeInstanceOf(DeploymentLeftBehind);
    const left = error as DeploymentLeftBehind;
    expect(left.message).toContain(`cannot delete resource "deployments" in API group "apps" in the namespace "${lacking}"`);
    expect(left.message).toContain('It was scaled to 0 replicas instead, so it serves nothing');
    expect(left.message).toContain(`kubectl -n ${lacking} delete deployment/iris-canary`);
    const live = await getJson<LiveDeployment & { spec: { replicas: number } }>(lacking, ['deployment', 'iris-canary']);
    expect(live?.spec.replicas).toBe(0);
  });
});

describe('the Role of docs/rbac.yaml', () => {
  const isvc: KubeObject = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: full },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'pvc://models/iris' } } },
  };
  const cases: [string, (c: Config) => void, () => KubeObject[]][] = [
    ['replicas', (c) => (c.smoke.enabled = true), () => renderedObjects('iris', full, CANARY_IMAGE)],
    [
      'traffic',
      (c) => Object.assign(c.canary, { strategy: 'traffic', gateway: { name: 'model-canary', namespace: 'model-canary-gateway' } }),
      () => renderedObjects('iris', full, CANARY_IMAGE),
    ],
    ['kserve', (c) => (c.canary.strategy = 'kserve'), () => [isvc]],
  ];
  for (const [strategy, patch, objects] of cases) {
    it(`passes the preflight of strategy ${strategy}, with no warning`, async () => {
      const config = testConfig('iris', full, patch);
      const run = testContext(config);
      try {
        await as(kubeconfigs.full, () => checkReleaseAccess(config, objects(), run.ctx));
      } finally {
        await run.close();
      }
      expect(run.host.log).toMatch(/Permissions checked before applying: (\d+) of \1 allowed by the API server\./);
      expect(run.host.log).not.toContain('warning');
    });
  }
});
