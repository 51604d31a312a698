import { ModelCanaryError } from '../errors.js';
import { isForbidden, type KubeClient } from '../kube/client.js';
import { apiPath } from '../kube/resources.js';

/** A Deployment the Role would not let us delete: scaled to 0 when that was allowed, and named with what was left beside it. */
export interface LeftDeployment {
  namespace: string;
  deployment: string;
  /** The API server's refusal of the delete. */
  refusal: string;
  /** Why scaling it to 0 failed too; undefined when it was scaled to 0. */
  scaleFailure?: string;
  /** Other objects left with it (kind/name), such as the canary's ConfigMap copies. */
  others: readonly string[];
}

export class DeploymentLeftBehind extends ModelCanaryError {
  constructor(readonly left: LeftDeployment) {
    const { message, hint } = leftBehindText(left);
    super('cluster', message, hint);
    this.name = 'DeploymentLeftBehind';
  }
}

/** What is left in the cluster and how to remove it, in words. */
export function leftBehindText(left: LeftDeployment): { message: string; hint: string } {
  const { namespace, deployment, refusal, scaleFailure, others } = left;
  const scaled = scaleFailure === undefined;
  const state = scaled
    ? 'It was scaled to 0 replicas instead, so it serves nothing, but it is still in the cluster.'
    : `Scaling it to 0 failed too (${scaleFailure}): it still runs and serves its share of the Service's traffic.`;
  const items = [`Deployment/${deployment}${scaled ? ' (0 replicas)' : ''}`, ...others];
  const command = `kubectl -n ${namespace} delete ${[`deployment/${deployment}`, ...others.map((o) => o.replace(/^[^/]+/, (kind) => kind.toLowerCase()))].join(' ')}`;
  return {
    message: `Could not delete Deployment ${deployment} in namespace ${namespace}: ${refusal}. ${state} Left in namespace ${namespace}: ${items.join(', ')}. Remove ${scaled ? 'it' : 'it now'} as someone allowed to: ${command}`,
    hint: 'Add delete on deployments (apps) to the Role bound to the kubeconfig (docs/rbac.yaml has it), so model-canary removes its canaries itself.',
  };
}

/**
 * Deletes a Deployment (false when it was not there). When the Role refuses the delete (403), the
 * Deployment is scaled to 0 so it serves nothing, and a DeploymentLeftBehind names what is left. A merge
 * patch, not server-side apply: applying only spec.replicas would drop our ownership of every other field.
 */
export async function deleteDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  others: () => Promise<string[]> = async () => [],
): Promise<boolean> {
  const path = apiPath('Deployment', namespace, name);
  try {
    return await client.delete(path);
  } catch (err) {
    if (!isForbidden(err)) throw err;
    let scaleFailure: string | undefined;
    try {
      await client.mergePatch(path, { spec: { replicas: 0 } });
    } catch (scaleErr) {
      scaleFailure = scaleErr instanceof Error ? scaleErr.message : String(scaleErr);
    }
    let alsoLeft: string[] = [];
    try {
      alsoLeft = await others();
    } catch {
      // naming the Deployment is what matters
    }
    throw new DeploymentLeftBehind({
      namespace,
      deployment: name,
      refusal: err.message,
      ...(scaleFailure !== undefined ? { scaleFailure } : {}),
      others: alsoLeft,
    });
  }
}
