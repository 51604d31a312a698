import type { CanaryState } from '../core/canary.js';
import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { applyObjects, objectKey, removeObjects } from './apply.js';
import { modelDeployment, planDeploy, templateImages, type DeployPlan } from './canary-plan.js';
import { gateDeployment } from './gate.js';
import { applyRoute, httpRoute, planTraffic, routePath, type TrafficPlan } from './traffic/index.js';
import type { Deployment } from './types.js';
import { apiPath } from '../kube/resources.js';

export { GateFailure } from './gate-report.js';

export type { CanaryState } from '../core/canary.js';

/** What the deploy stage did, for smoke and decide. */
export interface DeployResult extends CanaryState {
  /** first: there was no stable Deployment, the release was deployed as stable and gated. */
  mode: 'first' | 'canary';
  namespace: string;
  /** The Deployment that was gated (the canary, or the stable one on a first deploy). */
  deployment: string;
  stable: string;
  image: string;
  replicaSet: string;
  hpaManaged: boolean;
  /** Objects this run created (a failed first deploy removes exactly these). */
  created: KubeObject[];
  /** Rendered objects a canary run leaves alone, applied on promote. */
  shared: KubeObject[];
  /** The worker Deployments gated with it: the canary workers (or stable's on a first deploy). */
  workers: string[];
  gateMs: number;
}

/**
 * Applies the canary (or, when there is no stable Deployment yet, the whole release as stable) with
 * server-side apply and waits on the readiness gate. A failed gate on a first deploy removes what it
 * created; a failed canary is left for the decide stage to roll back. Call it holding the release lock.
 */
export async function deployCanary(config: Config, objects: KubeObject[], ctx: StageContext, image = ctx.report.outputs.image): Promise<DeployResult> {
  const { logger } = ctx.host;
  if (config.canary.strategy === 'kserve') {
    throw new ModelCanaryError('internal', 'canary.strategy kserve is deployed by deployInferenceService, not deployCanary.');
  }
  if (objects.length === 0) throw new ModelCanaryError('internal', 'The deploy stage got no rendered objects.');
  const client = await ctx.kube.client();
  const namespace = config.cluster.namespace;
  const fieldManager = config.cluster.fieldManager;
  const model = modelDeployment(objects, image);
  const stable = model.metadata.name;
  const stableLive = await client.get<Deployment>(apiPath('Deployment', namespace, stable));
  const plan = planDeploy({
    objects,
    image,
    namespace,
    canaryReplicas: config.canary.replicas,
    canaryWeight: config.canary.weight,
    stableExists: stableLive !== undefined,
  });
  const traffic = config.canary.strategy === 'traffic' ? planTraffic({ objects, stable: model, namespace }) : undefined;
  await announce(client, plan, stableLive, config, logger);
  if (traffic && plan.mode === 'canary') {
    // The stable track's Service is shared by every release: applied, never counted as this run's.
    await client.apply(traffic.stableService, fieldManager);
    logger.info(`applied Service/${traffic.stableService.metadata.name}`);
  }
  const extra = traffic ? [plan.mode === 'first' ? traffic.stableService : traffic.canaryService] : [];
  const created = await applyObjects(client, [...extra, ...plan.apply], fieldManager, ctx.cleanup, logger);
  try {
    const gateOptions = {
      namespace,
      label: plan.mode === 'first' ? 'stable' : 'canary',
      timeoutMs: config.canary.readinessTimeoutMs,
      maxRestarts: config.canary.maxRestarts,
      logger,
    };
    const gate = await gateDeployment(client, { ...gateOptions, deployment: plan.gated });
    logger.info(`${plan.gated}: ${gate.readyPods.length} pod(s) Ready in ${(gate.elapsedMs / 1000).toFixed(1)}s: ${gate.readyPods.join(', ')}`);
    for (const worker of plan.gatedWorkers) {
      const w = await gateDeployment(client, { ...gateOptions, deployment: worker });
      logger.info(`${worker}: ${w.readyPods.length} worker pod(s) Ready in ${(w.elapsedMs / 1000).toFixed(1)}s: ${w.readyPods.join(', ')}`);
    }
    if (traffic) await routeTraffic(client, config, traffic, plan.mode, created, ctx.cleanup, logger);
    return {
      revision: gate.revision,
      readyPods: gate.readyPods,
      mode: plan.mode,
      namespace,
      deployment: plan.gated,
      stable: plan.stable,
      image,
      replicaSet: gate.replicaSet,
      hpaManaged: plan.hpaManaged,
      created,
      shared: plan.shared,
      workers: plan.gatedWorkers,
      gateMs: gate.elapsedMs,
    };
  } catch (err) {
    if (plan.mode === 'first') {
      logger.info(`The first release of ${plan.stable} failed its gate; removing the ${created.length} object(s) it created.`);
      try {
        await removeObjects(client, created, ctx.cleanup, logger);
      } catch (removeErr) {
        // What is left behind is the error now; the gate's reason stays in the log.
        logger.error(`The first release of ${plan.stable} failed: ${err instanceof Error ? err.message : String(err)}`);
        throw removeErr;
      }
    }
    throw err;
  }
}

