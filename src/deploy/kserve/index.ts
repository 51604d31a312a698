import type { StageContext } from '../../core/context.js';
import type { Config } from '../../config/types.js';
import { ModelCanaryError } from '../../errors.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { Logger } from '../../log/logger.js';
import { applyObjects, removeObjects } from '../apply.js';
import { describeStatus, inferenceServiceState, type Expectation } from './conditions.js';
import {
  canaryInferenceService,
  DEPLOYMENT_MODE,
  firstInferenceService,
  isInferenceService,
  predictorImage,
  promotedInferenceService,
  rawDeployment,
  renderedInferenceService,
  rollbackInferenceServices,
  cleanIsvc,
  type InferenceService,
  type Predictor,
} from './plan.js';
import { apiPath } from '../../kube/resources.js';
import { KubeRequestError } from '../../kube/client.js';
import type { HTTPRoute } from '../traffic/plan.js';
import { gateDeployment } from '../gate.js';
import { GateFailure } from '../gate-report.js';
import {
  canaryRouteShare,
  scalingOf,
  type Scaling,
  entryImage,
  ourCanaryEntry,
  predictorDeployment,
  stableDeploymentOf,
  standardCanary,
  standardMode,
  standardPromoted,
  standardRolledBack,
} from './standard.js';

export * from './plan.js';
export * from './conditions.js';
export * from './standard.js';

export const isvcPath = (namespace: string, name: string): string => apiPath('InferenceService', namespace, name);

/** The InferenceService's rollout failed for a reason no wait fixes, or did not finish within the budget. */
export class InferenceServiceFailure extends ModelCanaryError {
  constructor(
    readonly isvc: string,
    readonly reason: string,
    detail: string,
  ) {
    super(
      'model',
      `InferenceService ${isvc} failed: ${reason}. Status: ${detail}`,
      'Look at the predictor revision and its pods (kubectl describe inferenceservice, kubectl get revisions / pods); fix the model or its spec and release again.',
    );
    this.name = 'InferenceServiceFailure';
  }
}

/** Standard mode: the canary's and stable's Deployments and the canary's Ready pods (smoke and analysis send to them). */
export interface StandardPods {
  deployment: string;
  stable: string;
  revision: string;
  readyPods: string[];
  /** The spec.canary entry's name. */
  entry: string;
  /** What KServe's HTTPRoutes send the canary: one line for the summary. */
  route?: string;
  /** The release's scaling fields (KServe refuses them on a canary): stable gets them on promotion. */
  scaling?: Scaling;
}

export interface KServeDeployResult {
  mode: 'first' | 'canary';
  namespace: string;
  name: string;
  image: string;
  /** What stable ran before (a canary), for messages and the history. */
  previousImage: string;
  /** Objects this run created (a failed first release removes exactly these). */
  created: KubeObject[];
  /** Rendered objects besides the InferenceService, applied on promote. */
  shared: KubeObject[];
  elapsedMs: number;
  /** Standard mode: KServe runs the canary (or a first release) as a Deployment of its own. */
  standard?: StandardPods;
}

/**
 * Strategy kserve: with no InferenceService yet, applies the rendered objects (a first release, all
 * traffic to its one revision); otherwise sets the new predictor with `canaryTrafficPercent:
 * canary.weight`. Then waits on the InferenceService's conditions until KServe reports the change rolled
 * out as expected, fails at a decisive condition, or the readiness budget runs out.
 */
