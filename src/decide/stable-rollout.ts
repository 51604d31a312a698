import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { CANARY_CONFIGMAPS, canaryName, canaryWorkersOf, cleanForApply, hpaTargets } from '../deploy/canary-plan.js';
import { gateDeployment, type GateResult } from '../deploy/gate.js';
import type { Deployment } from '../deploy/types.js';
import { GateFailure } from '../deploy/gate-report.js';
import { deleteDeployment } from '../deploy/left-behind.js';
import { podWatch } from '../analysis/sources/pod-watch.js';
import type { WatchSignal } from '../analysis/types.js';
import type { CleanupRecorder } from '../core/context.js';
import { canaryServices, removeCanaryServices, sendAllToStable } from '../deploy/traffic/index.js';
import { apiPath } from '../kube/resources.js';

export const deploymentPath = (namespace: string, name: string): string => apiPath('Deployment', namespace, name);

/** The stable Deployment as it runs now; a clear error when there is none. */
export async function liveStable(client: KubeClient, namespace: string, name: string): Promise<Deployment> {
  const stable = await client.get<Deployment>(deploymentPath(namespace, name));
  if (!stable) {
    throw new ModelCanaryError(
      'user',
      `There is no Deployment ${name} in namespace ${namespace}.`,
      'Release the model first (command release), or check cluster.namespace and model.name.',
    );
  }
  return stable;
}

/** Whether a HorizontalPodAutoscaler in the namespace scales this Deployment (then we never set replicas). */
export async function hpaManaged(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  const list = await client.list(apiPath('HorizontalPodAutoscaler', namespace));
  return hpaTargets(list.items, name);
}

/**
 * Applies a new stable Deployment and gates its rollout with the canary's gate. When the rollout fails,
 * stable is put back on its previous template (and that rollout gated too) before the failure is thrown.
 */
export async function rolloutStable(
  client: KubeClient,
  config: Config,
  desired: Deployment,
  before: Deployment,
  logger: Logger,
  postPromotionMs = 0,
): Promise<GateResult> {
  const options = {
    namespace: config.cluster.namespace,
    deployment: desired.metadata.name,
    label: 'stable',
    timeoutMs: config.canary.readinessTimeoutMs,
    maxRestarts: config.canary.maxRestarts,
    logger,
  };
  await client.apply(desired, config.cluster.fieldManager);
  try {
    const gate = await gateDeployment(client, options);
    if (postPromotionMs > 0) await watchAfterPromotion(client, config, desired, gate, postPromotionMs, logger);
    return gate;
  } catch (err) {
    logger.error(
      `The stable rollout of ${desired.metadata.name} failed (${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}); reverting it to its previous template.`,
    );
    const previous = cleanForApply(before);
    if (desired.spec.replicas === undefined) delete previous.spec.replicas;
    try {
      await client.apply(previous, config.cluster.fieldManager);
      await gateDeployment(client, { ...options, label: 'reverted stable' });
      logger.info(`Stable ${desired.metadata.name} is back on its previous template.`);
    } catch (revertErr) {
      logger.error(`Reverting stable failed too: ${revertErr instanceof Error ? revertErr.message : String(revertErr)}`);
    }
    throw err;
  }
}

/**
 * The post-promotion window: the new stable pods are watched for postPromotionMs after they are Ready,
 * while the old ones still serve (minReadySeconds holds them); a crash, restart or lost readiness is a
 * GateFailure, which reverts stable.
 */
async function watchAfterPromotion(
  client: KubeClient,
  config: Config,
  desired: Deployment,
  gate: GateResult,
  postPromotionMs: number,
  logger: Logger,
): Promise<void> {
  const namespace = config.cluster.namespace;
  // The gate's own selector: the Deployment's labels and the current ReplicaSet's pod-template-hash (the
  // suffix of its name), so only the promoted pods are watched and no extra read right is needed.
  const hash = gate.replicaSet.slice(desired.metadata.name.length + 1);
  const selector = Object.entries({ ...desired.spec.selector.matchLabels, 'pod-template-hash': hash })
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  logger.info(`Watching the promoted stable pods for ${Math.round(postPromotionMs / 1000)}s (analysis.postPromotion); the previous pods serve until then.`);
  const started = Date.now();
  const watch = podWatch(client, namespace, [{ track: 'canary', selector, maxRestarts: config.canary.maxRestarts }], logger);
  let seen: WatchSignal | undefined;
  let wake: () => void = () => undefined;
  await watch.start(started, (signal) => {
    seen ??= signal;
    wake();
  });
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, postPromotionMs);
    wake = () => {
      clearTimeout(t);
      resolve();
    };
  });
  await watch.stop();
  const signal = seen as WatchSignal | undefined;
  if (signal) {
    const message = `The promoted stable pod ${signal.pod} failed ${(signal.at / 1000).toFixed(1)}s into the post-promotion window: ${signal.reason}: ${signal.detail}`;
    throw new GateFailure(message, { object: signal.pod, reason: signal.reason, detail: signal.detail }, Date.now(), started);
  }
  logger.info(`The promoted stable pods stayed Ready for ${Math.round(postPromotionMs / 1000)}s.`);
}