/**
 * Strategy traffic, once the gated pods are Ready: the HTTPRoute sends `canary.weight` percent to the
 * canary's Service (all to stable on a first release), and the controller of the Gateway has accepted it.
 * A route a first release creates joins `created` (removed again if the release fails).
 */
async function routeTraffic(
  client: KubeClient,
  config: Config,
  traffic: TrafficPlan,
  mode: DeployPlan['mode'],
  created: KubeObject[],
  cleanup: StageContext['cleanup'],
  logger: Logger,
): Promise<void> {
  const gateway = config.canary.gateway;
  if (!gateway)
    throw new ModelCanaryError(
      'user',
      'canary.strategy traffic needs canary.gateway (the Gateway the HTTPRoute attaches to).',
      'Set canary.gateway.name (and namespace when the Gateway lives in another namespace).',
    );
  const namespace = config.cluster.namespace;
  const route = httpRoute({
    name: traffic.route,
    namespace,
    gateway,
    ...(config.canary.hostnames ? { hostnames: config.canary.hostnames } : {}),
    stableService: traffic.stableService.metadata.name,
    canaryService: traffic.canaryService.metadata.name,
    port: traffic.port,
    ...(mode === 'canary' ? { weight: config.canary.weight } : {}),
    labels: { 'app.kubernetes.io/name': config.model.name },
  });
  const existed = (await client.get(routePath(namespace, route.metadata.name))) !== undefined;
  // Listed before the apply: a run cancelled while it applies still has it removed (a first release) or
  // its weights sent back to stable (a canary; the route then stays, as stable's way in).
  if (mode === 'first' && !existed) {
    cleanup.created(objectKey(route));
    created.push(route);
  }
  if (mode === 'canary') cleanup.route(route.metadata.name, config.cluster.fieldManager);
  await applyRoute(client, route, gateway.namespace ? gateway : { ...gateway, namespace }, config.cluster.fieldManager, logger);
}

/** Says what is about to happen, and warns about what a user should know first. */
async function announce(client: KubeClient, plan: DeployPlan, stableLive: Deployment | undefined, config: Config, logger: Logger): Promise<void> {
  const namespace = config.cluster.namespace;
  if (plan.mode === 'first' || !stableLive) {
    logger.info(`No Deployment ${plan.stable} in namespace ${namespace} yet: this first release is deployed as stable and gated.`);
    return;
  }
  if (stableLive.spec.selector.matchLabels?.['track'] === undefined) {
    logger.warn(
      `The selector of Deployment ${plan.stable} has no track label, so it also matches the canary's pods; add track: stable to its selector and pod labels (the builtin chart does).`,
    );
  }
  const left = await client.get<Deployment>(apiPath('Deployment', namespace, plan.gated));
  if (left)
    logger.warn(`Replacing the canary ${plan.gated} left in place (held, or by a run that died), which ran ${templateImages(left.spec.template).join(', ')}.`);
  logger.info(
    `Stable ${plan.stable} runs ${templateImages(stableLive.spec.template).join(', ')}; deploying ${plan.gated} (${config.canary.replicas} pod(s)) beside it.`,
  );
}
