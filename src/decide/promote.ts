import type { CleanupRecorder } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import {
  canaryName,
  canaryWorkersOf,
  promotedStable,
  repositoryOf,
  stableNameOf,
  stableWorkerFrom,
  withoutCanaryWeight,
  withPostPromotionWindow,
} from '../deploy/canary-plan.js';
import type { GateResult } from '../deploy/gate.js';
import type { Deployment, PodTemplate } from '../deploy/types.js';
import { deploymentPath, hpaManaged, liveStable, removeCanary, rolloutStable } from './stable-rollout.js';

/** Kinds a promotion applies before the stable rollout (its new pods read them at start); the rest after. */
const BEFORE_ROLLOUT = new Set(['ServiceAccount', 'Secret', 'ConfigMap']);

export interface Promotion {
  image: string;
  version: string | undefined;
  gate: GateResult;
}

/**
 * Promotes the canary: stable gets the canary's pod template (so its digest) and version label by
 * server-side apply, its rollout is gated like the canary's (and reverted when it fails), then the canary
 * is removed. `shared` are the release's other rendered objects (Service, HPA, ...), applied with it.
 */
export async function promoteCanary(
  client: KubeClient,
  config: Config,
  stable: string,
  deps: { cleanup: CleanupRecorder; logger: Logger },
  shared: readonly KubeObject[] = [],
): Promise<Promotion> {
  const { logger } = deps;
  const namespace = config.cluster.namespace;
  const before = await liveStable(client, namespace, stable);
  const canary = await client.get<Deployment>(deploymentPath(namespace, canaryName(stable)));
  if (!canary) {
    throw new ModelCanaryError(
      'user',
      `There is no canary ${canaryName(stable)} in namespace ${namespace} to promote.`,
      'Deploy one first (command deploy with decide.mode manual, or command release).',
    );
  }
  const postMs = config.analysis.postPromotionMs;
  const desired = withPostPromotionWindow(promotedStable(before, canary, await hpaManaged(client, namespace, stable)), Math.ceil(postMs / 1000));
  const image = modelImage(desired.spec.template, config.image.repository);
  logger.info(`Promoting ${stable} to ${image}.`);
  for (const o of shared.filter((s) => BEFORE_ROLLOUT.has(s.kind))) await client.apply(o, config.cluster.fieldManager);
  const gate = await rolloutStable(client, config, desired, before, logger, postMs);
  for (const worker of canaryWorkersOf(canary)) await promoteWorker(client, config, worker, logger);
  for (const o of shared.filter((s) => !BEFORE_ROLLOUT.has(s.kind))) await client.apply(o, config.cluster.fieldManager);
  // The stable rollout is gated: the route may send it everything now, then the canary goes.
  await removeCanary(client, config, stable, deps.cleanup, logger);
  return { image, version: desired.metadata.labels?.['app.kubernetes.io/version'], gate };
}

/**
 * A canary worker promoted: stable's workers get its template (without the canary's weight), gated like the
 * stable rollout; a worker Deployment that stable did not have yet is made from the canary's. The canary worker
 * itself goes with the canary (removeCanary), handing its waiting jobs to stable's queue as it drains.
 */
async function promoteWorker(client: KubeClient, config: Config, canaryWorker: string, logger: Logger): Promise<void> {
  const namespace = config.cluster.namespace;
  const canary = await client.get<Deployment>(deploymentPath(namespace, canaryWorker));
  if (!canary) {
    logger.warn(`The canary worker ${canaryWorker} is gone; stable's workers keep their template.`);
    return;
  }
  const name = stableNameOf(canaryWorker);
  const before = (await client.get<Deployment>(deploymentPath(namespace, name))) ?? stableWorkerFrom(canary);
  const desired = promotedStable(before, withoutCanaryWeight(canary), await hpaManaged(client, namespace, name));
  logger.info(`Promoting the workers ${name} to the canary workers' template.`);
  const gate = await rolloutStable(client, config, desired, before, logger);
  logger.info(`${name}: ${gate.readyPods.length} worker pod(s) Ready in ${(gate.elapsedMs / 1000).toFixed(1)}s`);
}

/** The image of the model's container: the one from image.repository, else the first container's. */
export function modelImage(template: PodTemplate, repository: string): string {
  const containers = template.spec?.containers ?? [];
  const match = containers.find((c) => c.image !== undefined && repositoryOf(c.image) === repository) ?? containers[0];
  return match?.image ?? '';
}