export async function deployInferenceService(config: Config, objects: KubeObject[], ctx: StageContext): Promise<KServeDeployResult> {
  const { logger } = ctx.host;
  const client = await ctx.kube.client();
  const namespace = config.cluster.namespace;
  const fieldManager = config.cluster.fieldManager;
  const rendered = renderedInferenceService(objects);
  const name = rendered.metadata.name;
  const others = objects
    .filter((o) => !isInferenceService(o))
    .map((o) => (o.metadata.namespace || o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } }));
  const live = await client.get<InferenceService>(isvcPath(namespace, name));
  const image = predictorImage(rendered.spec.predictor);
  if (!live) {
    logger.info(`No InferenceService ${name} in namespace ${namespace} yet: this first release is applied with all traffic to it, and its conditions gate it.`);
    const created = await applyObjects(client, [...others, firstInferenceService(rendered, namespace)], fieldManager, ctx.cleanup, logger);
    try {
      const applied = await client.get<InferenceService>(isvcPath(namespace, name));
      if (applied && standardMode(applied)) {
        const stable = stableDeploymentOf(applied);
        const gated = await gatePredictor(client, config, stable, 'first release', logger);
        const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
        const standard = { deployment: stable, stable, revision: gated.revision, readyPods: gated.readyPods, entry: '' };
        return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs, standard };
      }
      const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
      return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs };
    } catch (err) {
      logger.info(`The first release of ${name} failed; removing the ${created.length} object(s) it created.`);
      await removeObjects(client, created, ctx.cleanup, logger);
      throw err;
    }
  }
  if (standardMode(live)) return deployStandardCanary(config, rendered, live, others, ctx);
  if (rawDeployment(live) || rawDeployment(rendered)) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${name} runs in RawDeployment mode (${DEPLOYMENT_MODE}), where KServe has no revisions to split traffic between: canaryTrafficPercent needs Serverless mode.`,
      'Deploy the InferenceService in Serverless mode (remove the deploymentMode annotation where Knative is installed), or release it with render.mode builtin and canary.strategy replicas or traffic.',
    );
  }
  const previousImage = predictorImage(live.spec.predictor);
  const desired = canaryInferenceService(rendered, live, config.canary.weight, namespace);
  logger.info(`InferenceService ${name} runs ${previousImage}; sending ${config.canary.weight}% of its traffic to ${image} (canaryTrafficPercent).`);
  await client.apply(desired, fieldManager);
  const elapsedMs = await waitForInferenceService(
    client,
    namespace,
    name,
    { kind: 'canary', weight: config.canary.weight },
    config.canary.readinessTimeoutMs,
    logger,
  );
  return { mode: 'canary', namespace, name, image, previousImage, created: [], shared: others, elapsedMs };
}

/**
 * Standard mode: a `spec.canary` entry with the rendered predictor at canary.weight, recorded for the post
 * step before it is applied; then KServe's canary Deployment gated like any canary's pods (a crash or a
 * model that will not load fails it at once, with KServe's status beside the pod's reason), then the
 * InferenceService's own canary status waited on.
 */
async function deployStandardCanary(
  config: Config,
  rendered: InferenceService,
  live: InferenceService,
  others: KubeObject[],
  ctx: StageContext,
): Promise<KServeDeployResult> {
  const { logger } = ctx.host;
  const client = await ctx.kube.client();
  const namespace = config.cluster.namespace;
  const name = live.metadata.name;
  const weight = config.canary.weight;
  const desired = standardCanary(rendered, live, weight, config.canary.replicas, namespace);
  const entry = ourCanaryEntry(desired)?.predictor.name ?? '';
  const canary = predictorDeployment(name, entry);
  const stable = stableDeploymentOf(live);
  const previousImage = predictorImage(live.spec.predictor);
  const image = predictorImage(rendered.spec.predictor);
  logger.info(
    `InferenceService ${name} (KServe Standard mode) runs ${previousImage} as ${stable}; adding canary ${entry} with ${image} at ${weight}% (spec.canary; KServe runs it as ${canary}).`,
  );
  const stableMin = typeof live.spec.predictor['minReplicas'] === 'number' ? live.spec.predictor['minReplicas'] : 1;
  if (stableMin > 1)
    logger.info(
      `KServe takes the canary's ${config.canary.replicas} replica(s) off stable's minReplicas ${stableMin} (never below 1) while the canary runs, and gives them back on promotion or rollback.`,
    );
  ctx.cleanup.kserveCanary(name, entry, config.cluster.fieldManager);
  await client.apply(desired, config.cluster.fieldManager);
  const gated = await gatePredictor(client, config, canary, 'canary', logger, name);
  const elapsedMs = await waitForInferenceService(
    client,
    namespace,
    name,
    { kind: 'standard-canary', name: entry, weight },
    config.canary.readinessTimeoutMs,
    logger,
  );
  const route = await routeLine(client, namespace, name, { stable, canary }, weight, logger);
  const standard = {
    deployment: canary,
    stable,
    revision: gated.revision,
    readyPods: gated.readyPods,
    entry,
    route,
    scaling: scalingOf(rendered.spec.predictor),
  };
  return { mode: 'canary', namespace, name, image, previousImage, created: [], shared: others, elapsedMs, standard };
}

/**
 * What KServe's HTTPRoutes for the InferenceService (named after it and after its predictor) send the
 * canary's Service, said in the log and the summary; a warning when that is not canary.weight: the canary
 * then gets no user traffic through the Gateway, and only smoke and the analysis window's own load judge it.
 */
async function routeLine(
  client: KubeClient,
  namespace: string,
  isvc: string,
  services: { stable: string; canary: string },
  weight: number,
  logger: Logger,
): Promise<string> {
  const { stable: stableService, canary: canaryService } = services;
  // KServe names its routes after the InferenceService (the top-level one) and after each predictor's Service.
  const routes: HTTPRoute[] = [];
  for (const route of [isvc, stableService, canaryService]) {
    try {
      const found = await client.get<HTTPRoute>(apiPath('HTTPRoute', namespace, route));
      if (found) routes.push(found);
    } catch (err) {
      if (!(err instanceof KubeRequestError) || (err.status !== 404 && err.status !== 403)) throw err;
    }
  }
  const share = canaryRouteShare(routes, canaryService);
  if (!share) {
    logger.warn(
      `InferenceService ${isvc} has no HTTPRoute (KServe makes one only with the Gateway API on and for an InferenceService not labelled cluster-local): no user traffic reaches the canary through a Gateway; it is judged on the smoke cases and the analysis window's own load.`,
    );
    return 'no HTTPRoute: no user traffic to the canary';
  }
  const percent = Math.round(share.percent * 10) / 10;
  if (Math.abs(percent - weight) > 0.5) {
    logger.warn(
      `KServe's HTTPRoute(s) ${share.routes.join(', ')} send ${percent}% to the canary's Service ${canaryService}, not its trafficPercent ${weight}%: this KServe does not weight its route by spec.canary (v0.20.0 runs the canary's Deployment and Service only). The canary is judged on the smoke cases and the analysis window's own load, not on user traffic.`,
    );
  } else logger.info(`KServe's HTTPRoute(s) ${share.routes.join(', ')} send ${percent}% to the canary.`);
  return `HTTPRoute ${share.routes.join(', ')}: ${percent}% to the canary (trafficPercent ${weight}%)`;
}

