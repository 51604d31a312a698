import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { canaryName } from '../deploy/canary-plan.js';
import type { Deployment } from '../deploy/types.js';
import { digestOf, readHistory } from './history.js';
import { modelImage } from './promote.js';
import { deploymentPath } from './stable-rollout.js';

const REFUSED =
  'Nothing was promoted. Run `command: status` to see what is held now; promote it only after reading its own smoke report (pass its digest and revision), or roll it back.';

/**
 * In manual decision mode a release holds its canary after smoke and a later run promotes it. With
 * expect-digest and expect-revision that run promotes only the canary that was smoked: the live canary
 * must run that digest and the newest held release must be that revision (of the same digest). Call it
 * holding the release lock, before anything changes. Throws a user error saying what differs.
 */
export async function checkPromoteExpectations(client: KubeClient, config: Pick<Config, 'cluster' | 'image' | 'model' | 'run'>): Promise<void> {
  const expect = config.run.expect;
  if (!expect || (expect.digest === undefined && expect.revision === undefined)) return;
  const namespace = config.cluster.namespace;
  const name = canaryName(config.model.name);
  const wanted = [expect.digest, expect.revision !== undefined ? `revision ${expect.revision}` : undefined].filter(Boolean).join(', ');
  const canary = await client.get<Deployment>(deploymentPath(namespace, name));
  if (!canary) {
    throw new ModelCanaryError(
      'user',
      `There is no canary ${name} in namespace ${namespace} to promote; expected the held one (${wanted}): it was promoted or rolled back since.`,
      REFUSED,
    );
  }
  const image = modelImage(canary.spec.template, config.image.repository);
  const digest = digestOf(image);
  if (expect.digest !== undefined && digest !== expect.digest) {
    throw new ModelCanaryError(
      'user',
      `The canary ${name} in namespace ${namespace} runs ${digest || image}, not ${expect.digest} (the one that was smoked): another canary was deployed since.`,
      REFUSED,
    );
  }
  if (expect.revision === undefined) return;
  const history = await readHistory(client, namespace, config.model.name);
  const held = [...history].reverse().find((r) => r.verdict === 'held');
  if (!held) {
    throw new ModelCanaryError(
      'user',
      `No held release of ${config.model.name} is recorded in namespace ${namespace}, so revision ${expect.revision} cannot be checked.`,
      REFUSED,
    );
  }
  if (held.revision !== expect.revision) {
    throw new ModelCanaryError(
      'user',
      `The newest held release of ${config.model.name} is revision ${held.revision} (${held.digest || held.image}), not revision ${expect.revision}: another release held a canary since.`,
      REFUSED,
    );
  }
  if (held.digest !== digest) {
    throw new ModelCanaryError(
      'user',
      `Held revision ${held.revision} recorded ${held.digest || held.image}, but the canary ${name} runs ${digest || image}: the canary was changed after it was held.`,
      REFUSED,
    );
  }
}
