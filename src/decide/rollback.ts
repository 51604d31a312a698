import type { CleanupRecorder } from '../core/context.js';
import type { Config } from '../config/types.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { stableWithImage } from '../deploy/canary-plan.js';
import type { GateResult } from '../deploy/gate.js';
import { readHistory, revisionToRestore, type ReleaseRecord } from './history.js';
import { modelImage } from './promote.js';
import { hpaManaged, liveStable, removeCanary, rolloutStable } from './stable-rollout.js';
import { applyConfigMaps, currentConfigMaps, stableWithTemplate } from './snapshot.js';

export { removeCanary } from './stable-rollout.js';

/**
 * Restores a recorded revision's image to stable (apply + the same gate), from any run: the history in
 * the cluster says which digest; nothing of the run that released it is needed. A canary left in place
 * (held) is removed first.
 */
export async function restoreRevision(
  client: KubeClient,
  config: Config,
  stable: string,
  wanted: string,
  deps: { cleanup: CleanupRecorder; logger: Logger },
): Promise<{ record: ReleaseRecord; gate: GateResult; from: string }> {
  const namespace = config.cluster.namespace;
  const before = await liveStable(client, namespace, stable);
  const current = modelImage(before.spec.template, config.image.repository);
  const record = revisionToRestore(await readHistory(client, namespace, config.model.name), wanted, current);
  await removeCanary(client, config, stable, deps.cleanup, deps.logger);
  deps.logger.info(
    `Restoring revision ${record.revision} (${record.image}, version ${record.version}, released ${record.time}) to ${stable}; it runs ${current} now.`,
  );
  const hpa = await hpaManaged(client, namespace, stable);
  const snapshot = record.snapshot;
  if (!snapshot) {
    deps.logger.warn(
      `Revision ${record.revision} was recorded without its pod template and ConfigMaps (an older model-canary, or too large to keep): only its image and version are restored; the configuration stays as it is now.`,
    );
    const gate = await rolloutStable(client, config, stableWithImage(before, record.image, record.version, hpa), before, deps.logger);
    return { record, gate, from: current };
  }
  // Its ConfigMaps first, so the pods the rollout starts read them; put back as they were if it fails.
  const names = snapshot.configMaps.map((c) => c.name);
  const now = await currentConfigMaps(client, namespace, names);
  if (names.length > 0) deps.logger.info(`Restoring revision ${record.revision}'s pod template and ConfigMap(s) ${names.join(', ')} as well.`);
  await applyConfigMaps(client, namespace, snapshot.configMaps, config.cluster.fieldManager);
  try {
    const gate = await rolloutStable(client, config, stableWithTemplate(before, snapshot.template, hpa), before, deps.logger);
    return { record, gate, from: current };
  } catch (err) {
    await applyConfigMaps(client, namespace, now, config.cluster.fieldManager);
    if (names.length > 0) deps.logger.info(`ConfigMap(s) ${names.join(', ')} are back as they were.`);
    throw err;
  }
}