/**
 * The readiness gate on a Deployment KServe makes (it may not exist for a moment after the apply). A
 * failure is an InferenceServiceFailure naming the pod's reason and what KServe's status says.
 */
async function gatePredictor(client: KubeClient, config: Config, deployment: string, label: string, logger: Logger, isvc = config.model.name) {
  const namespace = config.cluster.namespace;
  const started = Date.now();
  const path = apiPath('Deployment', namespace, deployment);
  while (!(await client.get(path))) {
    if (Date.now() - started > config.canary.readinessTimeoutMs) {
      const live = await client.get<InferenceService>(isvcPath(namespace, isvc));
      throw new InferenceServiceFailure(
        isvc,
        `KServe made no Deployment ${deployment} within ${Math.round(config.canary.readinessTimeoutMs / 1000)}s`,
        live ? describeStatus(live) : 'gone',
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await gateDeployment(client, {
      namespace,
      deployment,
      label,
      timeoutMs: Math.max(1000, config.canary.readinessTimeoutMs - (Date.now() - started)),
      maxRestarts: config.canary.maxRestarts,
      logger,
    });
  } catch (err) {
    if (!(err instanceof GateFailure)) throw err;
    const live = await client.get<InferenceService>(isvcPath(namespace, isvc));
    throw new InferenceServiceFailure(isvc, err.message.split('\n')[0] ?? err.message, `${live ? describeStatus(live) : 'gone'}\n${err.message}`);
  }
}

/** Promotion: `canaryTrafficPercent` removed (100% to the latest revision), waited on like the canary. */
export async function promoteInferenceService(
  client: KubeClient,
  config: Config,
  name: string,
  logger: Logger,
  shared: readonly KubeObject[] = [],
  scaling?: Scaling,
): Promise<{ image: string; elapsedMs: number }> {
  const namespace = config.cluster.namespace;
  const live = await liveInferenceService(client, namespace, name);
  if (standardMode(live)) return promoteStandard(client, config, live, logger, shared, scaling);
  const desired = promotedInferenceService(live);
  const image = predictorImage(desired.spec.predictor);
  for (const o of shared) await client.apply(o, config.cluster.fieldManager);
  logger.info(`Promoting InferenceService ${name}: all traffic to ${image} (canaryTrafficPercent removed).`);
  await client.apply(desired, config.cluster.fieldManager);
  const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
  return { image, elapsedMs };
}

/**
 * Rollback: `canaryTrafficPercent: 0` with the previous predictor spec (KServe pins all traffic to the last
 * revision rolled out at once), then, once the restored spec's revision is Ready, the same spec without
 * it. When that revision does not become Ready, the InferenceService stays pinned (stable keeps all
 * traffic) and the error says so.
 */
export async function rollbackInferenceService(client: KubeClient, config: Config, name: string, logger: Logger): Promise<{ image: string; removed: string }> {
  const namespace = config.cluster.namespace;
  const live = await liveInferenceService(client, namespace, name);
  if (standardMode(live)) {
    const removed = ourCanaryEntry(live);
    const desired = standardRolledBack(live);
    const image = predictorImage(desired.spec.predictor);
    logger.info(
      `Rolling back InferenceService ${name}: canary ${removed?.predictor.name ?? '?'} removed from spec.canary; all traffic to stable ${stableDeploymentOf(live)} (${image}).`,
    );
    await client.apply(desired, config.cluster.fieldManager);
    await waitForInferenceService(client, namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
    return { image, removed: removed ? entryImage(removed) : '' };
  }
  const { pinned, restored } = rollbackInferenceServices(live);
  const removed = predictorImage(live.spec.predictor);
  const image = predictorImage(restored.spec.predictor);
  logger.info(
    `Rolling back InferenceService ${name}: all traffic pinned to the last revision rolled out (canaryTrafficPercent 0), predictor back to ${image}.`,
  );
  await client.apply(pinned, config.cluster.fieldManager);
  try {
    await waitForInferenceService(client, namespace, name, { kind: 'pinned' }, config.canary.readinessTimeoutMs, logger);
  } catch (err) {
    logger.error(`InferenceService ${name} stays pinned to its previous revision (canaryTrafficPercent 0): the restored spec's revision did not become Ready.`);
    throw err;
  }
  await client.apply(restored, config.cluster.fieldManager);
  await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
  return { image, removed };
}

/**
 * Standard mode's promotion, KServe's way: stable's predictor named after the canary (KServe keeps the
 * canary's Deployment as stable's: no pod restarts) and the entry removed; then stable's Deployment (the
 * former canary's) gated and the status waited on until no canary is left in it.
 */
async function promoteStandard(
  client: KubeClient,
  config: Config,
  live: InferenceService,
  logger: Logger,
  shared: readonly KubeObject[],
  scaling?: Scaling,
): Promise<{ image: string; elapsedMs: number }> {
  const started = Date.now();
  const name = live.metadata.name;
  const desired = standardPromoted(live, scaling);
  const image = predictorImage(desired.spec.predictor);
  const next = stableDeploymentOf(desired);
  for (const o of shared) await client.apply(o, config.cluster.fieldManager);
  logger.info(
    `Promoting InferenceService ${name}: stable's predictor retargeted to the canary (${next}, ${image}); ${stableDeploymentOf(live)} is removed by KServe.`,
  );
  await client.apply(desired, config.cluster.fieldManager);
  await waitForInferenceService(client, config.cluster.namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
  // KServe ran the canary at its fixed replicas: stable's Deployment grows to minReplicas after the
  // retargeting, so wait for KServe to ask for them before gating, or the gate would pass on fewer.
  const wanted = typeof desired.spec.predictor['minReplicas'] === 'number' ? desired.spec.predictor['minReplicas'] : 1;
  await replicasAsked(client, config, next, wanted, logger);
  await gatePredictor(client, config, next, 'stable', logger, name);
  return { image, elapsedMs: Date.now() - started };
}

/** Waits (up to canary.readinessTimeout) until Deployment `name` asks for at least `wanted` replicas. */
async function replicasAsked(client: KubeClient, config: Config, name: string, wanted: number, logger: Logger): Promise<void> {
  const started = Date.now();
  const path = apiPath('Deployment', config.cluster.namespace, name);
  for (;;) {
    const d = await client.get<{ spec?: { replicas?: number } } & KubeObject>(path);
    const asked = d?.spec?.replicas ?? 0;
    if (asked >= wanted) return;
    if (Date.now() - started > config.canary.readinessTimeoutMs) {
      logger.warn(
        `Stable's Deployment ${name} asks for ${asked} replica(s), not minReplicas ${wanted}, ${Math.round(config.canary.readinessTimeoutMs / 1000)}s after the promotion; gating what it has.`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Standard mode's rollback to a recorded revision, with stable serving throughout: the recorded predictor
 * comes back as a canary (gated like a release's), then is promoted KServe's way. A canary of
 * model-canary's already there is removed first; when the restored predictor fails its gate, its entry is
 * removed again and stable keeps what it runs.
 */
export async function restoreStandardPredictor(
  config: Config,
  ctx: StageContext,
  predictor: Predictor,
): Promise<{ image: string; removed: string; elapsedMs: number }> {
  const { logger } = ctx.host;
  const client = await ctx.kube.client();
  const namespace = config.cluster.namespace;
  const name = config.model.name;
  let live = await liveInferenceService(client, namespace, name);
  if (ourCanaryEntry(live)) {
    await rollbackInferenceService(client, config, name, logger);
    live = await liveInferenceService(client, namespace, name);
  }
  const removed = predictorImage(live.spec.predictor);
  const base = standardRolledBackOrSelf(live);
  const restored: InferenceService = { ...base, spec: { ...base.spec, predictor: structuredClone(predictor) } };
  const started = Date.now();
  try {
    await deployStandardCanary(config, restored, live, [], ctx);
  } catch (err) {
    const now = await client.get<InferenceService>(isvcPath(namespace, name));
    if (now && ourCanaryEntry(now)) {
      logger.info(`The restored predictor did not pass its gate; removing it again: stable keeps ${removed}.`);
      await client.apply(standardRolledBack(now), config.cluster.fieldManager);
    }
    ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
    throw err;
  }
  const promoted = await promoteStandard(client, config, await liveInferenceService(client, namespace, name), logger, [], scalingOf(predictor));
  ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
  return { image: promoted.image, removed, elapsedMs: Date.now() - started };
}

function standardRolledBackOrSelf(live: InferenceService): InferenceService {
  return ourCanaryEntry(live) ? standardRolledBack(live) : cleanIsvc(live);
}

/**
 * The post step's and Ctrl-C's cleanup: removes spec.canary entry `entry` when it is still there (as
 * field manager `fieldManager`, which added it). Returns whether there was one.
 */
export async function removeCanaryEntry(client: KubeClient, namespace: string, isvc: string, entry: string, fieldManager: string): Promise<boolean> {
  const live = await client.get<InferenceService>(isvcPath(namespace, isvc));
  if (!live || ourCanaryEntry(live)?.predictor.name !== entry) return false;
  await client.apply(standardRolledBack(live), fieldManager);
  return true;
}

async function liveInferenceService(client: KubeClient, namespace: string, name: string): Promise<InferenceService> {
  const live = await client.get<InferenceService>(isvcPath(namespace, name));
  if (!live)
    throw new ModelCanaryError(
      'user',
      `There is no InferenceService ${name} in namespace ${namespace}.`,
      'Release the model first (command release), or check cluster.namespace and model.name.',
    );
  return live;
}

/**
 * Polls the InferenceService until its status matches the expectation (returns the time it took), a
 * decisive condition fails it, or the budget runs out; prints a progress line every 10 s.
 */
export async function waitForInferenceService(
  client: KubeClient,
  namespace: string,
  name: string,
  expect: Expectation,
  timeoutMs: number,
  logger: Logger,
  options: { pollMs?: number; progressEveryMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 1000;
  const progressEvery = options.progressEveryMs ?? 10_000;
  let lastProgress = started;
  for (;;) {
    const live = await client.get<InferenceService>(isvcPath(namespace, name));
    if (!live)
      throw new ModelCanaryError(
        'cluster',
        `InferenceService ${namespace}/${name} disappeared while model-canary waited on it.`,
        'Something else deleted it; release again.',
      );
    const s = inferenceServiceState(live, expect);
    const elapsed = Date.now() - started;
    if (s.state === 'ready') {
      logger.info(`InferenceService ${name} rolled out (${expectationText(expect)}) in ${(elapsed / 1000).toFixed(1)}s: ${s.detail}`);
      return elapsed;
    }
    if (s.state === 'failed') throw new InferenceServiceFailure(name, s.reason, s.detail);
    if (elapsed >= timeoutMs) {
      throw new InferenceServiceFailure(
        name,
        `not rolled out (${expectationText(expect)}) within ${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`,
        describeStatus(live),
      );
    }
    if (Date.now() - lastProgress >= progressEvery) {
      logger.info(`InferenceService ${name}: waiting ${Math.round(elapsed / 1000)}s: ${s.detail}`);
      lastProgress = Date.now();
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function expectationText(e: Expectation): string {
  if (e.kind === 'standard-canary') return `canary ${e.name} Ready at ${e.weight}%`;
  if (e.kind === 'standard-stable') return 'stable Ready, no canary left';
  return e.kind === 'canary'
    ? `latest revision Ready with ${e.weight}% of the traffic`
    : e.kind === 'full'
      ? 'latest revision Ready with all traffic'
      : 'all traffic pinned to the previous revision';
}