/** How the canary gets traffic beyond its pods: an HTTPRoute (strategy traffic) to send back to stable first. */
interface CanaryTraffic {
  route: string;
  fieldManager: string;
}

/** The canary's route for strategy traffic (named after the stable Deployment), else undefined. */
function canaryTraffic(config: Pick<Config, 'canary' | 'cluster'>, stable: string): CanaryTraffic | undefined {
  return config.canary.strategy === 'traffic' ? { route: stable, fieldManager: config.cluster.fieldManager } : undefined;
}

/**
 * Deletes the canary Deployment, its canary workers and the ConfigMaps copied for it; true when there was a canary. With
 * strategy traffic, the route first sends everything back to stable and the canary's Service goes last.
 * A Role that refuses the delete gets the canary scaled to 0 and a DeploymentLeftBehind naming what is left.
 */
export async function removeCanary(client: KubeClient, config: Config, stable: string, cleanup: CleanupRecorder, logger: Logger): Promise<boolean> {
  const namespace = config.cluster.namespace;
  const traffic = canaryTraffic(config, stable);
  if (traffic) await sendAllToStable(client, namespace, traffic.route, traffic.fieldManager, cleanup, logger);
  const name = canaryName(stable);
  const canary = await client.get<Deployment>(deploymentPath(namespace, name));
  const copies = (canary?.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== '');
  const leftWith = async (): Promise<string[]> => [
    ...copies.map((cm) => `ConfigMap/${canaryName(cm)}`),
    ...(traffic ? (await canaryServices(client, namespace, stable)).map((svc) => `Service/${svc}`) : []),
  ];
  // The canary workers first: a worker that drains hands its waiting jobs to stable's queue.
  for (const worker of canaryWorkersOf(canary)) {
    if (await deleteDeployment(client, namespace, worker, leftWith)) logger.info(`Removed the canary worker Deployment ${worker}.`);
    cleanup.removed(`Deployment/${worker}`);
  }
  const deleted = await deleteDeployment(client, namespace, name, leftWith);
  cleanup.removed(`Deployment/${name}`);
  for (const cm of copies) {
    await client.delete(apiPath('ConfigMap', namespace, canaryName(cm)));
    cleanup.removed(`ConfigMap/${canaryName(cm)}`);
  }
  if (deleted) logger.info(`Removed the canary Deployment ${name}${copies.length ? ` and ConfigMap(s) ${copies.map((c) => canaryName(c)).join(', ')}` : ''}.`);
  if (traffic) await removeCanaryServices(client, namespace, stable, cleanup, logger);
  return deleted;
}

/** A canary kept on purpose (held): the post step must not remove it, so it is no longer listed for cleanup. */
export async function keepCanary(client: KubeClient, config: Config, stable: string, cleanup: CleanupRecorder): Promise<boolean> {
  const namespace = config.cluster.namespace;
  const traffic = canaryTraffic(config, stable);
  const name = canaryName(stable);
  const canary = await client.get<Deployment>(deploymentPath(namespace, name));
  if (!canary) return false;
  cleanup.removed(`Deployment/${name}`);
  for (const worker of canaryWorkersOf(canary)) cleanup.removed(`Deployment/${worker}`);
  if (traffic) {
    cleanup.route(traffic.route, undefined);
    for (const svc of await canaryServices(client, namespace, stable)) cleanup.removed(`Service/${svc}`);
  }
  for (const cm of (canary.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== '')) cleanup.removed(`ConfigMap/${canaryName(cm)}`);
  return true;
}
